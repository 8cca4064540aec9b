// NodeAgent: svcnet's kubelet. Registers its Node, renews its Lease in kube-node-lease, reports
// Node status, watches the Pods bound to it (fieldSelector spec.nodeName) and the Services (for
// Service environment variables), runs the Pods through the node runtime, writes their status
// through pods/status, and serves the kubelet API (logs) on a unix socket.
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CLUSTER_DOMAIN, DEFAULT_DNS_SERVICE_IP } from '../../api/defaults/cluster.js';
import type { KubeObject } from '../../api/meta.js';
import { formatMicroTime, formatTime } from '../../api/meta.js';
import { EventRecorder, isAlreadyExists, isConflict, isNotFound, resources } from '../../client/index.js';
import type { HandlerRegistration, RestClient, SharedInformer, SharedInformerFactory } from '../../client/index.js';
import { createLogger } from '../../util/logger.js';
import type { Logger } from '../../util/logger.js';
import { CrashLoopBackoff } from '../runtime/backoff.js';
import type { BackoffOptions } from '../runtime/backoff.js';
import { parseResolvConf } from '../runtime/dns-config.js';
import { hostPortMappings } from '../runtime/host-ports.js';
import { directProber, HelperProber } from '../runtime/net-prober.js';
import type { NetProber } from '../runtime/net-prober.js';
import type { NodePodNetwork } from '../runtime/pod-network.js';
import { NodeRuntime } from '../runtime/runtime.js';
import type { ConfigMap, Pod, PodStatus, Service } from '../../api/types/core/v1.js';
import { HostPortRules } from './host-port-rules.js';
import { KubeletServer, kubeletSocketPath } from './kubelet-server.js';
import type { StreamingHandlers } from './kubelet-server.js';
import { initialNode, machineFacts, nodeStatus } from './node-status.js';
import type { NodeFacts } from './node-status.js';

export const nodeLeaseNamespace = 'kube-node-lease';

export interface NodeAgentOptions {
  readonly nodeName: string;
  readonly client: RestClient;
  /**
   * The node's shared informers (on `client`), owned by the caller: the agent adds its Pod and
   * Service informers, starts what is not running yet, and leaves the factory running on stop.
   */
  readonly informers: SharedInformerFactory;
  /** Served on the kubelet socket besides /containerLogs (exec, port-forward). */
  readonly kubeletHandlers?: StreamingHandlers;
  /** The cluster data dir: logs in `<dataDir>/pods`, the socket in `<dataDir>/nodes/<node>/`. */
  readonly dataDir: string;
  readonly network: NodePodNetwork;
  /** --cluster-dns (default DEFAULT_DNS_SERVICE_IP) and --cluster-domain (default CLUSTER_DOMAIN). */
  readonly clusterDNS?: readonly string[];
  readonly clusterDomain?: string;
  /** --resolv-conf: the node's resolver config for dnsPolicy Default (default /etc/resolv.conf). */
  readonly resolvConf?: string;
  /** Where per-Pod /etc files go for `ip netns exec` (default /etc/netns). */
  readonly etcNetnsDir?: string;
  /** Crash-loop back-off (default 10 s doubling to 5 min). */
  readonly backoff?: BackoffOptions;
  /** Lease renewal (default 10 s) and Node status report (default 5 min) intervals. */
  readonly leaseRenewMs?: number;
  readonly statusReportMs?: number;
  /** HTTP/TCP probing; default: direct when this process is in the node namespace, else a helper there. */
  readonly prober?: NetProber;
  /** Program hostPort DNAT with nft in the node namespace (default true). */
  readonly hostPorts?: boolean;
  readonly logger?: Logger;
}

export class NodeAgent {
  readonly nodeName: string;
  readonly runtime: NodeRuntime;
  readonly socketPath: string;
  readonly #o: NodeAgentOptions;
  readonly #client: RestClient;
  readonly #log: Logger;
  readonly #factory: SharedInformerFactory;
  readonly #recorder: EventRecorder;
  readonly #server: KubeletServer;
  #services: SharedInformer<Service> | undefined;
  #podHandler: HandlerRegistration | undefined;
  #prober: NetProber | undefined;
  #facts: NodeFacts | undefined;
  #timers: NodeJS.Timeout[] = [];
  readonly #statusChains = new Map<string, Promise<void>>();
  readonly #hostPorts: HostPortRules;
  #stopped = false;

