// Pod predicates, one upstream-correct copy each (k8s.io/kubernetes pkg/api/v1/pod/util.go and
// pkg/controller/controller_utils.go). Inputs are the typed core/v1 Pod, read-only.
import type { ObjectMeta } from './types/meta/v1.js';
import type { PodCondition, PodConditionType, PodSpec, PodStatus } from './types/core/v1.js';

/** Any Pod-shaped object: metadata, spec and status are read. */
export type PodLike = {
  readonly metadata?: Readonly<Pick<ObjectMeta, 'deletionTimestamp'>>;
  readonly spec?: Readonly<PodSpec> | undefined;
  readonly status?: Readonly<PodStatus> | undefined;
};

/** podutil.GetPodCondition: the condition of that type, if any. */
export function podCondition(pod: PodLike, type: PodConditionType): Readonly<PodCondition> | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** podutil.IsPodReady: the Ready condition is True (the endpoint controllers' "ready"). */
export function isPodReady(pod: PodLike): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** podutil.IsPodTerminal: Succeeded or Failed; such a Pod never runs (or serves) again. */
export function isPodTerminal(pod: PodLike): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** controller.IsPodActive: not terminal and not being deleted (counts toward a ReplicaSet's replicas). */
export function isPodActive(pod: PodLike): boolean {
  return !isPodTerminal(pod) && !pod.metadata?.deletionTimestamp;
}

/** controller.IsPodTerminating: not terminal but being deleted (still running its grace period). */
export function isPodTerminating(pod: PodLike): boolean {
  return !isPodTerminal(pod) && !!pod.metadata?.deletionTimestamp;
}

/**
 * podutil.IsPodAvailable: Ready for at least minReadySeconds (by the Ready condition's
 * lastTransitionTime), at `nowMs`.
 */
export function isPodAvailable(pod: PodLike, minReadySeconds: number, nowMs: number): boolean {
  const c = podCondition(pod, 'Ready');
  if (c?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= nowMs;
}

/** The Pod's IPs: status.podIPs, else status.podIP alone (objects written before dual-stack). */
export function podIPs(pod: PodLike): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip) => !!ip);
  if (ips.length === 0 && pod.status?.podIP) return [pod.status.podIP];
  return ips;
}
