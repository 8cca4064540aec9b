// iptables chain names of kube-proxy's iptables mode (pkg/proxy/iptables/proxier.go).
import { sha256Base32 } from '../hash.js';
import type { EndpointInfo } from '../model/endpoint.js';
import type { ServicePortInfo } from '../model/service-port.js';

export const KUBE_SERVICES = 'KUBE-SERVICES';
export const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES';
export const KUBE_NODEPORTS = 'KUBE-NODEPORTS';
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING';
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ';
export const KUBE_FORWARD = 'KUBE-FORWARD';
export const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL';
export const KUBE_FIREWALL = 'KUBE-FIREWALL';

/** portProtoHash: 16 base32 chars of sha256("ns/name:port" + "tcp"), keeping names ≤ 28 chars. */
export function portProtoHash(svc: ServicePortInfo): string {
  return sha256Base32(svc.nameString + svc.protocol.toLowerCase(), 16);
}

export interface IptServiceChains {
  readonly svc: string;
  readonly svl: string;
  readonly ext: string;
  readonly fw: string;
}

export function serviceChains(svc: ServicePortInfo): IptServiceChains {
  const h = portProtoHash(svc);
  return { svc: `KUBE-SVC-${h}`, svl: `KUBE-SVL-${h}`, ext: `KUBE-EXT-${h}`, fw: `KUBE-FW-${h}` };
}

/** servicePortEndpointChainName: KUBE-SEP- + hash of "ns/name:port" + "tcp" + "ip:port". */
export function endpointChain(svc: ServicePortInfo, ep: EndpointInfo): string {
  return `KUBE-SEP-${sha256Base32(svc.nameString + svc.protocol.toLowerCase() + ep.endpoint, 16)}`;
}

/** Per-service nat chains (the ones a sync may leave stale). */
export function isServiceChain(name: string): boolean {
  return /^KUBE-(SVC|SVL|EXT|FW|SEP)-/.test(name);
}

/**
 * The jump rules from the built-in chains (iptablesJumpChains): kube-proxy ensures them with
 * `iptables -I` on full syncs, never through iptables-restore. [table, from, to, comment, extra].
 */
export const JUMP_CHAINS: ReadonlyArray<readonly [string, string, string, string, readonly string[]]> = [
  ['filter', 'INPUT', KUBE_EXTERNAL_SERVICES, 'kubernetes externally-visible service portals', ['-m', 'conntrack', '--ctstate', 'NEW']],
  ['filter', 'FORWARD', KUBE_EXTERNAL_SERVICES, 'kubernetes externally-visible service portals', ['-m', 'conntrack', '--ctstate', 'NEW']],
  ['filter', 'INPUT', KUBE_NODEPORTS, 'kubernetes health check service ports', []],
  ['filter', 'FORWARD', KUBE_SERVICES, 'kubernetes service portals', ['-m', 'conntrack', '--ctstate', 'NEW']],
  ['filter', 'OUTPUT', KUBE_SERVICES, 'kubernetes service portals', ['-m', 'conntrack', '--ctstate', 'NEW']],
  ['filter', 'FORWARD', KUBE_FORWARD, 'kubernetes forwarding rules', []],
  ['filter', 'INPUT', KUBE_PROXY_FIREWALL, 'kubernetes load balancer firewall', ['-m', 'conntrack', '--ctstate', 'NEW']],
  ['filter', 'OUTPUT', KUBE_PROXY_FIREWALL, 'kubernetes load balancer firewall', ['-m', 'conntrack', '--ctstate', 'NEW']],
  ['filter', 'FORWARD', KUBE_PROXY_FIREWALL, 'kubernetes load balancer firewall', ['-m', 'conntrack', '--ctstate', 'NEW']],
  ['nat', 'OUTPUT', KUBE_SERVICES, 'kubernetes service portals', []],
  ['nat', 'PREROUTING', KUBE_SERVICES, 'kubernetes service portals', []],
  ['nat', 'POSTROUTING', KUBE_POSTROUTING, 'kubernetes postrouting rules', []],
];