  constructor(opts: NodeAgentOptions) {
    this.#o = opts;
    this.nodeName = opts.nodeName;
    this.#client = opts.client;
    this.#log = opts.logger ?? createLogger({ component: 'node-agent' }).child({ node: opts.nodeName });
    this.#factory = opts.informers;
    this.#recorder = new EventRecorder(opts.client, { component: 'kubelet', host: opts.nodeName, logger: this.#log });
    const backoff = new CrashLoopBackoff(opts.backoff);
    const resolvConf = opts.resolvConf ?? '/etc/resolv.conf';
    this.runtime = new NodeRuntime({
      network: opts.network,
      prober: { probe: (req) => this.#prober!.probe(req), close() {} },
      backoff,
      podsDir: join(opts.dataDir, 'pods'),
      etcNetnsDir: opts.etcNetnsDir ?? '/etc/netns',
      dns: { clusterDNS: opts.clusterDNS ?? [DEFAULT_DNS_SERVICE_IP], clusterDomain: opts.clusterDomain ?? CLUSTER_DOMAIN },
      hostDNS: () => parseResolvConf(readText(resolvConf)),
      nodeHosts: () => readText('/etc/hosts'),
      services: () => (this.#services?.hasSynced() ? this.#services.store.list() : undefined),
      configMap: (ns, name) => this.#getConfigMap(ns, name),
      event: (pod, type, reason, message, fieldPath) => this.#event(pod, type, reason, message, fieldPath),
      publishStatus: (pod, status) => this.#publishStatus(pod, status),
      onTerminated: (pod) => void this.#deletePod(pod),
      logger: this.#log,
    });
    const net = opts.network;
    this.#hostPorts = new HostPortRules({ exec: (ns, argv, input) => net.exec(ns, argv, input), namespace: net.nodeNamespace, logger: this.#log });
    this.socketPath = kubeletSocketPath(opts.dataDir, opts.nodeName);
    this.#server = new KubeletServer(this.socketPath, { nodeName: opts.nodeName, runtime: this.runtime, handlers: opts.kubeletHandlers });
  }

  /** Registers the Node, starts heartbeats, the kubelet socket and the Pod watch. */
  async start(): Promise<void> {
    const net = this.#o.network;
    this.#facts = machineFacts(this.nodeName, net.nodeAddress, net.podCidr, this.#o.dataDir);
    this.#prober = this.#o.prober ?? (await this.#defaultProber());
    await this.#registerNode();
    await this.#renewLease();
    this.#timers.push(setInterval(() => void this.#renewLease(), this.#o.leaseRenewMs ?? 10_000));
    this.#timers.push(setInterval(() => void this.#reportNodeStatus(), this.#o.statusReportMs ?? 300_000));
    await this.#server.listen();
    this.#services = this.#factory.informerFor<Service>(resources.services);
    const pods = this.#factory.informerFor<Pod>(resources.pods, { fieldSelector: `spec.nodeName=${this.nodeName}` });
    this.#podHandler = pods.addEventHandler({
      onAdd: (pod) => this.runtime.syncPod(pod),
      onUpdate: (_old, pod) => this.runtime.syncPod(pod),
      onDelete: (pod) => {
        this.#hostPorts.set(pod.metadata.uid!, []);
        this.#applyHostPorts();
        void this.runtime.removePod(pod);
      },
    });
    // Starts only informers not yet running (the factory may be shared with other components).
    this.#factory.start();
    // Service links need the Service cache (the kubelet waits for it before starting Pods).
    await Promise.all([this.#services.waitForSync(), pods.waitForSync()]);
    this.#log.info('node agent started', { socket: this.socketPath });
  }

  /** Stops watching and every Pod process (their namespaces go too); leaves the API objects. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers) clearInterval(t);
    // The factory belongs to the caller; this agent only stops listening to it.
    this.#podHandler?.remove();
    await this.runtime.shutdown();
    await this.#server.close().catch(() => {});
    this.#prober?.close();
    await this.#hostPorts.clear();
  }

  async #defaultProber(): Promise<NetProber> {
    const net = this.#o.network;
    const [self, node] = await Promise.all([stat('/proc/self/ns/net'), stat(`/run/netns/${net.nodeNamespace}`).catch(() => undefined)]);
    if (node && self.ino === node.ino && self.dev === node.dev) return directProber;
    return new HelperProber((argv) => net.spawnIn(net.nodeNamespace, argv, { stdio: ['pipe', 'pipe', 'inherit'] }));
  }

  async #registerNode(): Promise<void> {
    const f = this.#facts!;
    const now = formatTime(new Date());
    try {
      await this.#client.create(resources.nodes, initialNode(f, now));
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      // Re-registration (agent restart): keep the object, refresh spec.podCIDR and status.
      await this.#client.patch({ ...resources.nodes, name: f.name }, { spec: { podCIDR: f.podCidr, podCIDRs: [f.podCidr] } }, 'merge').catch(() => {});
      await this.#reportNodeStatus();
    }
  }

  async #reportNodeStatus(): Promise<void> {
    if (this.#stopped) return;
    try {
      const node = await this.#client.get<KubeObject>({ ...resources.nodes, name: this.nodeName });
      const prev = ((node.status as { conditions?: [] } | undefined)?.conditions ?? []) as Parameters<typeof nodeStatus>[2];
      await this.#client.patch({ ...resources.nodes, name: this.nodeName, subresource: 'status' }, { status: nodeStatus(this.#facts!, formatTime(new Date()), prev) }, 'merge');
    } catch (err) {
      this.#log.warn('node status update failed', { err: (err as Error).message });
    }
  }

  async #renewLease(): Promise<void> {
    if (this.#stopped) return;
    const ref = { ...resources.leases, namespace: nodeLeaseNamespace, name: this.nodeName };
    const renewTime = formatMicroTime(new Date());
    try {
      try {
        await this.#client.patch(ref, { spec: { holderIdentity: this.nodeName, leaseDurationSeconds: 40, renewTime } }, 'merge');
      } catch (err) {
        if (!isNotFound(err)) throw err;
        const node = await this.#client.get<KubeObject>({ ...resources.nodes, name: this.nodeName });
        await this.#client.create(
          { ...resources.leases, namespace: nodeLeaseNamespace },
          {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: {
              name: this.nodeName,
              namespace: nodeLeaseNamespace,
              ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid: node.metadata.uid! }],
            },
            spec: { holderIdentity: this.nodeName, leaseDurationSeconds: 40, renewTime },
          },
        );
      }
    } catch (err) {
      this.#log.warn('lease renewal failed', { err: (err as Error).message });
    }
  }

  async #getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined> {
    try {
      return await this.#client.get<ConfigMap>({ ...resources.configmaps, namespace, name });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  #event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    const m = pod.metadata;
    const ref = { kind: 'Pod', apiVersion: 'v1', namespace: m.namespace, name: m.name!, uid: m.uid, ...(fieldPath ? { fieldPath } : {}) };
    void this.#recorder.event(ref, type, reason, message);
  }

  // One status write at a time per Pod, in order; a write for a deleted Pod is dropped.
  #publishStatus(pod: Pod, status: PodStatus): void {
    if (this.#stopped) return;
    const uid = pod.metadata.uid!;
    this.#trackHostPorts(pod, status);
    const prev = this.#statusChains.get(uid) ?? Promise.resolve();
    const next = prev.then(async () => {
      const ref = { ...resources.pods, namespace: pod.metadata.namespace, name: pod.metadata.name!, subresource: 'status' };
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await this.#client.patch(ref, { status }, 'merge');
          return;
        } catch (err) {
          if (isNotFound(err)) return;
          if (!isConflict(err)) {
            this.#log.warn('pod status update failed', { pod: pod.metadata.name, err: (err as Error).message });
            return;
          }
        }
      }
    });
    this.#statusChains.set(uid, next);
    void next.finally(() => {
      if (this.#statusChains.get(uid) === next) this.#statusChains.delete(uid);
    });
  }

  async #deletePod(pod: Pod): Promise<void> {
    const uid = pod.metadata.uid!;
    await this.#statusChains.get(uid)?.catch(() => {});
    try {
      await this.#client.delete({ ...resources.pods, namespace: pod.metadata.namespace, name: pod.metadata.name! }, undefined, {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        gracePeriodSeconds: 0,
        preconditions: { uid },
      });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) this.#log.warn('pod deletion failed', { pod: pod.metadata.name, err: (err as Error).message });
    }
  }

  #trackHostPorts(pod: Pod, status: PodStatus): void {
    if (this.#o.hostPorts === false) return;
    const uid = pod.metadata.uid!;
    const live = status.podIP && status.phase !== 'Succeeded' && status.phase !== 'Failed';
    const mappings = live ? hostPortMappings(pod, status.podIP!) : [];
    if (mappings.length > 0 || this.#hostPorts.has(uid)) this.#hostPorts.set(uid, mappings);
    // Every status write is a sync: it also retries a ruleset nft refused before.
    this.#applyHostPorts();
  }

  #applyHostPorts(): void {
    if (this.#o.hostPorts === false) return;
    void this.#hostPorts.sync();
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
