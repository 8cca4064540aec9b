// Service predicates, one upstream-correct copy each (k8s.io/kubernetes pkg/apis/core/v1/helper,
// pkg/api/v1/service/util.go, the Service REST storage and the node-port repair controller).
// Inputs are the typed core/v1 Service, read-only.
import type { ServicePort, ServiceSpec } from './types/core/v1.js';
import { CLUSTER_IP_NONE } from './types/core/v1.js';

/** Any Service-shaped object: only `spec` is read. */
export type ServiceLike = { readonly spec?: Readonly<ServiceSpec> | undefined };

/**
 * helper.IsServiceIPSet: spec.clusterIP is neither "" nor "None". False for headless and
 * ExternalName Services (and not-yet-allocated ones); kube-proxy skips such Services, the
 * EndpointSlice and Endpoints controllers label their endpoints headless, DNS returns endpoints.
 */
export function isServiceIPSet(svc: ServiceLike): boolean {
  const ip = svc.spec?.clusterIP ?? '';
  return ip !== '' && ip !== CLUSTER_IP_NONE;
}

/**
 * The Service's primary ClusterIP is "None" (v1.ClusterIPNone), read from spec.clusterIP: the
 * headless test of code that sees stored, defaulted Services (where clusterIP == clusterIPs[0]).
 * Unlike !isServiceIPSet it is false for an ExternalName Service, which has no clusterIP at all.
 */
export function isClusterIPNone(svc: ServiceLike): boolean {
  return svc.spec?.clusterIP === CLUSTER_IP_NONE;
}

/**
 * Validation's isHeadlessService (pkg/apis/core/validation): clusterIPs is exactly ["None"].
 * Also the headless rule of the registry's ip-family defaulting (initIPFamilyFields), which runs
 * after clusterIP has been copied into an empty clusterIPs.
 */
export function isHeadlessByClusterIPs(svc: ServiceLike): boolean {
  const ips = svc.spec?.clusterIPs ?? [];
  return ips.length === 1 && ips[0] === CLUSTER_IP_NONE;
}

/**
 * The REST storage's allocClusterIPs skip: clusterIPs[0] is "None" once normalized, and
 * normalization copies a lone clusterIP into an empty clusterIPs. So ["None", "10.0.0.1"] counts
 * (validation rejects it later), and clusterIP "None" with other clusterIPs does not.
 */
export function isHeadlessForAllocation(svc: ServiceLike): boolean {
  const ips = svc.spec?.clusterIPs ?? [];
  if (ips.length > 0) return ips[0] === CLUSTER_IP_NONE;
  return svc.spec?.clusterIP === CLUSTER_IP_NONE;
}

export function isExternalName(svc: ServiceLike): boolean {
  return svc.spec?.type === 'ExternalName';
}

/** NodePort and LoadBalancer Services have node ports (a LoadBalancer may opt out of allocating them). */
export function needsNodePorts(svc: ServiceLike): boolean {
  return svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer';
}

/** shouldAllocateNodePorts: NodePort always; LoadBalancer unless allocateLoadBalancerNodePorts is false. */
export function shouldAllocateNodePorts(svc: ServiceLike): boolean {
  const t = svc.spec?.type;
  return t === 'NodePort' || (t === 'LoadBalancer' && svc.spec?.allocateLoadBalancerNodePorts !== false);
}

/** apiservice.ExternallyAccessible: NodePort, LoadBalancer, or ClusterIP with externalIPs. */
export function externallyAccessible(svc: ServiceLike): boolean {
  const t = svc.spec?.type;
  return t === 'LoadBalancer' || t === 'NodePort' || (t === 'ClusterIP' && (svc.spec?.externalIPs?.length ?? 0) > 0);
}

/**
 * apiservice.ExternalPolicyLocal (what kube-proxy uses): externally accessible and
 * externalTrafficPolicy Local. Covers ClusterIP Services with externalIPs, which validation
 * lets carry externalTrafficPolicy.
 */
export function serviceExternalTrafficPolicyLocal(svc: ServiceLike): boolean {
  return externallyAccessible(svc) && svc.spec?.externalTrafficPolicy === 'Local';
}

/**
 * The older helper RequestsOnlyLocalTraffic (cloud-provider service helpers): NodePort or
 * LoadBalancer with externalTrafficPolicy Local; ignores ClusterIP+externalIPs.
 */
export function requestsOnlyLocalTraffic(svc: ServiceLike): boolean {
  const t = svc.spec?.type;
  return (t === 'NodePort' || t === 'LoadBalancer') && svc.spec?.externalTrafficPolicy === 'Local';
}

/** apiservice.InternalPolicyLocal: internalTrafficPolicy Local (unset means Cluster). */
export function internalTrafficPolicyLocal(svc: ServiceLike): boolean {
  return svc.spec?.internalTrafficPolicy === 'Local';
}

/** The name cloud-provider helpers use for internalTrafficPolicyLocal. */
export const requestsOnlyLocalTrafficForInternal = internalTrafficPolicyLocal;

/** apiservice.NeedsHealthCheck: a LoadBalancer with externalTrafficPolicy Local gets a healthCheckNodePort. */
export function needsHealthCheck(svc: ServiceLike): boolean {
  return svc.spec?.type === 'LoadBalancer' && serviceExternalTrafficPolicyLocal(svc);
}

/**
 * The REST storage's collectServiceNodePorts: every non-zero spec.ports[].nodePort in order,
 * duplicates kept (53/TCP and 53/UDP share one node port and list it twice);
 * healthCheckNodePort is not included.
 */
export function collectServiceNodePorts(svc: ServiceLike): number[] {
  const out: number[] = [];
  for (const p of svc.spec?.ports ?? []) if (p.nodePort) out.push(p.nodePort);
  return out;
}

/**
 * The node-port repair controller's collectServiceNodePorts: a node port shared by different
 * protocols counts once, the same port under the same protocol twice (so the repair loop reports
 * it as assigned to multiple services), and healthCheckNodePort counts as TCP.
 */
export function collectServiceNodePortsForRepair(svc: ServiceLike): number[] {
  const out: number[] = [];
  const protocols = new Map<number, Set<string>>();
  const add = (port: number, protocol: string) => {
    const seen = protocols.get(port);
    if (!seen) {
      protocols.set(port, new Set([protocol]));
      out.push(port);
    } else if (seen.has(protocol)) {
      out.push(port);
    } else {
      seen.add(protocol);
    }
  };
  for (const p of svc.spec?.ports ?? []) if (p.nodePort) add(p.nodePort, p.protocol ?? 'TCP');
  const health = svc.spec?.healthCheckNodePort ?? 0;
  // Upstream adds the health check port only when no port of another protocol claimed it.
  if (health !== 0) {
    const seen = protocols.get(health);
    if (!seen || seen.has('TCP')) out.push(health);
  }
  return out;
}

/** The Service's ports, never null. */
export function servicePorts(svc: ServiceLike): readonly ServicePort[] {
  return svc.spec?.ports ?? [];
}

