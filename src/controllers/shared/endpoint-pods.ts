// Which Pods become endpoints and how (k8s.io/endpointslice/util controller_utils.go and
// pkg/api/v1/pod FindPort): shared by the Endpoints and EndpointSlice controllers.
import { isPodTerminal } from '../../api/pod.js';
import type { Container, Pod, Service, ServicePort } from '../../api/types/core/index.js';

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
  const search = (containers: readonly Container[]) => {
    for (const c of containers) {
      for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
    return undefined;
  };
  return search(pod.spec?.containers ?? []) ?? search((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'));
}
