// Compatibility re-exports for code outside the allocators that still imports IP helpers from
// here (src/controllers, being moved to src/util/ip.ts on its own branch). There is one IP
// library, src/util/ip.ts; this file only names its sloppy parsers (k8s.io/utils/net
// ParseIPSloppy/ParseCIDRSloppy, what the allocators used) under the old names. Delete it once
// nothing imports it.
import { canonicalIP as canonical, parseCIDRSloppy, parseIPSloppy, type CIDR, type IP } from '../util/ip.js';

export { formatCIDR, formatIP } from '../util/ip.js';
export type { IPFamily } from '../util/ip.js';
export type ParsedIP = IP;
export type ParsedCIDR = CIDR;

/** k8s.io/utils/net ParseIPSloppy. */
export const parseIP = parseIPSloppy;
/** k8s.io/utils/net ParseCIDRSloppy (host bits masked into `network`). */
export const parseCIDR = parseCIDRSloppy;

/** The canonical text of an IP read sloppily, or undefined if it is not one. */
export function canonicalIP(text: string): string | undefined {
  return canonical(text, { sloppy: true });
}
