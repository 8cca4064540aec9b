// The arithmetic of a rollout, pure (pkg/controller/deployment/util and rolling.go/sync.go):
// how many replicas the new ReplicaSet may have, how a resize is shared between ReplicaSets, and
// which old replicas a rolling update may take down.
import { deepClone } from '../../api/meta.js';
import type { Deployment, ReplicaSet } from '../../api/types/apps/index.js';
import { newControllerRef } from '../shared/index.js';
import {
  availableReplicas,
  byCreation,
  bySizeNewer,
  bySizeOlder,
  DESIRED_REPLICAS_ANNOTATION,
  filterActive,
  intAnnotation,
  isRollingUpdate,
  MAX_REPLICAS_ANNOTATION,
  maxSurge,
  maxUnavailable,
  POD_TEMPLATE_HASH_LABEL,
  replicasOf,
  specReplicas,
} from './util.js';

/** A ReplicaSet and the size it should be scaled to. */
export interface ScaleStep {
  readonly rs: ReplicaSet;
  readonly replicas: number;
}

/** The new ReplicaSet for a template hash (getNewReplicaSet's object, replicas 0). */
export function newReplicaSetFor(d: Deployment, hash: string): ReplicaSet {
  const template = deepClone(d.spec?.template ?? {});
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
  const selector = deepClone(d.spec?.selector ?? {});
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
      labels: { ...template.metadata.labels },
    },
    spec: {
      replicas: 0,
      selector: { ...selector, matchLabels: { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } },
      template,
    },
  };
  if (d.spec?.minReadySeconds) rs.spec!.minReadySeconds = d.spec.minReadySeconds;
  return rs;
}

/** NewRSNewReplicas: surge headroom for RollingUpdate, everything at once for Recreate. */
export function newRSNewReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const cur = newRS.spec?.replicas ?? 0;
  const current = specReplicas(allRSs);
  const maxTotal = replicasOf(d) + maxSurge(d);
  if (current >= maxTotal) return cur;
  return cur + Math.min(maxTotal - current, replicasOf(d) - cur);
}

/** FindActiveOrLatest: the single active ReplicaSet, or the newest when none is active. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const sortedOld = [...oldRSs].sort((a, b) => -byCreation(a, b));
  const active = filterActive([...sortedOld, newRS]);
  if (active.length === 0) return newRS ?? sortedOld[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/** IsSaturated: the new ReplicaSet has every replica, available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
  const want = replicasOf(d);
  return desired !== undefined && (rs.spec?.replicas ?? 0) === want && desired === want && (rs.status?.availableReplicas ?? 0) === want;
}

/** Go's math.Round: half away from zero. */
function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** GetProportion / getReplicaSetFraction. */
function proportion(d: Deployment, rs: ReplicaSet, toAdd: number, added: number): number {
  const replicas = rs.spec?.replicas ?? 0;
  if (replicas === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (replicasOf(d) === 0) fraction = -replicas;
  else {
    const annotated = intAnnotation(rs, MAX_REPLICAS_ANNOTATION) ?? d.status?.replicas ?? 0;
    fraction = annotated === 0 ? 0 : goRound((replicas * (replicasOf(d) + maxSurge(d))) / annotated) - replicas;
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** The proportional part of DeploymentController.scale: new sizes for every active ReplicaSet. */
export function proportionalScale(d: Deployment, active: ReplicaSet[]): { steps: ScaleStep[]; op: string } {
  const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - specReplicas(active);
  let op = '';
  if (toAdd > 0) {
    active.sort(bySizeNewer);
    op = 'up';
  } else if (toAdd < 0) {
    active.sort(bySizeOlder);
    op = 'down';
  }
  let added = 0;
  const sizes = active.map((rs) => {
    if (toAdd === 0) return rs.spec?.replicas ?? 0;
    const p = proportion(d, rs, toAdd, added);
    added += p;
    return (rs.spec?.replicas ?? 0) + p;
  });
  // Rounding leftovers go to the largest (first) ReplicaSet.
  if (toAdd !== 0 && sizes.length) sizes[0] = Math.max(0, sizes[0]! + toAdd - added);
  return { steps: active.map((rs, i) => ({ rs, replicas: sizes[i]! })), op };
}

/** How many old replicas a rolling update may remove now (reconcileOldReplicaSets). */
export function maxScaledDown(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): number {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = newRS ? (newRS.spec?.replicas ?? 0) - (newRS.status?.availableReplicas ?? 0) : 0;
  return specReplicas(allRSs) - minAvailable - newUnavailable;
}

/** cleanupUnhealthyReplicas: old replicas that are not available anyway, oldest ReplicaSet first. */
export function cleanupUnhealthyPlan(oldRSs: readonly ReplicaSet[], limit: number): ScaleStep[] {
  const steps: ScaleStep[] = [];
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= limit) break;
    const replicas = rs.spec?.replicas ?? 0;
    const avail = rs.status?.availableReplicas ?? 0;
    if (replicas === 0 || replicas === avail) continue;
    const n = Math.min(limit - total, replicas - avail);
    steps.push({ rs, replicas: replicas - n });
    total += n;
  }
  return steps;
}

/** scaleDownOldReplicaSetsForRollingUpdate: available old replicas above minAvailable, oldest first. */
export function scaleDownOldPlan(d: Deployment, oldRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): ScaleStep[] {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = availableReplicas([...oldRSs, newRS]);
  if (available <= minAvailable) return [];
  const total = available - minAvailable;
  const steps: ScaleStep[] = [];
  let done = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (done >= total) break;
    const replicas = rs.spec?.replicas ?? 0;
    if (replicas === 0) continue;
    const n = Math.min(replicas, total - done);
    steps.push({ rs, replicas: replicas - n });
    done += n;
  }
  return steps;
}
