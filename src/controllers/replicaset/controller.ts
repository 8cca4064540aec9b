// The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): keeps spec.replicas
// active Pods that match the selector and carry its controllerRef, adopting orphans and releasing
// Pods that stopped matching, and reports counts in status. Writes go through the API only.
import { isPodReady } from '../../api/pod.js';
import type { ReplicaSet } from '../../api/types/apps/index.js';
import type { Pod } from '../../api/types/core/index.js';
import {
  isConflict,
  isNotFound,
  metaNamespaceKey,
  NAMESPACE_INDEX,
  realClock,
  resources,
  splitMetaNamespaceKey,
  type CacheReader,
  type Clock,
  type EventRecorder,
  type RestClient,
  type SharedInformer,
} from '../../client/index.js';
import type { Logger } from '../../util/logger.js';
import { controllerOf, isNamespaceTerminatingError, KeyedWorker, logSyncError, newControllerRef, objectRef, resolveControllerRef } from '../shared/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { ControllerExpectations } from './expectations.js';
import { getPodsToDelete } from './rank.js';
import {
  BURST_REPLICAS,
  calculateReplicaSetStatus,
  claimPods,
  nextAvailabilityCheckMs,
  podFromTemplate,
  replicaSetSelector,
  slowStartBatches,
  statusChanged,
} from './reconcile.js';

export interface ReplicaSetControllerOptions {
  /** --concurrent-replicaset-syncs (default 5). */
  readonly workers?: number;
  /** Most Pods created or deleted in one sync (default 500, upstream's BurstReplicas). */
  readonly burstReplicas?: number;
  readonly clock?: Clock;
}

export const REPLICASET_COMPONENT = 'replicaset-controller';

export class ReplicaSetController implements Controller {
  readonly name = 'replicaset';
  readonly #opts: ReplicaSetControllerOptions;
  readonly #clock: Clock;
  readonly #worker: KeyedWorker;
  readonly #expectations: ControllerExpectations;
  #client!: RestClient;
  #recorder!: EventRecorder;
  #logger!: Logger;
  #rsInformer!: SharedInformer<ReplicaSet>;
  #pods!: CacheReader<Pod>;

  constructor(opts: ReplicaSetControllerOptions = {}) {
    this.#opts = opts;
    this.#clock = opts.clock ?? realClock;
    this.#worker = new KeyedWorker({ name: 'replicaset', clock: this.#clock });
    this.#expectations = new ControllerExpectations(this.#clock);
  }

