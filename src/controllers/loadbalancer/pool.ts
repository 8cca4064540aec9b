// The address pool LoadBalancer IPs come from, as MetalLB's IPAddressPool `addresses` list:
// ranges (`a-b`), CIDRs and single IPs, IPv4 and IPv6 mixed. Pure: no I/O, no state.
//
// Every address of a CIDR is usable (MetalLB's default, avoidBuggyIPs off): these are virtual
// IPs the proxy answers for, not hosts on a broadcast domain. IPv6 CIDRs can hold 2^64 and more
// addresses, so nothing is ever enumerated; `firstFree` walks from a range's start and skips
// only the addresses in use.
import { formatIP, parseCIDRSloppy as parseCIDR, parseIPSloppy as parseIP, type IPFamily } from '../../util/ip.js';
import { DEFAULT_LOAD_BALANCER_POOL } from '../../api/defaults/cluster.js';

export type { IPFamily };

/** The pool `svcnet up` gives: the top of the node network (api/defaults/cluster.ts). */
export const DEFAULT_LB_POOL: readonly string[] = [DEFAULT_LOAD_BALANCER_POOL];
export const DEFAULT_LB_POOL_NAME = 'default';

export interface AddressRange {
  readonly family: IPFamily;
  readonly first: bigint;
  readonly last: bigint;
  /** As written in the configuration, for messages. */
  readonly text: string;
}

export interface IPPool {
  readonly name: string;
  readonly ranges: readonly AddressRange[];
}

/**
 * Parses pool entries: `172.18.255.200-172.18.255.250`, `10.0.0.0/28`, `2001:db8::/120`,
 * `2001:db8::10-2001:db8::1f`, `192.0.2.7`. Entries may also be given comma-separated in one
 * string. Throws an Error naming the bad entry.
 */
export function parsePool(entries: string | readonly string[], name = DEFAULT_LB_POOL_NAME): IPPool {
  const list = (typeof entries === 'string' ? [entries] : entries)
    .flatMap((e) => e.split(','))
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (list.length === 0) throw new Error(`load balancer pool ${name}: no addresses given`);
  const ranges = list.map((e) => parseRange(e, name));
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const a = ranges[i]!;
      const b = ranges[j]!;
      if (a.family === b.family && a.first <= b.last && b.first <= a.last)
        throw new Error(`load balancer pool ${name}: ${a.text} overlaps ${b.text}`);
    }
  }
  return { name, ranges };
}

function parseRange(text: string, pool: string): AddressRange {
  const bad = (why: string) => new Error(`load balancer pool ${pool}: invalid entry "${text}": ${why}`);
  if (text.includes('/')) {
    const c = parseCIDR(text);
    if (!c) throw bad('not a valid CIDR');
    const size = 1n << BigInt(c.bits - c.prefix);
    return { family: c.family, first: c.network, last: c.network + size - 1n, text };
  }
  const dash = text.indexOf('-');
  if (dash >= 0) {
    const a = parseIP(text.slice(0, dash).trim());
    const b = parseIP(text.slice(dash + 1).trim());
    if (!a || !b) throw bad('both ends of a range must be IP addresses');
    if (a.family !== b.family) throw bad('both ends of a range must be of one IP family');
    if (a.value > b.value) throw bad('the range ends before it starts');
    return { family: a.family, first: a.value, last: b.value, text };
  }
  const ip = parseIP(text);
  if (!ip) throw bad('expected a range (a-b), a CIDR or an IP address');
  return { family: ip.family, first: ip.value, last: ip.value, text };
}

/** The canonical form of an IP text with its family, or undefined if it is not an IP. */
export function parseAddress(text: string): { readonly family: IPFamily; readonly ip: string; readonly value: bigint } | undefined {
  const p = parseIP(text.trim());
  return p && { family: p.family, ip: formatIP(p), value: p.value };
}

export function poolContains(pool: IPPool, ip: string): boolean {
  const p = parseIP(ip);
  return p !== undefined && pool.ranges.some((r) => r.family === p.family && r.first <= p.value && p.value <= r.last);
}

export function poolHasFamily(pool: IPPool, family: IPFamily): boolean {
  return pool.ranges.some((r) => r.family === family);
}

/**
 * The lowest free address of `family`, ranges taken in configured order; undefined when every
 * address is in use. Lowest-first (as MetalLB) keeps assignments predictable, and an address
 * freed by a deleted Service is the next one given out.
 */
export function firstFree(pool: IPPool, family: IPFamily, inUse: (ip: string) => boolean): string | undefined {
  for (const r of pool.ranges) {
    if (r.family !== family) continue;
    for (let v = r.first; v <= r.last; v++) {
      const ip = formatIP({ family, value: v });
      if (!inUse(ip)) return ip;
    }
  }
  return undefined;
}

/** `default (172.18.255.200-172.18.255.250)`: how messages name the pool. */
export function describePool(pool: IPPool): string {
  return `${pool.name} (${pool.ranges.map((r) => r.text).join(', ')})`;
}
