// A stand-in for the node agents in controller tests: it registers Nodes (Ready, with a Lease in
// kube-node-lease), renews their Leases, and does what a kubelet would do to Pods bound to them:
// marks them Running and Ready through pods/status, and finishes graceful deletions by deleting
// with gracePeriodSeconds=0. Not used by svcnet itself; the real node agent replaces it.
import { formatMicroTime, formatTime, type KubeObject } from '../../api/meta.js';
import { isNotFound, resources, type RestClient } from '../../client/index.js';
import type { Pod } from '../../api/types/core/index.js';
import { NAMESPACE_NODE_LEASE as NODE_LEASE_NAMESPACE } from '../../api/types/coordination/index.js';

export interface FakeKubeletOptions {
  /** How often Pods and Leases are looked at (default 100 ms). */
  readonly intervalMs?: number;
  /** Extra labels per node. */
  readonly labels?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Delay between a Pod being bound and reported Ready (default 0). */
  readonly readyDelayMs?: number;
}

export class FakeKubelet {
  readonly #client: RestClient;
  readonly #nodes: readonly string[];
  readonly #opts: FakeKubeletOptions;
  readonly #silenced = new Set<string>();
  readonly #boundAt = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  #ipSeq = 10;

  constructor(client: RestClient, nodes: readonly string[], opts: FakeKubeletOptions = {}) {
    this.#client = client;
    this.#nodes = nodes;
    this.#opts = opts;
  }

  /** Creates the Nodes (Ready) and their Leases. */
  async registerNodes(): Promise<void> {
    const now = new Date();
    for (const [i, name] of this.#nodes.entries()) {
      await this.#client.create(resources.nodes, {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...(this.#opts.labels?.[name] ?? {}) } },
        spec: { podCIDR: `10.244.${i}.0/24`, podCIDRs: [`10.244.${i}.0/24`] },
        status: {
          conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: formatTime(now), lastTransitionTime: formatTime(now) }],
          addresses: [{ type: 'InternalIP', address: `172.18.0.${i + 2}` }, { type: 'Hostname', address: name }],
        },
      });
      await this.#client.create({ ...resources.leases, namespace: NODE_LEASE_NAMESPACE }, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace: NODE_LEASE_NAMESPACE },
        spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: formatMicroTime(now) },
      });
    }
  }

  start(): void {
    this.#timer = setInterval(() => void this.#tick(), this.#opts.intervalMs ?? 100);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  /** The node's agent goes silent: no Lease renewals, no Pod updates. */
  silence(node: string): void {
    this.#silenced.add(node);
  }

  async #tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      await this.#renewLeases();
      await this.#syncPods();
    } catch {
      // The server may be stopping under us; the next tick tries again.
    } finally {
      this.#busy = false;
    }
  }

  async #renewLeases(): Promise<void> {
    for (const name of this.#nodes) {
      if (this.#silenced.has(name)) continue;
      const ref = { ...resources.leases, namespace: NODE_LEASE_NAMESPACE, name };
      await this.#client.patch(ref, { spec: { renewTime: formatMicroTime(new Date()) } }, 'merge').catch(() => undefined);
    }
  }

  async #syncPods(): Promise<void> {
    const pods = await this.#client.list<Pod>(resources.pods);
    for (const pod of pods.items) {
      const node = pod.spec?.nodeName;
      if (!node || !this.#nodes.includes(node) || this.#silenced.has(node)) continue;
      const ref = { ...resources.pods, namespace: pod.metadata.namespace, name: pod.metadata.name! };
      if (pod.metadata.deletionTimestamp) {
        await this.#client.delete(ref, undefined, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 }).catch((err) => {
          if (!isNotFound(err)) throw err;
        });
        continue;
      }
      if (pod.status?.phase === 'Running') continue;
      const key = pod.metadata.uid!;
      const seen = this.#boundAt.get(key) ?? Date.now();
      this.#boundAt.set(key, seen);
      if (Date.now() - seen < (this.#opts.readyDelayMs ?? 0)) continue;
      await this.#markRunning(pod, node).catch((err) => {
        if (!isNotFound(err)) throw err;
      });
    }
  }

  async #markRunning(pod: Pod, node: string): Promise<void> {
    const now = formatTime(new Date());
    const nodeIndex = this.#nodes.indexOf(node);
    const ip = `10.244.${nodeIndex}.${this.#ipSeq++ % 250}`;
    const containers = ((pod.spec?.containers as { name: string; image?: string }[] | undefined) ?? []).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ready: true,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: now } },
    }));
    const status: KubeObject['status'] = {
      phase: 'Running',
      hostIP: `172.18.0.${nodeIndex + 2}`,
      hostIPs: [{ ip: `172.18.0.${nodeIndex + 2}` }],
      podIP: ip,
      podIPs: [{ ip }],
      startTime: now,
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: now },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: now },
        { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: now },
        { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: now },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now },
      ],
      containerStatuses: containers,
      qosClass: (pod.status as { qosClass?: string } | undefined)?.qosClass ?? 'BestEffort',
    };
    await this.#client.update({ ...resources.pods, namespace: pod.metadata.namespace, name: pod.metadata.name!, subresource: 'status' }, { ...pod, apiVersion: 'v1', kind: 'Pod', status });
  }
}
