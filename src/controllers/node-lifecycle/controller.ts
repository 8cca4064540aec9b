// The node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go):
// every monitor period, a Node whose Lease (kube-node-lease/<node>) and Ready heartbeat have not
// moved for the grace period gets its conditions set to Unknown; Nodes get the not-ready /
// unreachable taints their Ready condition calls for; Pods on a Node that is not Ready get their
// Ready condition set to False (MarkPodsNotReady) so their endpoints stop being ready.
import { formatTime } from '../../api/meta.js';
import { isPodReady } from '../../api/pod.js';
import type { Lease } from '../../api/types/coordination/index.js';
import { NAMESPACE_NODE_LEASE } from '../../api/types/coordination/index.js';
import type { Node, NodeCondition, Taint } from '../../api/types/core/index.js';
import { isConflict, isNotFound, realClock, resources, sleep, type CacheReader, type Clock, type EventRecorder, type RestClient } from '../../client/index.js';
import type { Logger } from '../../util/logger.js';
import type { Pod } from '../../api/types/core/index.js';
import { objectRef } from '../shared/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { desiredTaints, markNodeUnknown, taintsEqual } from './health.js';

/** Where node heartbeat Leases live (kept under this name for callers). */
export const NODE_LEASE_NAMESPACE = NAMESPACE_NODE_LEASE;
export const NODE_CONTROLLER_COMPONENT = 'node-controller';

export interface NodeLifecycleControllerOptions {
  /** --node-monitor-grace-period (default 40 s). */
  readonly gracePeriodMs?: number;
  /** --node-monitor-period (default 5 s). */
  readonly monitorPeriodMs?: number;
  readonly clock?: Clock;
}

interface Health {
  /** When we last saw the heartbeat move (our clock, as upstream's probeTimestamp). */
  probeMs: number;
  readyHeartbeat?: string | null;
  leaseRenew?: string | null;
  /** The Ready status as this controller last saw it. */
  lastReady?: string;
}

export class NodeLifecycleController implements Controller {
  readonly name = 'nodelifecycle';
  readonly #grace: number;
  readonly #period: number;
  readonly #clock: Clock;
  readonly #health = new Map<string, Health>();
  readonly #stopped = new AbortController();
  #client!: RestClient;
  #recorder!: EventRecorder;
  #logger!: Logger;
  #nodes!: CacheReader<Node>;
  #leases!: CacheReader<Lease>;
  #pods!: CacheReader<Pod>;

  constructor(opts: NodeLifecycleControllerOptions = {}) {
    this.#grace = opts.gracePeriodMs ?? 40_000;
    this.#period = opts.monitorPeriodMs ?? 5_000;
    this.#clock = opts.clock ?? realClock;
  }

  init(ctx: ControllerContext): void {
    this.#client = ctx.client;
    this.#recorder = ctx.recorder(NODE_CONTROLLER_COMPONENT);
    this.#logger = ctx.logger;
    this.#nodes = ctx.informers.informerFor<Node>(resources.nodes).store;
    this.#leases = ctx.informers.informerFor<Lease>(resources.leases, { namespace: NODE_LEASE_NAMESPACE }).store;
    this.#pods = ctx.informers.informerFor<Pod>(resources.pods).store;
  }

  async run(): Promise<void> {
    while (!this.#stopped.signal.aborted) {
      try {
        await this.monitorNodeHealth();
      } catch (err) {
        this.#logger.warn('node health pass failed', { err: String(err) });
      }
      await sleep(this.#clock, this.#period, this.#stopped.signal);
    }
  }

  async stop(): Promise<void> {
    this.#stopped.abort();
  }

  /** One monitor pass over every Node. */
  async monitorNodeHealth(): Promise<void> {
    const now = this.#clock.now();
    const names = new Set<string>();
    for (const cached of this.#nodes.list()) {
      const name = cached.metadata.name!;
      names.add(name);
      try {
        await this.#monitorOne(cached, now);
      } catch (err) {
        this.#logger.warn('node health update failed', { node: name, err: String(err) });
      }
    }
    for (const name of this.#health.keys()) if (!names.has(name)) this.#health.delete(name);
  }

  async #monitorOne(cached: Node, now: number): Promise<void> {
    const name = cached.metadata.name!;
    const ready = cached.status?.conditions?.find((c) => c.type === 'Ready');
    const lease = this.#leases.get(`${NODE_LEASE_NAMESPACE}/${name}`);
    let h = this.#health.get(name);
    if (!h) {
      h = { probeMs: now, readyHeartbeat: ready?.lastHeartbeatTime, leaseRenew: lease?.spec?.renewTime, lastReady: ready?.status };
      this.#health.set(name, h);
    }
    if (ready?.lastHeartbeatTime !== h.readyHeartbeat) {
      h.readyHeartbeat = ready?.lastHeartbeatTime;
      h.probeMs = now;
    }
    if (lease?.spec?.renewTime !== h.leaseRenew) {
      h.leaseRenew = lease?.spec?.renewTime;
      h.probeMs = now;
    }

    let node = cached;
    if (now - h.probeMs > this.#grace) {
      const conditions = markNodeUnknown(node.status?.conditions, now);
      if (conditions) node = await this.#updateNodeStatus(node, conditions);
    }
    const readyNow = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    if (h.lastReady === 'True' && readyNow !== 'True') {
      void this.#recorder.event({ apiVersion: 'v1', kind: 'Node', name, uid: name }, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    }
    h.lastReady = readyNow;

    const taints = desiredTaints(node, now);
    if (!taintsEqual(taints, node.spec?.taints)) await this.#updateTaints(node, taints);
    if (readyNow !== 'True') await this.#markPodsNotReady(name);
  }

  async #updateNodeStatus(node: Node, conditions: NodeCondition[]): Promise<Node> {
    const body = { apiVersion: 'v1', kind: 'Node', ...node, status: { ...(node.status ?? {}), conditions } };
    return this.#client.update<Node>({ ...resources.nodes, name: node.metadata.name!, subresource: 'status' }, body);
  }

  async #updateTaints(node: Node, taints: Taint[]): Promise<void> {
    try {
      await this.#client.patch(
        { ...resources.nodes, name: node.metadata.name! },
        { metadata: { resourceVersion: node.metadata.resourceVersion }, spec: { taints: taints.length ? taints : null } },
        'merge',
      );
    } catch (err) {
      // A stale view: the next pass tries again with the newer Node.
      if (!isConflict(err) && !isNotFound(err)) throw err;
    }
  }

  /** MarkPodsNotReady: Ready=False on every Pod of the Node that still says Ready. */
  async #markPodsNotReady(nodeName: string): Promise<void> {
    const now = formatTime(new Date(this.#clock.now()));
    for (const pod of this.#pods.list()) {
      if (pod.spec?.nodeName !== nodeName || !isPodReady(pod)) continue;
      try {
        await this.#client.patch(
          { ...resources.pods, namespace: pod.metadata.namespace, name: pod.metadata.name!, subresource: 'status' },
          { status: { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: now }] } },
          'strategic',
        );
        void this.#recorder.event(objectRef(pod, 'v1', 'Pod'), 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (err) {
        if (!isNotFound(err)) this.#logger.warn('cannot mark pod not ready', { pod: `${pod.metadata.namespace}/${pod.metadata.name}`, err: String(err) });
      }
    }
  }
}