  init(ctx: ControllerContext): void {
    this.#client = ctx.client;
    this.#recorder = ctx.recorder(REPLICASET_COMPONENT);
    this.#logger = ctx.logger;
    this.#rsInformer = ctx.informers.informerFor<ReplicaSet>(resources.replicasets);
    const podInformer = ctx.informers.informerFor<Pod>(resources.pods);
    this.#pods = podInformer.store;
    this.#rsInformer.addEventHandler({
      onAdd: (rs) => this.#enqueue(rs),
      onUpdate: (_old, rs) => this.#enqueue(rs),
      onDelete: (rs) => {
        this.#expectations.delete(metaNamespaceKey(rs));
        this.#enqueue(rs);
      },
    });
    podInformer.addEventHandler({
      onAdd: (pod) => this.#addPod(pod),
      onUpdate: (old, cur) => this.#updatePod(old, cur),
      onDelete: (pod) => this.#deletePod(pod),
    });
  }

  async run(): Promise<void> {
    await this.#worker.run(this.#opts.workers ?? 5, (key) => this.#sync(key), logSyncError(this.#logger, 'error syncing replicaset'));
  }

  async stop(): Promise<void> {
    this.#worker.stop();
  }

  // ---- event handlers: only bookkeeping and enqueueing ----

  #enqueue(rs: ReplicaSet): void {
    this.#worker.enqueue(rs);
  }

  /** resolveControllerRef: the ReplicaSet a controllerRef points at, if it is in our cache. */
  #ownerOf(pod: Pod): ReplicaSet | undefined {
    return resolveControllerRef(this.#rsInformer.store, pod.metadata.namespace, controllerOf(pod), 'ReplicaSet');
  }

  #matchingReplicaSets(pod: Pod): ReplicaSet[] {
    if (!pod.metadata.labels) return [];
    return this.#rsInformer.store
      .byIndex(NAMESPACE_INDEX, pod.metadata.namespace ?? '')
      .filter((rs) => replicaSetSelector(rs).matches(pod.metadata.labels));
  }

  #addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) return this.#deletePod(pod);
    if (controllerOf(pod)) {
      const rs = this.#ownerOf(pod);
      if (!rs) return;
      this.#expectations.creationObserved(metaNamespaceKey(rs));
      return this.#enqueue(rs);
    }
    for (const rs of this.#matchingReplicaSets(pod)) this.#enqueue(rs);
  }

  #updatePod(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp) {
      // A Pod being deleted counts as deleted now: its RS may replace it at once.
      this.#deletePod(cur);
      if (labelsChanged) this.#deletePod(old);
      return;
    }
    const oldRef = controllerOf(old);
    const curRef = controllerOf(cur);
    const refChanged = oldRef?.uid !== curRef?.uid;
    if (refChanged && oldRef) {
      const rs = this.#ownerOf(old);
      if (rs) this.#enqueue(rs);
    }
    if (curRef) {
      const rs = this.#ownerOf(cur);
      if (!rs) return;
      this.#enqueue(rs);
      // A Pod that just became ready becomes available after minReadySeconds: look again then.
      const minReady = rs.spec?.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.#worker.addAfter(metaNamespaceKey(rs), minReady * 1000 + 50);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.#matchingReplicaSets(cur)) this.#enqueue(rs);
  }

  #deletePod(pod: Pod): void {
    const rs = this.#ownerOf(pod);
    if (!rs) return;
    const key = metaNamespaceKey(rs);
    this.#expectations.deletionObserved(key, metaNamespaceKey(pod));
    this.#worker.add(key);
  }

  // ---- sync ----

  async #sync(key: string): Promise<void> {
    const cached = this.#rsInformer.store.get(key);
    if (!cached) {
      this.#expectations.delete(key);
      return;
    }
    const rs = cached;
    const needsSync = this.#expectations.satisfied(key);
    const selector = replicaSetSelector(rs);
    const allPods = this.#pods.byIndex(NAMESPACE_INDEX, rs.metadata.namespace ?? '');
    const claim = claimPods(rs, selector, allPods);
    const filtered = [...claim.owned];
    filtered.push(...(await this.#adopt(rs, claim.adopt)));
    await this.#release(rs, claim.release);

    let manageError: { diff: number; message: string } | undefined;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        await this.#manageReplicas(key, rs, filtered);
      } catch (err) {
        manageError = { diff: filtered.length - (rs.spec?.replicas ?? 1), message: String((err as Error).message ?? err) };
      }
    }
    await this.#updateStatus(rs, filtered, manageError);
    const next = nextAvailabilityCheckMs(rs, filtered, this.#clock.now());
    if (next !== undefined) this.#worker.addAfter(key, next);
    if (manageError) throw new Error(manageError.message);
  }

  async #adopt(rs: ReplicaSet, pods: readonly Pod[]): Promise<Pod[]> {
    if (pods.length === 0) return [];
    // RecheckDeletionTimestamp: adopt only for a ReplicaSet that still exists and is not going away.
    const fresh = await this.#client.get<ReplicaSet>({ ...resources.replicasets, namespace: rs.metadata.namespace, name: rs.metadata.name! }).catch(() => undefined);
    if (!fresh || fresh.metadata.uid !== rs.metadata.uid || fresh.metadata.deletionTimestamp) return [];
    const adopted: Pod[] = [];
    for (const pod of pods) {
      const patch = { metadata: { ownerReferences: [newControllerRef(rs, 'apps/v1', 'ReplicaSet')], uid: pod.metadata.uid } };
      try {
        adopted.push(await this.#client.patch<Pod>({ ...resources.pods, namespace: pod.metadata.namespace, name: pod.metadata.name! }, patch, 'strategic'));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return adopted;
  }

  async #release(rs: ReplicaSet, pods: readonly Pod[]): Promise<void> {
    for (const pod of pods) {
      const patch = { metadata: { ownerReferences: [{ $patch: 'delete', uid: rs.metadata.uid }], uid: pod.metadata.uid } };
      try {
        await this.#client.patch({ ...resources.pods, namespace: pod.metadata.namespace, name: pod.metadata.name! }, patch, 'strategic');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  async #manageReplicas(key: string, rs: ReplicaSet, filtered: readonly Pod[]): Promise<void> {
    const want = rs.spec?.replicas ?? 1;
    const burst = this.#opts.burstReplicas ?? BURST_REPLICAS;
    const diff = filtered.length - want;
    if (diff < 0) {
      const n = Math.min(-diff, burst);
      if (!Object.keys(rs.spec?.template?.metadata?.labels ?? {}).length) throw new Error('unable to create pods, no labels');
      this.#expectations.expectCreations(key, n);
      let done = 0;
      for (const size of slowStartBatches(n)) {
        const results = await Promise.allSettled(Array.from({ length: size }, () => this.#createPod(rs)));
        done += size;
        const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
        if (failed.length) {
          // The failed ones and the never-started rest will not show up in the informer.
          for (let i = 0; i < failed.length + (n - done); i++) this.#expectations.creationObserved(key);
          throw failed[0]!.reason;
        }
      }
      return;
    }
    if (diff > 0) {
      const n = Math.min(diff, burst);
      const victims = getPodsToDelete(filtered, this.#relatedPods(rs), n, this.#clock.now());
      this.#expectations.expectDeletions(key, victims.map((p) => metaNamespaceKey(p)));
      const results = await Promise.allSettled(victims.map((p) => this.#deleteOne(key, rs, p)));
      const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
      if (failed) throw failed.reason;
    }
  }

  async #createPod(rs: ReplicaSet): Promise<void> {
    try {
      const created = await this.#client.create<Pod>({ ...resources.pods, namespace: rs.metadata.namespace }, podFromTemplate(rs));
      void this.#recorder.event(objectRef(rs, 'apps/v1', 'ReplicaSet'), 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    } catch (err) {
      // A terminating namespace refuses new content: expected, not worth an Event.
      if (!isNamespaceTerminatingError(err)) {
        void this.#recorder.event(objectRef(rs, 'apps/v1', 'ReplicaSet'), 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
      }
      throw err;
    }
  }

  async #deleteOne(key: string, rs: ReplicaSet, pod: Pod): Promise<void> {
    try {
      await this.#client.delete({ ...resources.pods, namespace: pod.metadata.namespace, name: pod.metadata.name! });
      void this.#recorder.event(objectRef(rs, 'apps/v1', 'ReplicaSet'), 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    } catch (err) {
      this.#expectations.deletionObserved(key, metaNamespaceKey(pod));
      if (isNotFound(err)) return;
      void this.#recorder.event(objectRef(rs, 'apps/v1', 'ReplicaSet'), 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
      throw err;
    }
  }

  /** getIndirectlyRelatedPods: Pods of every ReplicaSet that shares this one's controller. */
  #relatedPods(rs: ReplicaSet): Pod[] {
    const owner = controllerOf(rs);
    const siblings = owner
      ? this.#rsInformer.store.byIndex(NAMESPACE_INDEX, rs.metadata.namespace ?? '').filter((r) => controllerOf(r)?.uid === owner.uid)
      : [rs];
    const uids = new Set(siblings.map((r) => r.metadata.uid));
    return this.#pods.byIndex(NAMESPACE_INDEX, rs.metadata.namespace ?? '').filter((p) => uids.has(controllerOf(p)?.uid));
  }

  async #updateStatus(rs: ReplicaSet, filtered: readonly Pod[], manageError?: { diff: number; message: string }): Promise<void> {
    let current = rs;
    for (let attempt = 0; attempt < 2; attempt++) {
      const status = calculateReplicaSetStatus(current, filtered, this.#clock.now(), manageError);
      if (!statusChanged(current.status, status)) return;
      try {
        await this.#client.update({ ...resources.replicasets, namespace: current.metadata.namespace, name: current.metadata.name!, subresource: 'status' }, {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          ...current,
          status,
        });
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err) || attempt > 0) throw err;
        const { namespace, name } = splitMetaNamespaceKey(metaNamespaceKey(rs));
        current = await this.#client.get<ReplicaSet>({ ...resources.replicasets, namespace, name });
      }
    }
  }
}


