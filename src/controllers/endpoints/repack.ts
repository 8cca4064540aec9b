// RepackSubsets and SortSubsets (pkg/api/v1/endpoints/util.go): the canonical form of an
// Endpoints object's subsets. Addresses are de-duplicated by (IP, target UID) and grouped by the
// exact set of ports they serve; an address that is not ready on any port is not ready on all of
// them. Addresses sort by IP text then UID; ports and subsets sort by a hash of their content, so
// equal inputs always give byte-identical subsets (and the controller can skip no-op writes).
import { createHash } from 'node:crypto';
import type { EndpointAddress, EndpointPort as CoreEndpointPort, EndpointSubset } from '../../api/types/core/index.js';

/** A stable JSON text (object keys sorted) to hash and compare values by content. */
export function stableJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJSON).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJSON(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const hashOf = (v: unknown) => createHash('md5').update(stableJSON(v)).digest('hex');

/** LessEndpointAddress: by the IP's text, then by target UID (no target sorts first). */
export function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  if (!b.targetRef) return a.targetRef ? 1 : 0;
  if (!a.targetRef) return -1;
  const ua = a.targetRef.uid ?? '';
  const ub = b.targetRef.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

const byHash = <T>(items: T[]): T[] => {
  const keyed = items.map((item) => ({ item, h: hashOf(item) }));
  keyed.sort((x, y) => (x.h < y.h ? -1 : x.h > y.h ? 1 : 0));
  return keyed.map((k) => k.item);
};

/** SortSubsets: addresses by IP and UID, ports and subsets by hash. */
export function sortSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  for (const s of subsets) {
    s.addresses?.sort(compareAddresses);
    s.notReadyAddresses?.sort(compareAddresses);
    if (s.ports) s.ports = byHash(s.ports);
  }
  return byHash(subsets);
}

// A subset without ports still keeps its addresses: they map to this sentinel.
const NO_PORT = '<none>';

export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const allAddrs = new Map<string, EndpointAddress>();
  // port key → the port and, per address, whether it is ready (insertion ordered)
  const byPort = new Map<string, { port: CoreEndpointPort | undefined; addrs: Map<EndpointAddress, boolean> }>();
  const mapAddress = (addr: EndpointAddress, portKey: string, port: CoreEndpointPort | undefined, ready: boolean) => {
    const key = JSON.stringify([addr.ip, addr.targetRef?.uid ?? '']);
    let canonical = allAddrs.get(key);
    if (!canonical) allAddrs.set(key, (canonical = structuredClone(addr)));
    let entry = byPort.get(portKey);
    if (!entry) byPort.set(portKey, (entry = { port, addrs: new Map() }));
    // Not ready wins: once an address is not ready for a port it stays so.
    const was = entry.addrs.get(canonical);
    if (was === undefined || was) entry.addrs.set(canonical, ready);
  };
  for (const s of subsets) {
    const ports = s.ports?.length ? s.ports.map((p) => ({ key: stableJSON(p), port: p as CoreEndpointPort | undefined })) : [{ key: NO_PORT, port: undefined }];
    for (const { key, port } of ports) {
      for (const a of s.addresses ?? []) mapAddress(a, key, port, true);
      for (const a of s.notReadyAddresses ?? []) mapAddress(a, key, port, false);
    }
  }
  // Group ports by the exact (address, readiness) set they map to.
  const groups = new Map<string, { addrs: Map<EndpointAddress, boolean>; ports: CoreEndpointPort[] }>();
  for (const { port, addrs } of byPort.values()) {
    const sorted = [...addrs].sort(([a], [b]) => compareAddresses(a, b));
    const key = stableJSON(sorted.map(([a, ready]) => [a, ready]));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { addrs, ports: [] }));
    if (port) g.ports.push(structuredClone(port));
  }
  const final: EndpointSubset[] = [];
  for (const { addrs, ports } of groups.values()) {
    const subset: EndpointSubset = {};
    const ready = [...addrs].filter(([, r]) => r).map(([a]) => a);
    const notReady = [...addrs].filter(([, r]) => !r).map(([a]) => a);
    if (ready.length) subset.addresses = ready;
    if (notReady.length) subset.notReadyAddresses = notReady;
    if (ports.length) subset.ports = ports;
    final.push(subset);
  }
  return sortSubsets(final);
}
