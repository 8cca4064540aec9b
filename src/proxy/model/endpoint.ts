// kube-proxy's view of Service endpoints (pkg/proxy/endpoint.go BaseEndpointInfo, built by
// endpointslicecache.go from discovery/v1 EndpointSlices): all slices of one Service merged,
// per Service port, deduplicated by "ip:port", sorted by that string (kube-proxy sorts so that
// the generated rules are stable between syncs).
import type { IPFamily, Protocol } from '../../api/types/core/v1.js';
import type { EndpointSlice } from '../../api/types/discovery/v1.js';
import { endpointReady, endpointServing, endpointTerminating, serviceNameOf } from '../../api/endpointslice.js';
import { canonicalIP, isLinkLocalUnicast, isLoopback, isUnspecified, joinHostPort, parseIP, isMulticast } from '../../util/ip.js';
import { servicePortKey, type ServicePortName } from './service-port.js';

export interface EndpointInfo {
  readonly ip: string;
  readonly port: number;
  /** net.JoinHostPort(ip, port): "10.1.2.3:80", "[fd00::1]:80"; the identity of the endpoint. */
  readonly endpoint: string;
  /** On this proxy's node (nodeName equals the proxy's node name). */
  readonly isLocal: boolean;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  /** hints.forZones names; undefined when the endpoint has none. */
  readonly zoneHints?: ReadonlySet<string>;
  /** hints.forNodes names; undefined when the endpoint has none. */
  readonly nodeHints?: ReadonlySet<string>;
  readonly nodeName?: string;
  readonly zone?: string;
}

/** An address the proxy refused to use, with the reason (for an Event on the Service). */
export interface SkippedEndpoint {
  readonly service: string;
  readonly address: string;
  readonly reason: string;
}

/**
 * Why an endpoint address must not be programmed, or undefined if it is usable. Endpoints
 * validation (pkg/apis/core/validation validateNonSpecialIP) refuses these for Endpoints; slices
 * created by hand can still carry them, and DNATing to them would loop or leak.
 */
export function unusableEndpointReason(address: string): string | undefined {
  const ip = parseIP(address, { sloppy: true });
  if (!ip) return 'not a valid IP address';
  if (isUnspecified(ip)) return 'may not be unspecified (0.0.0.0 or ::)';
  if (isLoopback(ip)) return 'may not be in the loopback range (127.0.0.0/8, ::1/128)';
  if (isLinkLocalUnicast(ip)) return 'may not be in the link-local range (169.254.0.0/16, fe80::/10)';
  if (isMulticast(ip)) return 'may not be a multicast address';
  return undefined;
}

/** The per-service-port endpoint lists for one Service, keyed by servicePortKey. */
export type ServiceEndpoints = Map<string, { name: ServicePortName; endpoints: EndpointInfo[] }>;

export interface EndpointsFromSlicesResult {
  readonly byPort: ServiceEndpoints;
  readonly skipped: SkippedEndpoint[];
}

/**
 * Merges the slices of ONE Service (same namespace and kubernetes.io/service-name) for `family`
 * on node `nodeName`. `excludedIPs` (e.g. other Services' ClusterIPs) are skipped with a reason.
 */
export function endpointsFromSlices(
  slices: readonly EndpointSlice[],
  family: IPFamily,
  nodeName: string,
  excludedIPs: ReadonlySet<string> = new Set(),
): EndpointsFromSlicesResult {
  const sets = new Map<string, { name: ServicePortName; byEndpoint: Map<string, EndpointInfo> }>();
  const skipped: SkippedEndpoint[] = [];
  const skippedSeen = new Set<string>();
  const skip = (service: string, address: string, reason: string) => {
    if (skippedSeen.has(`${service}|${address}`)) return;
    skippedSeen.add(`${service}|${address}`);
    skipped.push({ service, address, reason });
  };
  for (const slice of slices) {
    // The proxier of one family only reads slices of that address type (FQDN never).
    if (slice.addressType !== family) continue;
    const svcName = serviceNameOf(slice);
    if (!svcName) continue;
    const namespace = slice.metadata.namespace ?? 'default';
    const service = `${namespace}/${svcName}`;
    for (const port of slice.ports ?? []) {
      // endpointslicecache.go: "Ignoring port with nil name" / "Ignoring invalid endpoint port".
      if (port.name === undefined || port.name === null) continue;
      if (!port.port) continue;
      const protocol: Protocol = port.protocol ?? 'TCP';
      const spn: ServicePortName = { namespace, name: svcName, port: port.name, protocol };
      const key = servicePortKey(spn);
      let set = sets.get(key);
      if (!set) sets.set(key, (set = { name: spn, byEndpoint: new Map() }));
      for (const ep of slice.endpoints ?? []) {
        const first = ep.addresses?.[0];
        if (first === undefined) continue;
        const ip = canonicalIP(first, { sloppy: true });
        if (!ip || parseIP(ip)!.family !== family) {
          skip(service, first, 'not a valid IP address of the slice family');
          continue;
        }
        const bad = unusableEndpointReason(ip) ?? (excludedIPs.has(ip) ? 'may not be a Service ClusterIP' : undefined);
        if (bad) {
          skip(service, ip, bad);
          continue;
        }
        const isLocal = ep.nodeName !== undefined && ep.nodeName === nodeName;
        const zones = ep.hints?.forZones?.map((z) => z.name) ?? [];
        const nodes = ep.hints?.forNodes?.map((n) => n.name) ?? [];
        const info: EndpointInfo = {
          ip,
          port: port.port,
          endpoint: joinHostPort(ip, port.port),
          isLocal,
          ready: endpointReady(ep),
          serving: endpointServing(ep),
          terminating: endpointTerminating(ep),
          ...(zones.length ? { zoneHints: new Set(zones) } : {}),
          ...(nodes.length ? { nodeHints: new Set(nodes) } : {}),
          ...(ep.nodeName ? { nodeName: ep.nodeName } : {}),
          ...(ep.zone ? { zone: ep.zone } : {}),
        };
        // Dedupe overlapping slices; isLocal should agree, but upstream prefers a local copy.
        if (!set.byEndpoint.has(info.endpoint) || isLocal) set.byEndpoint.set(info.endpoint, info);
      }
    }
  }
  const byPort: ServiceEndpoints = new Map();
  for (const [key, set] of sets) {
    const endpoints = [...set.byEndpoint.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
    byPort.set(key, { name: set.name, endpoints });
  }
  return { byPort, skipped };
}

/** Equality of two endpoint lists (order matters: it is part of the rendered rules). */
export function endpointListsEqual(a: readonly EndpointInfo[], b: readonly EndpointInfo[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (endpointKey(a[i]!) !== endpointKey(b[i]!)) return false;
  return true;
}

function endpointKey(e: EndpointInfo): string {
  const hints = (s?: ReadonlySet<string>) => (s ? [...s].sort().join(',') : '-');
  return `${e.endpoint}|${+e.isLocal}${+e.ready}${+e.serving}${+e.terminating}|${hints(e.zoneHints)}|${hints(e.nodeHints)}`;
}
