// A small kube-scheduler: binds unscheduled Pods whose schedulerName is ours to a feasible Node
// through the pods/binding subresource. One worker, as the real scheduler's scheduling cycle is
// serial: its own bindings are "assumed" at once so the next decision counts them.
import { formatTime } from '../../api/meta.js';
import { isPodTerminal, podCondition } from '../../api/pod.js';
import type { Node, Pod, PodCondition } from '../../api/types/core/index.js';
import {
  apiErrorFromResponse,
  isConflict,
  isNotFound,
  metaNamespaceKey,
  realClock,
  resourcePath,
  resources,
  type CacheReader,
  type Clock,
  type EventRecorder,
  type RestClient,
} from '../../client/index.js';
import type { Logger } from '../../util/logger.js';
import { KeyedWorker, logSyncError, objectRef } from '../shared/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { filterNode, fitErrorMessage, NO_NODES_AVAILABLE } from './filters.js';
import { pickNode } from './score.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export interface SchedulerOptions {
  /** Pods with this spec.schedulerName are ours (default `default-scheduler`). */
  readonly schedulerName?: string;
  /** Retry an unschedulable Pod this often even when no Node changed (default 30 s). */
  readonly unschedulableRetryMs?: number;
  readonly clock?: Clock;
}

/** A Pod this scheduler should place. */
function needsScheduling(pod: Pod, schedulerName: string): boolean {
  return !pod.spec?.nodeName && !pod.metadata.deletionTimestamp && (pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME) === schedulerName && !isPodTerminal(pod);
}

/** What about a Node can change a filter's answer (heartbeats alone cannot). */
function schedulingRelevant(node: Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  return JSON.stringify([node.metadata.labels ?? {}, node.spec?.taints ?? [], node.spec?.unschedulable ?? false, ready]);
}

export class Scheduler implements Controller {
  readonly name = 'scheduler';
  readonly #schedulerName: string;
  readonly #retryMs: number;
  readonly #clock: Clock;
  readonly #worker: KeyedWorker;
  /** Bindings we made that the Pod informer has not shown yet: pod key → node. */
  readonly #assumed = new Map<string, string>();
  /** Pods that did not fit last time: retried when a Node changes. */
  readonly #unschedulable = new Set<string>();
  #client!: RestClient;
  #recorder!: EventRecorder;
  #logger!: Logger;
  #pods!: CacheReader<Pod>;
  #nodes!: CacheReader<Node>;

  constructor(opts: SchedulerOptions = {}) {
    this.#schedulerName = opts.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    this.#retryMs = opts.unschedulableRetryMs ?? 30_000;
    this.#clock = opts.clock ?? realClock;
    this.#worker = new KeyedWorker({ name: 'scheduler', clock: this.#clock });
  }

  init(ctx: ControllerContext): void {
    this.#client = ctx.client;
    this.#recorder = ctx.recorder(DEFAULT_SCHEDULER_NAME);
    this.#logger = ctx.logger;
    const pods = ctx.informers.informerFor<Pod>(resources.pods);
    const nodes = ctx.informers.informerFor<Node>(resources.nodes);
    this.#pods = pods.store;
    this.#nodes = nodes.store;
    pods.addEventHandler({
      onAdd: (p) => this.#podChanged(p),
      onUpdate: (_o, p) => this.#podChanged(p),
      onDelete: (p) => {
        const key = metaNamespaceKey(p);
        this.#assumed.delete(key);
        this.#unschedulable.delete(key);
        // A Pod leaving frees room: Pods waiting for it may fit now.
        if (p.spec?.nodeName) this.#retryUnschedulable();
      },
    });
    nodes.addEventHandler({
      onAdd: () => this.#retryUnschedulable(),
      onUpdate: (o, n) => {
        if (schedulingRelevant(o) !== schedulingRelevant(n)) this.#retryUnschedulable();
      },
    });
  }

  async run(): Promise<void> {
    await this.#worker.run(1, (key) => this.#scheduleOne(key), logSyncError(this.#logger, 'error scheduling pod', { conflictsAtDebug: false }));
  }

  async stop(): Promise<void> {
    this.#worker.stop();
  }

