// The Deployment controller (pkg/controller/deployment/deployment_controller.go): watches
// Deployments, ReplicaSets and Pods, claims the ReplicaSets a Deployment selects, and runs one
// DeploymentSync per key. Writes go through the API only.
import type { Deployment, ReplicaSet } from '../../api/types/apps/index.js';
import type { Pod } from '../../api/types/core/index.js';
import type { LabelSelector } from '../../api/selectors/index.js';
import { isAlreadyExists, isNotFound, NAMESPACE_INDEX, realClock, resources, type CacheReader, type Clock, type EventRecorder, type RestClient, type SharedInformer } from '../../client/index.js';
import type { Logger } from '../../util/logger.js';
import { controllerOf, isNamespaceTerminatingError, KeyedWorker, logSyncError, newControllerRef, objectRef, resolveControllerRef, workloadSelector } from '../shared/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { DeploymentSync, type DeploymentActions } from './sync.js';

export interface DeploymentControllerOptions {
  /** --concurrent-deployment-syncs (default 5). */
  readonly workers?: number;
  readonly clock?: Clock;
}

export const DEPLOYMENT_COMPONENT = 'deployment-controller';

function selectorOf(d: Deployment): LabelSelector {
  return workloadSelector(d.spec?.selector);
}

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  readonly #opts: DeploymentControllerOptions;
  readonly #clock: Clock;
  readonly #worker: KeyedWorker;
  #client!: RestClient;
  #recorder!: EventRecorder;
  #logger!: Logger;
  #deployments!: SharedInformer<Deployment>;
  #replicaSets!: CacheReader<ReplicaSet>;
  #pods!: CacheReader<Pod>;

  constructor(opts: DeploymentControllerOptions = {}) {
    this.#opts = opts;
    this.#clock = opts.clock ?? realClock;
    this.#worker = new KeyedWorker({ name: 'deployment', clock: this.#clock });
  }

  init(ctx: ControllerContext): void {
    this.#client = ctx.client;
    this.#recorder = ctx.recorder(DEPLOYMENT_COMPONENT);
    this.#logger = ctx.logger;
    this.#deployments = ctx.informers.informerFor<Deployment>(resources.deployments);
    const rsInformer = ctx.informers.informerFor<ReplicaSet>(resources.replicasets);
    const podInformer = ctx.informers.informerFor<Pod>(resources.pods);
    this.#replicaSets = rsInformer.store;
    this.#pods = podInformer.store;
    this.#worker.enqueueOnEvents(this.#deployments);
    rsInformer.addEventHandler({
      onAdd: (rs) => this.#replicaSetChanged(undefined, rs),
      onUpdate: (old, rs) => this.#replicaSetChanged(old, rs),
      onDelete: (rs) => {
        const d = this.#ownerOf(rs);
        if (d) this.#enqueue(d);
      },
    });
    podInformer.addEventHandler({
      // Recreate waits for every old Pod to be gone before it scales the new ReplicaSet up.
      onDelete: (pod) => {
        const rs = resolveControllerRef(this.#replicaSets, pod.metadata.namespace, controllerOf(pod), 'ReplicaSet');
        const d = rs && this.#ownerOf(rs);
        if (d && d.spec?.strategy?.type === 'Recreate') this.#enqueue(d);
      },
    });
  }

  async run(): Promise<void> {
    await this.#worker.run(this.#opts.workers ?? 5, (key) => this.#sync(key), logSyncError(this.#logger, 'error syncing deployment'));
  }

  async stop(): Promise<void> {
    this.#worker.stop();
  }

  #enqueue(d: Deployment): void {
    this.#worker.enqueue(d);
  }

  #ownerOf(rs: ReplicaSet): Deployment | undefined {
    return resolveControllerRef(this.#deployments.store, rs.metadata.namespace, controllerOf(rs), 'Deployment');
  }

  #replicaSetChanged(old: ReplicaSet | undefined, rs: ReplicaSet): void {
    if (old && old.metadata.resourceVersion === rs.metadata.resourceVersion) return;
    const oldRef = old && controllerOf(old);
    const curRef = controllerOf(rs);
    if (old && oldRef && oldRef.uid !== curRef?.uid) {
      const d = this.#ownerOf(old);
      if (d) this.#enqueue(d);
    }
    if (curRef) {
      const d = this.#ownerOf(rs);
      if (d) this.#enqueue(d);
      return;
    }
    // An orphan: every Deployment that would adopt it should look.
    for (const d of this.#deployments.store.byIndex(NAMESPACE_INDEX, rs.metadata.namespace ?? '')) {
      if (selectorOf(d).matches(rs.metadata.labels)) this.#enqueue(d);
    }
  }

  async #sync(key: string): Promise<void> {
    const d = this.#deployments.store.get(key);
    if (!d) return;
    const rsList = await this.#claimReplicaSets(d);
    const uids = new Set(rsList.map((rs) => rs.metadata.uid));
    const podMap = new Map<string, Pod[]>();
    for (const rs of rsList) podMap.set(rs.metadata.uid!, []);
    for (const pod of this.#pods.byIndex(NAMESPACE_INDEX, d.metadata.namespace ?? '')) {
      const ref = controllerOf(pod);
      if (ref && uids.has(ref.uid)) podMap.get(ref.uid)!.push(pod);
    }
    const result = await new DeploymentSync(d, rsList, podMap, this.#actions()).run();
    if (result.requeueAfterMs !== undefined) this.#worker.addAfter(key, result.requeueAfterMs);
  }

  /** getReplicaSetsForDeployment: ClaimReplicaSets with adoption and release. */
  async #claimReplicaSets(d: Deployment): Promise<ReplicaSet[]> {
    const selector = selectorOf(d);
    const deleting = Boolean(d.metadata.deletionTimestamp);
    const owned: ReplicaSet[] = [];
    let recheck: boolean | undefined;
    for (const rs of this.#replicaSets.byIndex(NAMESPACE_INDEX, d.metadata.namespace ?? '')) {
      const ref = controllerOf(rs);
      const matches = selector.matches(rs.metadata.labels);
      const target = { ...resources.replicasets, namespace: rs.metadata.namespace, name: rs.metadata.name! };
      if (ref) {
        if (ref.uid !== d.metadata.uid) continue;
        if (matches) owned.push(rs);
        else if (!deleting) {
          const patch = { metadata: { ownerReferences: [{ $patch: 'delete', uid: d.metadata.uid }], uid: rs.metadata.uid } };
          await this.#client.patch(target, patch, 'strategic').catch((err) => {
            if (!isNotFound(err)) throw err;
          });
        }
        continue;
      }
      if (deleting || !matches || rs.metadata.deletionTimestamp) continue;
      // RecheckDeletionTimestamp: adopt only for a Deployment that is still there and alive.
      recheck ??= await this.#client
        .get<Deployment>({ ...resources.deployments, namespace: d.metadata.namespace, name: d.metadata.name! })
        .then((fresh) => fresh.metadata.uid === d.metadata.uid && !fresh.metadata.deletionTimestamp)
        .catch(() => false);
      if (!recheck) continue;
      const patch = { metadata: { ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')], uid: rs.metadata.uid } };
      try {
        owned.push(await this.#client.patch<ReplicaSet>(target, patch, 'strategic'));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return owned;
  }

  #actions(): DeploymentActions {
    const client = this.#client;
    const ref = (rs: ReplicaSet) => ({ ...resources.replicasets, namespace: rs.metadata.namespace, name: rs.metadata.name! });
    return {
      now: () => this.#clock.now(),
      createReplicaSet: (rs) => client.create<ReplicaSet>({ ...resources.replicasets, namespace: rs.metadata.namespace }, rs),
      updateReplicaSet: (rs) => client.update<ReplicaSet>(ref(rs), { apiVersion: 'apps/v1', kind: 'ReplicaSet', ...rs }),
      deleteReplicaSet: async (rs) => {
        await client.delete(ref(rs));
      },
      updateDeploymentStatus: (d) =>
        client.update<Deployment>(
          { ...resources.deployments, namespace: d.metadata.namespace, name: d.metadata.name!, subresource: 'status' },
          { apiVersion: 'apps/v1', kind: 'Deployment', ...d },
        ),
      cachedReplicaSet: (namespace, name) => this.#replicaSets.get(`${namespace}/${name}`),
      event: (d, type, reason, message) => void this.#recorder.event(objectRef(d, 'apps/v1', 'Deployment'), type, reason, message),
      isAlreadyExists,
      isNotFound,
      isNamespaceTerminating: isNamespaceTerminatingError,
    };
  }
}
