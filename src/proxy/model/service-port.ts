// kube-proxy's view of one Service port for one IP family (pkg/proxy/serviceport.go
// BaseServicePortInfo, built by newBaseServiceInfo in servicechangetracker.go). Everything the
// rule renderers need is resolved here once, so they never look at the Service object.
import type { IPFamily, Protocol, Service, ServicePort } from '../../api/types/core/v1.js';
import {
  isExternalName,
  isServiceIPSet,
  needsHealthCheck,
  serviceExternalTrafficPolicyLocal,
  internalTrafficPolicyLocal,
} from '../../api/service.js';
import { canonicalIP, ipFamilyOf, parseCIDRSloppy, formatCIDR } from '../../util/ip.js';

/** v1.DefaultClientIPServiceAffinitySeconds: 3 hours. */
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

/** proxy.ServicePortName: a Service port by namespace, name, port name and protocol. */
export interface ServicePortName {
  readonly namespace: string;
  readonly name: string;
  /** The port's name; "" for a single unnamed port. */
  readonly port: string;
  readonly protocol: Protocol;
}

/** ServicePortName.String(): "ns/name" plus ":port" when the port is named (no protocol). */
export function servicePortNameString(n: ServicePortName): string {
  return n.port === '' ? `${n.namespace}/${n.name}` : `${n.namespace}/${n.name}:${n.port}`;
}

/** A unique map key (upstream keys by the struct, which includes the protocol). */
export function servicePortKey(n: ServicePortName): string {
  return `${servicePortNameString(n)}/${n.protocol}`;
}

export interface ServicePortInfo {
  readonly name: ServicePortName;
  /** servicePortNameString(name), the comment text of most rules. */
  readonly nameString: string;
  readonly family: IPFamily;
  /** The ClusterIP of this family. */
  readonly clusterIP: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** 0 when none. */
  readonly nodePort: number;
  readonly externalIPs: readonly string[];
  /** status.loadBalancer.ingress[].ip of this family whose ipMode is VIP (or unset). */
  readonly loadBalancerVIPs: readonly string[];
  /** spec.loadBalancerSourceRanges of this family, trimmed and canonical ("a.b.c.d/n"). */
  readonly loadBalancerSourceRanges: readonly string[];
  /** ClientIP affinity timeout in seconds; 0 means no affinity. */
  readonly stickyMaxAgeSeconds: number;
  readonly externalPolicyLocal: boolean;
  readonly internalPolicyLocal: boolean;
  /** Only for LoadBalancer Services with externalTrafficPolicy Local; 0 otherwise. */
  readonly healthCheckNodePort: number;
  readonly trafficDistribution?: string;
}

/** NodePort, LoadBalancer VIPs or externalIPs: traffic can arrive from outside the cluster. */
export function externallyAccessible(p: ServicePortInfo): boolean {
  return p.nodePort !== 0 || p.loadBalancerVIPs.length > 0 || p.externalIPs.length > 0;
}

/**
 * serviceport.go UsesClusterEndpoints: internal traffic uses Cluster policy, or the port takes
 * external traffic at all (even with eTP Local, pods and the host short-circuit to Cluster).
 */
export function usesClusterEndpoints(p: ServicePortInfo): boolean {
  return !p.internalPolicyLocal || externallyAccessible(p);
}

/** serviceport.go UsesLocalEndpoints: some traffic uses Local policy. */
export function usesLocalEndpoints(p: ServicePortInfo): boolean {
  return p.internalPolicyLocal || (externallyAccessible(p) && p.externalPolicyLocal);
}

/**
 * proxyutil.ShouldSkipService: kube-proxy ignores ExternalName Services and Services without a
 * ClusterIP (headless "None", or not allocated yet).
 */
export function shouldSkipService(svc: Service): boolean {
  return isExternalName(svc) || !isServiceIPSet(svc);
}

/** The Service's ClusterIP of `family`, from clusterIPs (falling back to clusterIP). */
export function clusterIPOfFamily(svc: Service, family: IPFamily): string | undefined {
  const ips = svc.spec?.clusterIPs?.length ? svc.spec.clusterIPs : [svc.spec?.clusterIP ?? ''];
  for (const ip of ips) if (ipFamilyOf(ip, { sloppy: true }) === family) return canonicalIP(ip, { sloppy: true });
  return undefined;
}

function ipsOfFamily(ips: readonly string[] | undefined, family: IPFamily): string[] {
  const out: string[] = [];
  for (const raw of ips ?? []) {
    const ip = raw.trim();
    if (ipFamilyOf(ip, { sloppy: true }) === family) out.push(canonicalIP(ip, { sloppy: true })!);
  }
  return out;
}

function cidrsOfFamily(ranges: readonly string[] | undefined, family: IPFamily): string[] {
  const out: string[] = [];
  // Upstream trims whitespace (its test feeds " 203.0.113.0/25") and drops unparsable ranges.
  for (const raw of ranges ?? []) {
    const c = parseCIDRSloppy(raw.trim());
    if (c && c.family === family) out.push(formatCIDR(c));
  }
  return out;
}

/** The ServicePortInfos kube-proxy builds for `svc` in `family` (none for skipped Services). */
export function servicePortsFromService(svc: Service, family: IPFamily): ServicePortInfo[] {
  if (shouldSkipService(svc)) return [];
  const clusterIP = clusterIPOfFamily(svc, family);
  if (!clusterIP) return [];
  const spec = svc.spec!;
  const namespace = svc.metadata.namespace ?? 'default';
  const name = svc.metadata.name ?? '';
  const externalIPs = ipsOfFamily(spec.externalIPs, family);
  // LoadBalancerIPMode (GA 1.32): only VIP-mode ingress IPs are captured by the node; with
  // Proxy mode the load balancer rewrites the destination, so the node must not intercept.
  const vips = (svc.status?.loadBalancer?.ingress ?? [])
    .filter((ing) => ing.ip && (ing.ipMode === undefined || ing.ipMode === 'VIP'))
    .map((ing) => ing.ip!);
  const loadBalancerVIPs = ipsOfFamily(vips, family);
  // Source ranges only matter when there are LB IPs; upstream still records them.
  const loadBalancerSourceRanges = cidrsOfFamily(spec.loadBalancerSourceRanges, family);
  const sticky =
    spec.sessionAffinity === 'ClientIP'
      ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_CLIENT_IP_AFFINITY_SECONDS)
      : 0;
  const healthCheckNodePort = needsHealthCheck(svc) ? (spec.healthCheckNodePort ?? 0) : 0;
  return (spec.ports ?? []).map((p: ServicePort) => {
    const protocol = p.protocol ?? 'TCP';
    const spn: ServicePortName = { namespace, name, port: p.name ?? '', protocol };
    const info: ServicePortInfo = {
      name: spn,
      nameString: servicePortNameString(spn),
      family,
      clusterIP,
      port: p.port,
      protocol,
      nodePort: p.nodePort ?? 0,
      externalIPs,
      loadBalancerVIPs,
      loadBalancerSourceRanges,
      stickyMaxAgeSeconds: sticky,
      externalPolicyLocal: serviceExternalTrafficPolicyLocal(svc),
      internalPolicyLocal: internalTrafficPolicyLocal(svc),
      healthCheckNodePort,
      ...(spec.trafficDistribution ? { trafficDistribution: spec.trafficDistribution } : {}),
    };
    return info;
  });
}

/** Field-by-field equality, used by the change tracker to drop no-op updates. */
export function servicePortInfoEqual(a: ServicePortInfo, b: ServicePortInfo): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
