// Pod and Service predicates shared by the Endpoints and EndpointSlice controllers
// (k8s.io/endpointslice/util controller_utils.go and pkg/api/v1/pod).
import type { Pod, Service, ServicePort } from './api-types.js';

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}

export function readyCondition(pod: Pod) {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** A Pod that finished (Succeeded/Failed) can never serve again. */
export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** The Pod's IPs: status.podIPs, or status.podIP when only the singular is set. */
export function podIPs(pod: Pod): string[] {
  const ips = pod.status?.podIPs?.map((p) => p.ip).filter((ip) => !!ip) ?? [];
  if (ips.length === 0 && pod.status?.podIP) return [pod.status.podIP];
  return ips;
}

/**
 * ShouldPodBeInEndpoints: terminal and IP-less Pods never are; terminating Pods (a
 * deletionTimestamp) only when `includeTerminating`.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!pod.status?.podIP && !(pod.status?.podIPs?.length ?? 0)) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** ShouldSetHostname: the Pod's subdomain names this Service (same namespace). */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return !!pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name && svc.metadata.namespace === pod.metadata.namespace;
}

/**
 * FindPort: a numeric targetPort is used as is; a named one is looked up among the containers'
 * ports (then sidecars: init containers with restartPolicy Always) by name and protocol.
 * Undefined when the Pod has no such port.
 */
export function findPort(pod: Pod, svcPort: ServicePort): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  const protocol = svcPort.protocol ?? 'TCP';
  const search = (containers: readonly { ports?: { name?: string; containerPort: number; protocol?: string }[] | null }[]) => {
    for (const c of containers) {
      for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
    return undefined;
  };
  return search(pod.spec?.containers ?? []) ?? search((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'));
}

/** helper.IsServiceIPSet: a ClusterIP other than None. */
export function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec?.clusterIP ?? '';
  return ip !== '' && ip !== 'None';
}

/** Services with a nil selector select nothing (their endpoints are managed by hand). */
export function serviceSelects(svc: Service, labels: Readonly<Record<string, string>> | undefined): boolean {
  const sel = svc.spec?.selector;
  if (sel === null || sel === undefined) return false;
  // A Service selector is a plain equality map (labels.SelectorFromSet): compare directly rather
  // than building a selector per Pod, which dominated syncs with 10,000 Pods in a namespace.
  for (const k in sel) {
    if (labels?.[k] !== sel[k]) return false;
  }
  return true;
}

function sameStringMap(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const ak = Object.keys(a ?? {});
  if (ak.length !== Object.keys(b ?? {}).length) return false;
  return ak.every((k) => b?.[k] === a?.[k]);
}

/**
 * podEndpointsChanged: whether the change can alter the Pod's endpoints (`podChanged`) and
 * whether it can alter which Services select it (`labelsChanged`).
 */
export function podEndpointsChanged(oldPod: Pod, newPod: Pod): { podChanged: boolean; labelsChanged: boolean } {
  const labelsChanged =
    !sameStringMap(oldPod.metadata.labels, newPod.metadata.labels) ||
    oldPod.spec?.hostname !== newPod.spec?.hostname ||
    oldPod.spec?.subdomain !== newPod.spec?.subdomain;
  const oldIPs = oldPod.status?.podIPs ?? [];
  const newIPs = newPod.status?.podIPs ?? [];
  const podChanged =
    oldPod.metadata.deletionTimestamp !== newPod.metadata.deletionTimestamp ||
    isPodReady(oldPod) !== isPodReady(newPod) ||
    oldPod.status?.podIP !== newPod.status?.podIP ||
    oldIPs.length !== newIPs.length ||
    oldIPs.some((p, i) => p.ip !== newIPs[i]?.ip);
  return { podChanged, labelsChanged };
}

/**
 * GetServicesToUpdate for a Pod update: the Services selecting the new Pod; when labels changed,
 * also those that selected the old one (all of them if the Pod changed too, otherwise only the
 * ones whose membership flipped).
 */
export function servicesToUpdateOnPodChange(services: readonly Service[], oldPod: Pod, newPod: Pod): Service[] {
  if (oldPod.metadata.resourceVersion === newPod.metadata.resourceVersion) return [];
  const { podChanged, labelsChanged } = podEndpointsChanged(oldPod, newPod);
  if (!podChanged && !labelsChanged) return [];
  const now = services.filter((s) => serviceSelects(s, newPod.metadata.labels));
  if (!labelsChanged) return now;
  const before = services.filter((s) => serviceSelects(s, oldPod.metadata.labels));
  if (podChanged) return [...new Set([...now, ...before])];
  return [...now.filter((s) => !before.includes(s)), ...before.filter((s) => !now.includes(s))];
}
