// Picking among feasible Nodes: spread a workload's replicas first (what the default
// PodTopologySpread constraints on kubernetes.io/hostname achieve), then the least loaded Node,
// then the name, so the choice is deterministic for tests.
import type { Node, Pod } from '../../api/types/core/index.js';
import { controllerOf } from '../shared/index.js';

export interface NodeLoad {
  /** Pods bound (or assumed bound) to the node, not finished. */
  readonly pods: readonly Pod[];
}

/** Pods that count as the same workload: same controller, or (no controller) same labels. */
function sameWorkload(a: Pod, b: Pod): boolean {
  if (a.metadata.namespace !== b.metadata.namespace) return false;
  const ra = controllerOf(a);
  if (ra) return controllerOf(b)?.uid === ra.uid;
  const la = JSON.stringify(Object.entries(a.metadata.labels ?? {}).sort());
  return la !== '[]' && la === JSON.stringify(Object.entries(b.metadata.labels ?? {}).sort());
}

export function pickNode(pod: Pod, feasible: readonly Node[], load: (nodeName: string) => NodeLoad): Node | undefined {
  let best: { node: Node; same: number; total: number } | undefined;
  for (const node of feasible) {
    const pods = load(node.metadata.name!).pods;
    const same = pods.filter((p) => sameWorkload(pod, p)).length;
    const cand = { node, same, total: pods.length };
    if (
      !best ||
      cand.same < best.same ||
      (cand.same === best.same && cand.total < best.total) ||
      (cand.same === best.same && cand.total === best.total && node.metadata.name! < best.node.metadata.name!)
    ) {
      best = cand;
    }
  }
  return best?.node;
}
