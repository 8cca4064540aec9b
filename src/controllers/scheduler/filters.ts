// The default profile's filter plugins that apply to svcnet's Nodes, in upstream's order
// (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity), and FitError's message
// (pkg/scheduler/framework/types.go). Pure functions over Pod and Node JSON.
import type { Node, NodeSelectorRequirement, Pod, Taint, Toleration } from '../../api/types/core/index.js';
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE, TAINT_NODE_UNSCHEDULABLE } from '../../api/types/core/index.js';

export const FilterReasons = {
  unschedulable: 'node(s) were unschedulable',
  nodeName: "node(s) didn't match the requested node name",
  affinity: "node(s) didn't match Pod's node affinity/selector",
  taint: (t: Taint) => `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`,
} as const;

/** v1.Toleration.ToleratesTaint. */
export function toleratesTaint(tol: Toleration, taint: Taint): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.key && tol.key !== taint.key) return false;
  // An empty operator arrives in JSON from older clients; upstream treats it as Equal.
  switch ((tol.operator ?? 'Equal') as string) {
    case 'Exists':
      return true;
    case 'Equal':
    case '':
      return (tol.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

/**
 * The taints the scheduler sees: the Node's own, plus the condition taint the node lifecycle
 * controller would add (TaintNodesByCondition) when the Node is not Ready and has none yet, so a
 * not-ready Node is never picked even without that controller running.
 */
export function effectiveTaints(node: Node): Taint[] {
  const taints = [...(node.spec?.taints ?? [])];
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const key = ready?.status === 'True' ? undefined : ready?.status === 'Unknown' ? TAINT_NODE_UNREACHABLE : TAINT_NODE_NOT_READY;
  if (key && !taints.some((t) => t.key === TAINT_NODE_NOT_READY || t.key === TAINT_NODE_UNREACHABLE)) taints.push({ key, effect: 'NoSchedule' });
  return taints;
}

function matchRequirement(req: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1) return false;
      const a = Number.parseInt(value, 10);
      const b = Number.parseInt(values[0]!, 10);
      if (Number.isNaN(a) || Number.isNaN(b)) return false;
      return req.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** NodeAffinity filter: spec.nodeSelector and requiredDuringSchedulingIgnoredDuringExecution. */
export function matchesNodeAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  // Terms are ORed; a term's expressions and fields are ANDed; an empty term matches nothing.
  return (required.nodeSelectorTerms ?? []).some((term) => {
    const exprs = term.matchExpressions ?? [];
    const fields = term.matchFields ?? [];
    if (exprs.length === 0 && fields.length === 0) return false;
    return (
      exprs.every((r) => matchRequirement(r, labels[r.key])) &&
      fields.every((r) => r.key === 'metadata.name' && matchRequirement(r, node.metadata.name))
    );
  });
}

/** Runs the filters in order; returns the first failure's reason, or undefined when the Node fits. */
export function filterNode(pod: Pod, node: Node): string | undefined {
  const tolerations = pod.spec?.tolerations ?? [];
  if (node.spec?.unschedulable) {
    const taint: Taint = { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' };
    if (!tolerations.some((t) => toleratesTaint(t, taint))) return FilterReasons.unschedulable;
  }
  if (pod.spec?.nodeName && pod.spec.nodeName !== node.metadata.name) return FilterReasons.nodeName;
  for (const taint of effectiveTaints(node)) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerations.some((t) => toleratesTaint(t, taint))) return FilterReasons.taint(taint);
  }
  if (!matchesNodeAffinity(pod, node)) return FilterReasons.affinity;
  return undefined;
}

/** ErrNoNodesAvailable. */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/**
 * FitError.Error() with the default preemption plugin's PostFilter message. Every filter here
 * fails UnschedulableAndUnresolvable, so preemption reports that it cannot help on any node.
 */
export function fitErrorMessage(numAllNodes: number, reasons: readonly string[]): string {
  const histogram = new Map<string, number>();
  for (const r of reasons) histogram.set(r, (histogram.get(r) ?? 0) + 1);
  const parts = [...histogram].map(([reason, n]) => `${n} ${reason}`).sort();
  let msg = `0/${numAllNodes} nodes are available:`;
  if (parts.length) msg += ` ${parts.join(', ')}.`;
  msg += ` preemption: 0/${numAllNodes} nodes are available: ${numAllNodes} Preemption is not helpful for scheduling.`;
  return msg;
}
