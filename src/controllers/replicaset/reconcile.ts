// The ReplicaSet controller's decisions as pure functions (pkg/controller/replicaset/
// replica_set.go, replica_set_utils.go and the ControllerRefManager's ClaimPods): which Pods it
// owns, adopts and releases; the Pod it creates; its status; the slow-start batch sizes.
import { deepClone, jsonEqual } from '../../api/meta.js';
import { isPodActive, isPodAvailable, isPodReady } from '../../api/pod.js';
import { selectorFromSet, type LabelSelector } from '../../api/selectors/index.js';
import type { ReplicaSet, ReplicaSetStatus } from '../../api/types/apps/index.js';
import type { Pod, PodSpec } from '../../api/types/core/index.js';
import { controllerOf, newControllerRef, workloadSelector } from '../shared/index.js';
import { isValidGenerateNamePrefix } from './names.js';

/** pkg/controller/replicaset BurstReplicas: at most this many creates/deletes per sync. */
export const BURST_REPLICAS = 500;

export interface PodClaim {
  /** Active Pods this ReplicaSet controls and whose labels still match. */
  readonly owned: Pod[];
  /** Orphans that match: adopt them (then they count as owned). */
  readonly adopt: Pod[];
  /** Pods it controls whose labels no longer match: remove our controllerRef. */
  readonly release: Pod[];
}

/** ClaimPods over active Pods, as PodControllerRefManager.ClaimPods decides. */
export function claimPods(rs: ReplicaSet, selector: LabelSelector, pods: readonly Pod[]): PodClaim {
  const owned: Pod[] = [];
  const adopt: Pod[] = [];
  const release: Pod[] = [];
  const deleting = Boolean(rs.metadata.deletionTimestamp);
  for (const pod of pods) {
    if (!isPodActive(pod)) continue;
    const ref = controllerOf(pod);
    const matches = selector.matches(pod.metadata.labels);
    if (ref) {
      if (ref.uid !== rs.metadata.uid) continue; // someone else's
      if (matches) owned.push(pod);
      else if (!deleting) release.push(pod);
      continue;
    }
    // An orphan: adopt only if we are alive, it matches and it is not going away.
    if (deleting || !matches || pod.metadata.deletionTimestamp) continue;
    adopt.push(pod);
  }
  return { owned, adopt, release };
}

/** metav1.LabelSelectorAsSelector of spec.selector; invalid selectors match nothing. */
export function replicaSetSelector(rs: ReplicaSet): LabelSelector {
  return workloadSelector(rs.spec?.selector);
}

/** getPodsPrefix: `<name>-` when that is a valid generateName prefix, else the bare name. */
export function podNamePrefix(controllerName: string): string {
  const prefix = `${controllerName}-`;
  return isValidGenerateNamePrefix(prefix) ? prefix : controllerName;
}

/** GetPodFromTemplate with a controller reference (CreatePodsWithControllerRef). */
export function podFromTemplate(rs: ReplicaSet, ownerKind = 'ReplicaSet', ownerApiVersion = 'apps/v1'): Pod {
  const template = rs.spec?.template ?? {};
  const metadata: Pod['metadata'] = {
    generateName: podNamePrefix(rs.metadata.name!),
    namespace: rs.metadata.namespace,
    labels: { ...(template.metadata?.labels ?? {}) },
    ownerReferences: [newControllerRef(rs, ownerApiVersion, ownerKind)],
  };
  if (template.metadata?.annotations && Object.keys(template.metadata.annotations).length) metadata.annotations = { ...template.metadata.annotations };
  if (template.metadata?.finalizers?.length) metadata.finalizers = [...template.metadata.finalizers];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: deepClone(template.spec ?? ({} as PodSpec)) };
}

/**
 * calculateStatus: counts over the active Pods the ReplicaSet owns. `manageError` carries a
 * failed create/delete into the ReplicaFailure condition, as upstream does.
 */
export function calculateReplicaSetStatus(
  rs: ReplicaSet,
  filteredPods: readonly Pod[],
  nowMs: number,
  manageError?: { readonly diff: number; readonly message: string },
): ReplicaSetStatus {
  const templateLabels = selectorFromSet(rs.spec?.template?.metadata?.labels ?? {});
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fully = 0;
  let ready = 0;
  let available = 0;
  for (const pod of filteredPods) {
    if (templateLabels.matches(pod.metadata.labels)) fully++;
    if (isPodReady(pod)) ready++;
    if (isPodAvailable(pod, minReady, nowMs)) available++;
  }
  let conditions = (rs.status?.conditions ?? []).map((c) => ({ ...c }));
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (manageError && !failure) {
    conditions.push({
      type: 'ReplicaFailure',
      status: 'True',
      lastTransitionTime: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      reason: manageError.diff < 0 ? 'FailedCreate' : 'FailedDelete',
      message: manageError.message,
    });
  } else if (!manageError && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  // Zero counts are omitted on the wire (omitempty), except replicas, which is always written.
  const status: ReplicaSetStatus = { replicas: filteredPods.length };
  if (fully) status.fullyLabeledReplicas = fully;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  status.observedGeneration = rs.metadata.generation ?? rs.status?.observedGeneration;
  if (status.observedGeneration === undefined) delete status.observedGeneration;
  if (conditions.length) status.conditions = conditions;
  return status;
}

/** Whether two statuses differ in what a status write would change. */
export function statusChanged(a: ReplicaSetStatus | undefined, b: ReplicaSetStatus): boolean {
  const norm = (s: ReplicaSetStatus | undefined) => ({
    replicas: s?.replicas ?? 0,
    fullyLabeledReplicas: s?.fullyLabeledReplicas ?? 0,
    readyReplicas: s?.readyReplicas ?? 0,
    availableReplicas: s?.availableReplicas ?? 0,
    observedGeneration: s?.observedGeneration ?? 0,
    conditions: s?.conditions ?? [],
  });
  return !jsonEqual(norm(a), norm(b));
}

/** slowStartBatch's batch sizes: 1, 2, 4, … until `count` is reached. */
export function slowStartBatches(count: number, initialBatchSize = 1): number[] {
  const out: number[] = [];
  let remaining = count;
  for (let size = Math.min(remaining, initialBatchSize); size > 0; size = Math.min(2 * size, remaining)) {
    out.push(size);
    remaining -= size;
  }
  return out;
}

/** When a ReplicaSet with minReadySeconds will next see a ready Pod become available. */
export function nextAvailabilityCheckMs(rs: ReplicaSet, pods: readonly Pod[], nowMs: number): number | undefined {
  const minReady = rs.spec?.minReadySeconds ?? 0;
  if (minReady <= 0) return undefined;
  let next: number | undefined;
  for (const p of pods) {
    if (!isPodReady(p) || isPodAvailable(p, minReady, nowMs)) continue;
    const t = p.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
    const at = t ? Date.parse(t) + minReady * 1000 - nowMs : minReady * 1000;
    next = next === undefined ? at : Math.min(next, at);
  }
  return next === undefined ? undefined : Math.max(0, next) + 50;
}
