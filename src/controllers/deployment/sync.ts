// One Deployment sync (pkg/controller/deployment: deployment_controller.go syncDeployment,
// sync.go, rolling.go, recreate.go). The algorithm is upstream's, step for step; every write goes
// through `DeploymentActions`, so the whole thing runs against a fake in unit tests.
import { deepClone } from '../../api/meta.js';
import type { Deployment, ReplicaSet, ReplicaSetSpec } from '../../api/types/apps/index.js';
import type { Pod } from '../../api/types/core/index.js';
import { computeHash } from './hash.js';
import {
  cleanupUnhealthyPlan,
  findActiveOrLatest,
  isSaturated,
  maxScaledDown,
  newReplicaSetFor,
  newRSNewReplicas,
  proportionalScale,
  scaleDownOldPlan,
  type ScaleStep,
} from './plan.js';
import { calculateStatus, deploymentComplete, hasProgressDeadline, rolloutStatus, stuckRequeueAfter } from './status.js';
import {
  actualReplicas,
  byRevision,
  DESIRED_REPLICAS_ANNOTATION,
  equalIgnoreHash,
  filterActive,
  findNewReplicaSet,
  findOldReplicaSets,
  getCondition,
  intAnnotation,
  isRollingUpdate,
  maxRevision,
  maxSurge,
  newCondition,
  Reasons,
  replicasAnnotationsNeedUpdate,
  replicasOf,
  setCondition,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specReplicas,
  statusEqual,
} from './util.js';

/** The writes a sync makes; the controller implements them with the RestClient. */

/** Spreads as nothing: a stored ReplicaSet always has a spec (its selector is required), a test fixture may not. */
const NO_SPEC = {} as ReplicaSetSpec;

export interface DeploymentActions {
  now(): number;
  createReplicaSet(rs: ReplicaSet): Promise<ReplicaSet>;
  updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet>;
  deleteReplicaSet(rs: ReplicaSet): Promise<void>;
  /** Writes status (and metadata annotations); returns the stored Deployment. */
  updateDeploymentStatus(d: Deployment): Promise<Deployment>;
  /** The cached ReplicaSet of that name, for the AlreadyExists path. */
  cachedReplicaSet(namespace: string, name: string): ReplicaSet | undefined;
  event(d: Deployment, type: 'Normal' | 'Warning', reason: string, message: string): void;
  isAlreadyExists(err: unknown): boolean;
  isNotFound(err: unknown): boolean;
  isNamespaceTerminating(err: unknown): boolean;
}

export interface SyncResult {
  /** Sync again after this many ms (progress deadline, or availability), if set. */
  readonly requeueAfterMs?: number;
}

export class DeploymentSync {
  #d: Deployment;
  readonly #a: DeploymentActions;
  #requeueAfterMs: number | undefined;

  /** `d` is a private copy; `rsList` the ReplicaSets this Deployment controls (claimed). */
  constructor(d: Deployment, private readonly rsList: ReplicaSet[], private readonly podMap: ReadonlyMap<string, readonly Pod[]>, actions: DeploymentActions) {
    this.#d = deepClone(d);
    this.#a = actions;
  }

