// The per-service-port decisions both rule renderers share (the top of syncProxyRules' loop in
// pkg/proxy/iptables/proxier.go and pkg/proxy/nftables/proxier.go): which endpoints, which
// chains exist, and what happens to traffic when there is nowhere to send it.
import type { IPFamily } from '../api/types/core/v1.js';
import type { EndpointInfo } from './model/endpoint.js';
import { externallyAccessible, usesClusterEndpoints, usesLocalEndpoints, type ServicePortInfo } from './model/service-port.js';
import { categorizeEndpoints, type CategorizedEndpoints } from './topology.js';

/** The node facts and flags a ruleset depends on (kube-proxy's command line + Node object). */
export interface ProxyNodeConfig {
  readonly family: IPFamily;
  readonly nodeName: string;
  readonly nodeLabels: Readonly<Record<string, string>>;
  /** The node's primary IP of this family (LoadBalancerSourceRanges "allow from node"). */
  readonly nodeIP?: string;
  /**
   * IPs that accept NodePort traffic (--nodeport-addresses resolved); undefined means every
   * local address (iptables' default; nftables' default is the primary IP).
   */
  readonly nodePortIPs?: readonly string[];
  /** The LocalTrafficDetector's CIDR (detect-local-mode ClusterCIDR); undefined: not implemented. */
  readonly podCIDR?: string;
  readonly masqueradeAll?: boolean;
  /** --iptables-masquerade-bit, default 14 (0x4000). */
  readonly masqueradeBit?: number;
  /** The service CIDRs (nftables drops traffic to unallocated ClusterIPs in them). */
  readonly serviceCIDRs?: readonly string[];
  /** iptables.localhostNodePorts, default true (IPv4 only). */
  readonly localhostNodePorts?: boolean;
}

/**
 * The masquerade mark, written "0x4000" as upstream's test expectations do (kube-proxy itself
 * formats it with %#08x, "0x00004000"; nft and iptables read both the same).
 */
export function masqueradeMark(cfg: ProxyNodeConfig): string {
  return `0x${(1 << (cfg.masqueradeBit ?? 14)).toString(16)}`;
}

export interface ServicePortPlan {
  readonly svc: ServicePortInfo;
  readonly endpoints: CategorizedEndpoints;
  readonly clusterEndpoints: readonly EndpointInfo[];
  readonly localEndpoints: readonly EndpointInfo[];
  readonly hasEndpoints: boolean;
  /** The ClusterIP has a target (false for iTP Local without local endpoints). */
  readonly hasInternalEndpoints: boolean;
  /** External destinations have a target (false for eTP Local without local endpoints). */
  readonly hasExternalEndpoints: boolean;
  readonly usesClusterPolicyChain: boolean;
  readonly usesLocalPolicyChain: boolean;
  /** The EXT / external- chain exists (also when only the short-circuit rules are needed). */
  readonly usesExternalChain: boolean;
  /** The FW / firewall- chain exists (LB VIPs and source ranges). */
  readonly usesFirewallChain: boolean;
  /** What the filter stage does with ClusterIP traffic without a target (undefined: nothing). */
  readonly internalFilterVerdict?: 'reject' | 'drop';
  readonly externalFilterVerdict?: 'reject' | 'drop';
}

export function planServicePort(svc: ServicePortInfo, endpoints: readonly EndpointInfo[], cfg: ProxyNodeConfig): ServicePortPlan {
  const cat = categorizeEndpoints(endpoints, svc, { nodeName: cfg.nodeName, nodeLabels: cfg.nodeLabels });
  const clusterEndpoints = cat.clusterEndpoints ?? [];
  const localEndpoints = cat.localEndpoints ?? [];
  const hasEndpoints = cat.hasAnyEndpoints;
  const hasInternalEndpoints = hasEndpoints && !(svc.internalPolicyLocal && localEndpoints.length === 0);
  const hasExternalEndpoints = hasEndpoints && !(svc.externalPolicyLocal && localEndpoints.length === 0);
  let internalFilterVerdict: 'reject' | 'drop' | undefined;
  let externalFilterVerdict: 'reject' | 'drop' | undefined;
  if (!hasEndpoints) {
    internalFilterVerdict = 'reject';
    externalFilterVerdict = 'reject';
  } else {
    if (!hasInternalEndpoints) internalFilterVerdict = 'drop';
    if (!hasExternalEndpoints) externalFilterVerdict = 'drop';
  }
  return {
    svc,
    endpoints: cat,
    clusterEndpoints,
    localEndpoints,
    hasEndpoints,
    hasInternalEndpoints,
    hasExternalEndpoints,
    usesClusterPolicyChain: clusterEndpoints.length > 0 && usesClusterEndpoints(svc),
    usesLocalPolicyChain: localEndpoints.length > 0 && usesLocalEndpoints(svc),
    usesExternalChain: hasEndpoints && externallyAccessible(svc),
    usesFirewallChain: svc.loadBalancerVIPs.length > 0 && svc.loadBalancerSourceRanges.length > 0,
    ...(internalFilterVerdict ? { internalFilterVerdict } : {}),
    ...(externalFilterVerdict ? { externalFilterVerdict } : {}),
  };
}

/** The input of a renderer: every service port of one family with its endpoints. */
export interface ProxyState {
  readonly services: ReadonlyMap<string, ServicePortInfo>;
  /** Endpoints per servicePortKey (missing = none). */
  readonly endpoints: ReadonlyMap<string, readonly EndpointInfo[]>;
}

/** Plans for every service port, ordered by service port name for stable output. */
export function planAll(state: ProxyState, cfg: ProxyNodeConfig): ServicePortPlan[] {
  const keys = [...state.services.keys()].sort();
  return keys.map((k) => planServicePort(state.services.get(k)!, state.endpoints.get(k) ?? [], cfg));
}