  #podChanged(pod: Pod): void {
    const key = metaNamespaceKey(pod);
    if (pod.spec?.nodeName) {
      this.#assumed.delete(key);
      this.#unschedulable.delete(key);
      return;
    }
    // An unschedulable Pod waits for a Node change or its retry timer, not for its own updates
    // (our condition write would otherwise retry it at once).
    if (this.#unschedulable.has(key)) return;
    if (needsScheduling(pod, this.#schedulerName) && !this.#assumed.has(key)) this.#worker.add(key);
  }

  #retryUnschedulable(): void {
    for (const key of this.#unschedulable) this.#worker.add(key);
  }

  /** Pods on each node: bound ones from the cache plus our assumed bindings. */
  #podsByNode(): Map<string, Pod[]> {
    const m = new Map<string, Pod[]>();
    const add = (node: string, pod: Pod) => {
      let l = m.get(node);
      if (!l) m.set(node, (l = []));
      l.push(pod);
    };
    for (const pod of this.#pods.list()) {
      if (isPodTerminal(pod)) continue;
      const node = pod.spec?.nodeName || this.#assumed.get(metaNamespaceKey(pod));
      if (node) add(node, pod);
    }
    return m;
  }

  async #scheduleOne(key: string): Promise<void> {
    const pod = this.#pods.get(key);
    if (!pod || !needsScheduling(pod, this.#schedulerName) || this.#assumed.has(key)) {
      this.#unschedulable.delete(key);
      return;
    }
    const nodes = this.#nodes.list().sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    const feasible: Node[] = [];
    const reasons: string[] = [];
    for (const node of nodes) {
      const reason = filterNode(pod, node);
      if (reason) reasons.push(reason);
      else feasible.push(node);
    }
    const byNode = this.#podsByNode();
    const chosen = pickNode(pod, feasible, (n) => ({ pods: byNode.get(n) ?? [] }));
    if (!chosen) {
      const message = nodes.length === 0 ? NO_NODES_AVAILABLE : fitErrorMessage(nodes.length, reasons);
      await this.#recordFailure(pod, message);
      return;
    }
    const nodeName = chosen.metadata.name!;
    this.#assumed.set(key, nodeName);
    try {
      const path = resourcePath({ ...resources.pods, namespace: pod.metadata.namespace, name: pod.metadata.name!, subresource: 'binding' });
      const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid }, target: { kind: 'Node', name: nodeName } };
      const res = await this.#client.raw('POST', path, { body: binding });
      if (res.status < 200 || res.status > 299) throw apiErrorFromResponse(res.status, res.body.toString('utf8'));
    } catch (err) {
      this.#assumed.delete(key);
      // Gone, or bound by someone else meanwhile: nothing to do.
      if (isNotFound(err) || isConflict(err)) return;
      await this.#recordFailure(pod, `binding rejected: ${(err as Error).message}`);
      throw err;
    }
    this.#unschedulable.delete(key);
    void this.#recorder.event(objectRef(pod, 'v1', 'Pod'), 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`);
  }

  async #recordFailure(pod: Pod, message: string): Promise<void> {
    const key = metaNamespaceKey(pod);
    this.#unschedulable.add(key);
    this.#worker.addAfter(key, this.#retryMs);
    void this.#recorder.event(objectRef(pod, 'v1', 'Pod'), 'Warning', 'FailedScheduling', message);
    const current = podCondition(pod, 'PodScheduled');
    if (current?.status === 'False' && current.reason === 'Unschedulable' && current.message === message) return;
    const condition: PodCondition = {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: current?.status === 'False' && current.lastTransitionTime ? current.lastTransitionTime : formatTime(new Date(this.#clock.now())),
      reason: 'Unschedulable',
      message,
    };
    try {
      await this.#client.patch(
        { ...resources.pods, namespace: pod.metadata.namespace, name: pod.metadata.name!, subresource: 'status' },
        { status: { conditions: [condition] } },
        'strategic',
      );
    } catch (err) {
      if (!isNotFound(err)) this.#logger.warn('cannot update PodScheduled condition', { pod: key, err: String(err) });
    }
  }
}