  /** syncDeployment after listing and claiming. */
  async run(): Promise<SyncResult> {
    const d = this.#d;
    const sel = d.spec?.selector;
    if (sel && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) {
      this.#a.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        await this.#updateStatus({ ...(d.status ?? {}), observedGeneration: d.metadata.generation });
      }
      return {};
    }
    if (d.metadata.deletionTimestamp) {
      await this.syncStatusOnly();
      return {};
    }
    await this.#checkPausedConditions();
    if (d.spec?.paused) {
      await this.sync();
      return { requeueAfterMs: this.#requeueAfterMs };
    }
    if (this.#isScalingEvent()) {
      await this.sync();
      return { requeueAfterMs: this.#requeueAfterMs };
    }
    if (isRollingUpdate(d)) await this.rolloutRolling();
    else await this.rolloutRecreate();
    return { requeueAfterMs: this.#requeueAfterMs };
  }

  // ---- sync.go ----

  async syncStatusOnly(): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(false);
    await this.#syncDeploymentStatus([...oldRSs, ...(newRS ? [newRS] : [])], newRS);
  }

  /** sync: scaling or paused. */
  async sync(): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(false);
    const scaled = await this.scale(newRS, oldRSs);
    if (this.#d.spec?.paused) await this.cleanupDeployment(oldRSs);
    await this.#syncDeploymentStatus([...scaled.oldRSs, ...(scaled.newRS ? [scaled.newRS] : [])], scaled.newRS);
  }

  async #checkPausedConditions(): Promise<void> {
    const d = this.#d;
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, 'Progressing');
    if (cond?.reason === Reasons.TimedOut) return;
    const pausedCond = cond?.reason === Reasons.Paused;
    const status = deepClone(d.status ?? {});
    if (d.spec?.paused && !pausedCond) {
      setCondition(status, newCondition('Progressing', 'Unknown', Reasons.Paused, 'Deployment is paused', this.#a.now()));
    } else if (!d.spec?.paused && pausedCond) {
      setCondition(status, newCondition('Progressing', 'Unknown', Reasons.Resumed, 'Deployment is resumed', this.#a.now()));
    } else return;
    await this.#updateStatus(status);
  }

  /** isScalingEvent: an active ReplicaSet's desired-replicas annotation disagrees with spec.replicas. */
  #isScalingEvent(): boolean {
    const { old } = findOldReplicaSets(this.#d, this.rsList);
    const newRS = findNewReplicaSet(this.#d, this.rsList);
    for (const rs of filterActive([...old, newRS])) {
      const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
      if (desired !== undefined && desired !== replicasOf(this.#d)) return true;
    }
    return false;
  }

  async getAllReplicaSetsAndSyncRevision(create: boolean): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
    const { allOld } = findOldReplicaSets(this.#d, this.rsList);
    const newRS = await this.#getNewReplicaSet(allOld, create);
    return { newRS, oldRSs: allOld };
  }

  async #getNewReplicaSet(oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const d = this.#d;
    const existing = findNewReplicaSet(d, this.rsList);
    const newRevision = String(maxRevision(oldRSs) + 1);
    const now = this.#a.now();
    if (existing) {
      const rsCopy = deepClone(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
      const minReadyChanged = (rsCopy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
      if (annotationsUpdated || minReadyChanged) {
        const spec: ReplicaSetSpec = { ...(rsCopy.spec ?? NO_SPEC), minReadySeconds: d.spec?.minReadySeconds ?? 0 };
        if (!spec.minReadySeconds) delete spec.minReadySeconds;
        rsCopy.spec = spec;
        return this.#replaceRS(await this.#a.updateReplicaSet(rsCopy));
      }
      let needsUpdate = setDeploymentRevision(d, rsCopy.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? newRevision);
      const status = deepClone(d.status ?? {});
      if (hasProgressDeadline(d) && !getCondition(status, 'Progressing')) {
        setCondition(status, newCondition('Progressing', 'True', Reasons.FoundNewRS, `Found new replica set "${rsCopy.metadata.name}"`, now));
        needsUpdate = true;
      }
      if (needsUpdate) await this.#updateStatus(status);
      return rsCopy;
    }
    if (!create) return undefined;

    const newRS = newReplicaSetFor(d, computeHash(d.spec?.template, d.status?.collisionCount));
    const newReplicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    newRS.spec!.replicas = newReplicas;
    setNewReplicaSetAnnotations(d, newRS, newRevision, false);

    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = await this.#a.createReplicaSet(newRS);
    } catch (err) {
      if (this.#a.isAlreadyExists(err)) {
        const rs = this.#a.cachedReplicaSet(d.metadata.namespace ?? '', newRS.metadata.name!);
        const ref = rs?.metadata.ownerReferences?.find((r) => r.controller);
        if (rs && ref?.uid === d.metadata.uid && equalIgnoreHash(rs.spec?.template, d.spec?.template)) {
          created = rs;
          alreadyExists = true;
        } else {
          // A hash collision: bump collisionCount so the next sync computes a different name.
          const status = deepClone(d.status ?? {});
          status.collisionCount = (status.collisionCount ?? 0) + 1;
          await this.#updateStatus(status);
          throw err;
        }
      } else {
        if (!this.#a.isNamespaceTerminating(err)) {
          const msg = `Failed to create new replica set "${newRS.metadata.name}": ${(err as Error).message}`;
          const status = deepClone(d.status ?? {});
          if (hasProgressDeadline(d)) setCondition(status, newCondition('Progressing', 'False', Reasons.FailedRSCreate, msg, now));
          this.#a.event(d, 'Warning', 'FailedCreate', msg);
          await this.#updateStatus(status).catch(() => undefined);
        }
        throw err;
      }
    }
    if (!alreadyExists && newReplicas > 0) {
      this.#a.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${newReplicas}`);
    }
    let needsUpdate = setDeploymentRevision(d, newRevision);
    const status = deepClone(d.status ?? {});
    if (!alreadyExists && hasProgressDeadline(d)) {
      setCondition(status, newCondition('Progressing', 'True', Reasons.NewRSCreated, `Created new replica set "${created.metadata.name}"`, now));
      needsUpdate = true;
    }
    if (needsUpdate) await this.#updateStatus(status);
    this.rsList.push(created);
    return created;
  }

  #replaceRS(rs: ReplicaSet): ReplicaSet {
    const i = this.rsList.findIndex((r) => r.metadata.uid === rs.metadata.uid);
    if (i >= 0) this.rsList[i] = rs;
    return rs;
  }

  /** scale: proportional scaling of every active ReplicaSet when spec.replicas changed. */
  async scale(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
    const d = this.#d;
    const track = (rs: ReplicaSet) => {
      if (newRS && rs.metadata.uid === newRS.metadata.uid) newRS = rs;
      oldRSs = oldRSs.map((o) => (o.metadata.uid === rs.metadata.uid ? rs : o));
    };
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if ((activeOrLatest.spec?.replicas ?? 0) !== replicasOf(d)) {
        const r = await this.#scaleReplicaSetAndRecordEvent(activeOrLatest, replicasOf(d));
        track(r.rs);
      }
      return { newRS, oldRSs };
    }
    if (isSaturated(d, newRS)) {
      for (const old of filterActive(oldRSs)) track((await this.#scaleReplicaSetAndRecordEvent(old, 0)).rs);
      return { newRS, oldRSs };
    }
    if (isRollingUpdate(d)) {
      const { steps, op } = proportionalScale(d, filterActive([...oldRSs, newRS]));
      for (const step of steps) track((await this.#scaleReplicaSet(step.rs, step.replicas, op)).rs);
    }
    return { newRS, oldRSs };
  }

  async #scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const cur = rs.spec?.replicas ?? 0;
    if (cur === newScale) return { scaled: false, rs };
    return this.#scaleReplicaSet(rs, newScale, cur < newScale ? 'up' : 'down');
  }

  async #scaleReplicaSet(rs: ReplicaSet, newScale: number, op: string): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const d = this.#d;
    const oldScale = rs.spec?.replicas ?? 0;
    const sizeChanged = oldScale !== newScale;
    const max = replicasOf(d) + maxSurge(d);
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, replicasOf(d), max)) return { scaled: false, rs };
    const copy = deepClone(rs);
    copy.spec = { ...(copy.spec ?? NO_SPEC), replicas: newScale };
    setReplicasAnnotations(copy, replicasOf(d), max);
    const updated = this.#replaceRS(await this.#a.updateReplicaSet(copy));
    if (sizeChanged) this.#a.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata.name} from ${oldScale} to ${newScale}`);
    return { scaled: sizeChanged, rs: updated };
  }

  /** cleanupDeployment: delete the oldest idle ReplicaSets beyond revisionHistoryLimit. */
  async cleanupDeployment(oldRSs: readonly ReplicaSet[]): Promise<void> {
    const limit = this.#d.spec?.revisionHistoryLimit;
    if (limit === undefined || limit === null) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
    const diff = cleanable.length - limit;
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i]!;
      if ((rs.status?.replicas ?? 0) !== 0 || (rs.spec?.replicas ?? 0) !== 0) continue;
      if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata.deletionTimestamp) continue;
      try {
        await this.#a.deleteReplicaSet(rs);
      } catch (err) {
        if (!this.#a.isNotFound(err)) throw err;
      }
    }
  }

  async #syncDeploymentStatus(allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): Promise<void> {
    const status = calculateStatus(allRSs, newRS, this.#d, this.#a.now());
    if (statusEqual(this.#d.status, status)) return;
    await this.#updateStatus(status);
  }

  async #syncRolloutStatus(allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): Promise<void> {
    const now = this.#a.now();
    const status = rolloutStatus(allRSs, newRS, this.#d, now);
    if (statusEqual(this.#d.status, status)) {
      const after = stuckRequeueAfter(this.#d, status, now);
      if (after !== undefined) this.#requeue(after);
      return;
    }
    await this.#updateStatus(status);
  }

  #requeue(ms: number): void {
    this.#requeueAfterMs = this.#requeueAfterMs === undefined ? ms : Math.min(this.#requeueAfterMs, ms);
  }

  async #updateStatus(status: Deployment['status']): Promise<void> {
    const next = { ...this.#d, status };
    const stored = await this.#a.updateDeploymentStatus(next);
    // Keep working on the stored version so a second write in this sync does not conflict.
    this.#d = { ...next, metadata: { ...next.metadata, resourceVersion: stored.metadata.resourceVersion } };
  }

  // ---- rolling.go ----

  async rolloutRolling(): Promise<void> {
    const r = await this.getAllReplicaSetsAndSyncRevision(true);
    let newRS = r.newRS;
    let oldRSs = r.oldRSs;
    const all = () => [...oldRSs, ...(newRS ? [newRS] : [])];
    if (newRS) {
      const up = await this.#reconcileNewReplicaSet(all(), newRS);
      newRS = up.rs;
      if (up.scaled) return this.#syncRolloutStatus(all(), newRS);
    }
    const down = await this.#reconcileOldReplicaSets(all(), filterActive(oldRSs), newRS);
    oldRSs = oldRSs.map((o) => down.updated.get(o.metadata.uid!) ?? o);
    if (down.scaled) return this.#syncRolloutStatus(all(), newRS);
    if (deploymentComplete(this.#d, this.#d.status ?? {})) await this.cleanupDeployment(oldRSs);
    return this.#syncRolloutStatus(all(), newRS);
  }

  async #reconcileNewReplicaSet(allRSs: readonly ReplicaSet[], newRS: ReplicaSet): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const want = replicasOf(this.#d);
    const cur = newRS.spec?.replicas ?? 0;
    if (cur === want) return { scaled: false, rs: newRS };
    if (cur > want) return this.#scaleReplicaSetAndRecordEvent(newRS, want);
    return this.#scaleReplicaSetAndRecordEvent(newRS, newRSNewReplicas(this.#d, allRSs, newRS));
  }

  async #reconcileOldReplicaSets(
    allRSs: readonly ReplicaSet[],
    oldRSs: ReplicaSet[],
    newRS: ReplicaSet | undefined,
  ): Promise<{ scaled: boolean; updated: Map<string, ReplicaSet> }> {
    const d = this.#d;
    const updated = new Map<string, ReplicaSet>();
    if (specReplicas(oldRSs) === 0) return { scaled: false, updated };
    const limit = maxScaledDown(d, allRSs, newRS);
    if (limit <= 0) return { scaled: false, updated };
    let olds = [...oldRSs];
    const apply = async (steps: readonly ScaleStep[]) => {
      let n = 0;
      for (const step of steps) {
        const r = await this.#scaleReplicaSetAndRecordEvent(step.rs, step.replicas);
        n += (step.rs.spec?.replicas ?? 0) - step.replicas;
        updated.set(step.rs.metadata.uid!, r.rs);
        olds = olds.map((o) => (o.metadata.uid === r.rs.metadata.uid ? r.rs : o));
      }
      return n;
    };
    // First old replicas that are not available anyway, then available ones down to minAvailable.
    const cleaned = await apply(cleanupUnhealthyPlan(olds, limit));
    const scaledDown = await apply(scaleDownOldPlan(d, olds, newRS));
    return { scaled: cleaned + scaledDown > 0, updated };
  }

  // ---- recreate.go ----

  async rolloutRecreate(): Promise<void> {
    const first = await this.getAllReplicaSetsAndSyncRevision(false);
    let newRS = first.newRS;
    let oldRSs = first.oldRSs;
    const all = () => [...oldRSs, ...(newRS ? [newRS] : [])];
    let scaledDown = false;
    for (const rs of filterActive(oldRSs)) {
      const r = await this.#scaleReplicaSetAndRecordEvent(rs, 0);
      if (r.scaled) scaledDown = true;
      oldRSs = oldRSs.map((o) => (o.metadata.uid === r.rs.metadata.uid ? r.rs : o));
    }
    if (scaledDown) return this.#syncRolloutStatus(all(), newRS);
    if (this.#oldPodsRunning(newRS, oldRSs)) return this.#syncRolloutStatus(all(), newRS);
    if (!newRS) {
      const again = await this.getAllReplicaSetsAndSyncRevision(true);
      newRS = again.newRS;
      oldRSs = again.oldRSs;
    }
    if (newRS) newRS = (await this.#scaleReplicaSetAndRecordEvent(newRS, replicasOf(this.#d))).rs;
    if (deploymentComplete(this.#d, this.#d.status ?? {})) await this.cleanupDeployment(oldRSs);
    return this.#syncRolloutStatus(all(), newRS);
  }

  #oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): boolean {
    if (actualReplicas(oldRSs) > 0) return true;
    for (const [uid, pods] of this.podMap) {
      if (newRS && newRS.metadata.uid === uid) continue;
      for (const pod of pods) {
        const phase = pod.status?.phase;
        if (phase === 'Failed' || phase === 'Succeeded') continue;
        return true;
      }
    }
    return false;
  }
}
