// Which Pods a ReplicaSet deletes first when it scales down: controller.ActivePodsWithRanks
// (pkg/controller/controller_utils.go) with the PodDeletionCost and LogarithmicScaleDown
// features (both on by default since 1.22), and getPodsToDelete from replica_set.go.
import { isPodReady, podCondition } from '../../api/pod.js';
import type { Pod } from '../../api/types/core/index.js';
import { ANNOTATION_POD_DELETION_COST as POD_DELETION_COST_ANNOTATION } from '../../api/types/core/index.js';

const PHASE_ORDINAL: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

/** When the Pod last became Ready (undefined when not ready). */
function podReadyTime(pod: Pod): number | undefined {
  const c = podCondition(pod, 'Ready');
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined;
  return Date.parse(c.lastTransitionTime);
}

/** The highest restart count of the Pod's containers. */
function maxContainerRestarts(pod: Pod): number {
  let max = 0;
  for (const c of pod.status?.containerStatuses ?? []) max = Math.max(max, c.restartCount ?? 0);
  return max;
}

function deletionCost(pod: Pod): number {
  const v = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (v === undefined) return 0;
  const n = Number(v);
  return Number.isInteger(n) ? n : 0;
}

function timeOf(s: string | null | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** afterOrZero: a zero time sorts first; otherwise the later time first. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/** logarithmicRankDiff: compares how long ago two instants were on a log2 (nanosecond) scale. */
function logarithmicRankDiff(t1: number, t2: number, nowMs: number): number {
  const rank = (t: number) => {
    const dNanos = (nowMs - t) * 1e6;
    return dNanos > 0 ? Math.floor(Math.log2(dNanos)) : -1;
  };
  return rank(t1) - rank(t2);
}

interface Ranked {
  readonly pod: Pod;
  readonly rank: number;
}

/** ActivePodsWithRanks.Less: true when `a` should be deleted before `b`. */
function deleteBefore(a: Ranked, b: Ranked, nowMs: number): boolean {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  // 1. Unassigned < assigned.
  if (na !== nb && (na === '' || nb === '')) return na === '';
  // 2. Pending < Unknown < Running.
  const oa = PHASE_ORDINAL[pa.status?.phase ?? ''] ?? 0;
  const ob = PHASE_ORDINAL[pb.status?.phase ?? ''] ?? 0;
  if (oa !== ob) return oa < ob;
  // 3. Not ready < ready.
  const ra = isPodReady(pa);
  const rb = isPodReady(pb);
  if (ra !== rb) return !ra;
  // 4. Lower pod-deletion-cost first.
  const ca = deletionCost(pa);
  const cb = deletionCost(pb);
  if (ca !== cb) return ca < cb;
  // 5. Doubled up (more related Pods on the same node) first.
  if (a.rank !== b.rank) return a.rank > b.rank;
  // 6. Ready for less time first (log scale; equal buckets fall back to UID).
  if (ra && rb) {
    const ta = podReadyTime(pa);
    const tb = podReadyTime(pb);
    if (ta !== tb) {
      if (ta === undefined || tb === undefined) return afterOrZero(ta, tb);
      const diff = logarithmicRankDiff(ta, tb, nowMs);
      if (diff === 0) return (pa.metadata.uid ?? '') < (pb.metadata.uid ?? '');
      return diff < 0;
    }
  }
  // 7. More container restarts first.
  const xa = maxContainerRestarts(pa);
  const xb = maxContainerRestarts(pb);
  if (xa !== xb) return xa > xb;
  // 8. Newer first (log scale; equal buckets fall back to UID).
  const ka = timeOf(pa.metadata.creationTimestamp);
  const kb = timeOf(pb.metadata.creationTimestamp);
  if (ka !== kb) {
    if (ka === undefined || kb === undefined) return afterOrZero(ka, kb);
    const diff = logarithmicRankDiff(ka, kb, nowMs);
    if (diff === 0) return (pa.metadata.uid ?? '') < (pb.metadata.uid ?? '');
    return diff < 0;
  }
  return false;
}

/**
 * getPodsToDelete: the `diff` Pods to remove, ranked by how many active related Pods (Pods of
 * every ReplicaSet with the same owner) share their node, then by ActivePodsWithRanks.
 */
export function getPodsToDelete(filteredPods: readonly Pod[], relatedPods: readonly Pod[], diff: number, nowMs: number): Pod[] {
  if (diff >= filteredPods.length) return [...filteredPods];
  const onNode = new Map<string, number>();
  for (const p of relatedPods) {
    if (p.metadata.deletionTimestamp || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    const n = p.spec?.nodeName ?? '';
    if (n) onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  const ranked: Ranked[] = filteredPods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  // A stable comparison sort (Array.prototype.sort is stable), as sort.Sort's result for our sizes.
  ranked.sort((a, b) => (deleteBefore(a, b, nowMs) ? -1 : deleteBefore(b, a, nowMs) ? 1 : 0));
  return ranked.slice(0, diff).map((r) => r.pod);
}
