// Pod predicates shared by the workload controllers (pkg/controller/controller_utils.go and
// pkg/api/v1/pod/util.go): active, ready, available, and controller references.
import type { KubeObject, OwnerReference } from '../../api/meta.js';
import type { ObjectReference } from '../../client/index.js';
import type { Pod, PodCondition } from './types.js';

/** controller.IsPodActive: not finished and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function podCondition(pod: Pod, type: string): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** podutil.IsPodReady. */
export function isPodReady(pod: Pod): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** When the Pod last became Ready (undefined when not ready). */
export function podReadyTime(pod: Pod): number | undefined {
  const c = podCondition(pod, 'Ready');
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined;
  return Date.parse(c.lastTransitionTime);
}

/** podutil.IsPodAvailable: ready for at least minReadySeconds. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadyTime(pod);
  return since !== undefined && since + minReadySeconds * 1000 <= nowMs;
}

/** metav1.GetControllerOf. */
export function controllerOf(obj: Pick<KubeObject, 'metadata'>): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** metav1.NewControllerRef. */
export function newControllerRef(owner: Pick<KubeObject, 'metadata'>, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** An Event's involvedObject for an object whose list form carries no kind/apiVersion. */
export function objectRef(obj: Pick<KubeObject, 'metadata'>, apiVersion: string, kind: string): ObjectReference {
  const m = obj.metadata;
  const ref: ObjectReference = { kind, apiVersion, name: m.name!, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion };
  if (!ref.namespace) delete ref.namespace;
  return ref;
}

/** The highest restart count of the Pod's containers (used to pick Pods to delete). */
export function maxContainerRestarts(pod: Pod): number {
  let max = 0;
  for (const c of pod.status?.containerStatuses ?? []) max = Math.max(max, c.restartCount ?? 0);
  return max;
}
