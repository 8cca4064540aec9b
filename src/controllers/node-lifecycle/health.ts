// Pure parts of the node lifecycle controller (pkg/controller/nodelifecycle): when a Node's
// heartbeat is stale, which conditions become Unknown, and which taints its Ready condition (and
// spec.unschedulable) call for (TaintNodesByCondition and the NoExecute taint pass).
import { formatTime } from '../../api/meta.js';
import type { Node, NodeCondition, Taint } from '../../api/types/core/index.js';
import { TAINT_NODE_NOT_READY as TAINT_NOT_READY, TAINT_NODE_UNREACHABLE as TAINT_UNREACHABLE, TAINT_NODE_UNSCHEDULABLE as TAINT_UNSCHEDULABLE } from '../../api/types/core/index.js';

/** The conditions the controller sets to Unknown when the kubelet goes silent. */
export const MONITORED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

/**
 * tryUpdateNodeHealth's status change for a silent node: each monitored condition becomes Unknown
 * (a never-posted Ready is added with NodeStatusNeverUpdated). Returns undefined when nothing changes.
 */
export function markNodeUnknown(conditions: readonly NodeCondition[] | undefined, nowMs: number): NodeCondition[] | undefined {
  const now = formatTime(new Date(nowMs));
  const out = (conditions ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const type of MONITORED_CONDITIONS) {
    const c = out.find((x) => x.type === type);
    if (!c) {
      if (type !== 'Ready') continue;
      out.push({ type, status: 'Unknown', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
      changed = true;
      continue;
    }
    if (c.status === 'Unknown') continue;
    c.status = 'Unknown';
    c.reason = 'NodeStatusUnknown';
    c.message = 'Kubelet stopped posting node status.';
    c.lastTransitionTime = now;
    changed = true;
  }
  return changed ? out : undefined;
}

const MANAGED_KEYS = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE]);

/** The taints a Node should carry: its own foreign taints plus the condition taints. */
export function desiredTaints(node: Node, nowMs: number): Taint[] {
  const current = node.spec?.taints ?? [];
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const want: Taint[] = [];
  const key = !ready || ready.status === 'Unknown' ? TAINT_UNREACHABLE : ready.status === 'False' ? TAINT_NOT_READY : undefined;
  if (key) want.push({ key, effect: 'NoSchedule' }, { key, effect: 'NoExecute' });
  if (node.spec?.unschedulable) want.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  const now = formatTime(new Date(nowMs));
  // Keep an existing taint as it is (its timeAdded), add the missing ones, drop stale managed ones.
  const kept = current.filter((t) => !MANAGED_KEYS.has(t.key) || want.some((w) => w.key === t.key && w.effect === t.effect));
  for (const w of want) {
    if (!kept.some((t) => t.key === w.key && t.effect === w.effect)) kept.push({ ...w, timeAdded: now });
  }
  return kept;
}

export function taintsEqual(a: readonly Taint[] | undefined, b: readonly Taint[] | undefined): boolean {
  const norm = (l: readonly Taint[] | undefined) => (l ?? []).map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`).sort().join(',');
  return norm(a) === norm(b);
}
