// nftables object names of kube-proxy's nftables mode (pkg/proxy/nftables/proxier.go).
import { sha256Base32 } from '../hash.js';
import type { EndpointInfo } from '../model/endpoint.js';
import type { ServicePortInfo } from '../model/service-port.js';

export const KUBE_PROXY_TABLE = 'kube-proxy';

export const SERVICES_CHAIN = 'services';
export const SERVICE_IPS_MAP = 'service-ips';
export const SERVICE_NODEPORTS_MAP = 'service-nodeports';
export const NODEPORT_IPS_SET = 'nodeport-ips';
export const CLUSTER_IPS_SET = 'cluster-ips';
export const CLUSTER_IPS_CHECK_CHAIN = 'cluster-ips-check';
export const SERVICE_ENDPOINTS_CHECK_CHAIN = 'service-endpoints-check';
export const NODEPORT_ENDPOINTS_CHECK_CHAIN = 'nodeport-endpoints-check';
export const NO_ENDPOINT_SERVICES_MAP = 'no-endpoint-services';
export const NO_ENDPOINT_NODEPORTS_MAP = 'no-endpoint-nodeports';
export const REJECT_CHAIN = 'reject-chain';
export const FIREWALL_IPS_MAP = 'firewall-ips';
export const FIREWALL_CHECK_CHAIN = 'firewall-check';
export const MARK_MASQ_CHAIN = 'mark-for-masquerade';
export const MASQUERADING_CHAIN = 'masquerading';

/** knftables.NameLengthMax (256) minus the longest prefix (16). */
const CHAIN_NAME_BASE_LENGTH_MAX = 256 - 16;

/** hashAndTruncate: "HASH8-name", cut to 240 characters with "..." (never happens in practice). */
export function hashAndTruncate(name: string): string {
  const out = `${sha256Base32(name, 8)}-${name}`;
  return out.length > CHAIN_NAME_BASE_LENGTH_MAX ? `${out.slice(0, CHAIN_NAME_BASE_LENGTH_MAX - 3)}...` : out;
}

/** servicePortChainNameBase: "ULMVA6XW-ns1/svc1/tcp/p80" ("/" cannot occur in k8s names). */
export function servicePortChainNameBase(svc: ServicePortInfo): string {
  const n = svc.name;
  return hashAndTruncate(`${n.namespace}/${n.name}/${svc.protocol.toLowerCase()}/${n.port}`);
}

/** servicePortEndpointChainNameBase: "...__10.180.0.1/80"; IPv6 colons become dots. */
export function servicePortEndpointChainNameBase(svc: ServicePortInfo, ep: EndpointInfo): string {
  const n = svc.name;
  const ip = ep.ip.replaceAll(':', '.');
  return hashAndTruncate(`${n.namespace}/${n.name}/${svc.protocol.toLowerCase()}/${n.port}__${ip}/${ep.port}`);
}

export interface ServiceChainNames {
  readonly cluster: string;
  readonly local: string;
  readonly external: string;
  readonly firewall: string;
}

export function serviceChainNames(svc: ServicePortInfo): ServiceChainNames {
  const base = servicePortChainNameBase(svc);
  return { cluster: `service-${base}`, local: `local-${base}`, external: `external-${base}`, firewall: `firewall-${base}` };
}

export function endpointChainName(svc: ServicePortInfo, ep: EndpointInfo): string {
  return `endpoint-${servicePortEndpointChainNameBase(svc, ep)}`;
}

export function affinitySetName(svc: ServicePortInfo, ep: EndpointInfo): string {
  return `affinity-${servicePortEndpointChainNameBase(svc, ep)}`;
}

/** isServiceChainName: per-service chains are the ones with a "/" in the name. */
export function isServiceChainName(name: string): boolean {
  return name.includes('/');
}
