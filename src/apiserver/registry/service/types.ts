// The slice of core/v1 Service the registry logic touches, as JSON.

export type IPFamily = 'IPv4' | 'IPv6';
export type IPFamilyPolicy = 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';

export interface ServicePort {
  name?: string;
  protocol?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
  appProtocol?: string;
}

export interface ServiceSpec {
  type?: string;
  selector?: Record<string, string> | null;
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: IPFamily[];
  ipFamilyPolicy?: IPFamilyPolicy;
  ports?: ServicePort[];
  externalName?: string;
  externalTrafficPolicy?: string;
  internalTrafficPolicy?: string;
  healthCheckNodePort?: number;
  allocateLoadBalancerNodePorts?: boolean;
  loadBalancerClass?: string;
  loadBalancerIP?: string;
  externalIPs?: string[];
  sessionAffinity?: string;
  [k: string]: unknown;
}

export interface Service {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; namespace?: string; [k: string]: unknown };
  spec: ServiceSpec;
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string; ipMode?: string }[] } };
  [k: string]: unknown;
}

/**
 * Allocation operations within one write. Allocations take effect at once (and are undone by
 * revert); releases are deferred until commit, so a failed update keeps what it had.
 */
export interface AllocationTxn {
  readonly dryRun: boolean;
  allocateIP(family: IPFamily, ip: string): Promise<void>;
  allocateNextIP(family: IPFamily): Promise<string>;
  releaseIPDeferred(family: IPFamily, ip: string): void;
  allocatePort(port: number): Promise<void>;
  allocateNextPort(): Promise<number>;
  releasePortDeferred(port: number): void;
  commit(): Promise<void>;
  revert(): Promise<void>;
}

/** The cluster's Service IP configuration: the families configured, primary first. */
export interface ServiceIPConfig {
  readonly families: readonly IPFamily[];
}

export const isExternalName = (s: Service) => s.spec.type === 'ExternalName';
export const isHeadless = (s: Service) => s.spec.clusterIPs?.[0] === 'None' || s.spec.clusterIP === 'None';
export const needsNodePorts = (s: Service) => s.spec.type === 'NodePort' || s.spec.type === 'LoadBalancer';
/** apiservice.NeedsHealthCheck. */
export const needsHealthCheck = (s: Service) => s.spec.type === 'LoadBalancer' && s.spec.externalTrafficPolicy === 'Local';
/** Whether new node ports are allocated (LoadBalancer may opt out). */
export const shouldAllocateNodePorts = (s: Service) =>
  s.spec.type === 'NodePort' || (s.spec.type === 'LoadBalancer' && s.spec.allocateLoadBalancerNodePorts !== false);

export function familyOf(ip: string): IPFamily {
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}

/** The node port numbers of spec.ports (deduplicated: 53/TCP and 53/UDP share one). */
export function collectServiceNodePorts(s: Service): number[] {
  const out: number[] = [];
  for (const p of s.spec.ports ?? []) if (p.nodePort && !out.includes(p.nodePort)) out.push(p.nodePort);
  return out;
}
