// One IPv4/IPv6 address and CIDR library for the allocators, validation, controllers and the node
// network. Addresses are bigints (32 or 128 bits), so offsets inside a /64 stay exact.
//
// Two parsers, because Kubernetes has two:
// - strict (the default): Go ≥ 1.17 net.ParseIP / netip.ParseAddr. IPv4 octets may not have
//   leading zeros ("010.1.1.1" is ambiguous: octal to some tools, decimal to others).
// - sloppy: k8s.io/utils/net ParseIPSloppy/ParseCIDRSloppy, the Go 1.16 parser that
//   kube-apiserver validation still uses for existing objects: leading zeros are read as decimal.
// IPv4-mapped IPv6 ("::ffff:1.2.3.4") counts as IPv4, as Go's net.IP.To4() and k8s.io/utils/net
// IPFamilyOf treat it, and prints as IPv4 (net.IP.String()). Zones ("fe80::1%eth0") are refused
// unless asked for, as net.ParseIP refuses them.

export type IPFamily = 'IPv4' | 'IPv6';

export interface IP {
  readonly family: IPFamily;
  /** 32 bits for IPv4 (also when written IPv4-mapped), 128 bits for IPv6. */
  readonly value: bigint;
  /** Written as IPv4-mapped IPv6 (::ffff:a.b.c.d). */
  readonly is4In6?: boolean;
  /** The IPv6 scope zone after "%", only with `allowZone`. */
  readonly zone?: string;
}

export interface CIDR {
  /** By the text: an address containing ":" makes a 128-bit prefix (net.ParseCIDR's iplen). */
  readonly family: IPFamily;
  readonly bits: 32 | 128;
  readonly prefix: number;
  /** The masked network address, `bits` wide. */
  readonly network: bigint;
  /** The address as written, host bits kept (the IP net.ParseCIDR returns beside the IPNet). */
  readonly address: bigint;
}

export interface ParseOptions {
  /** Accept leading zeros in IPv4 octets (and CIDR prefix lengths), read as decimal. */
  readonly sloppy?: boolean;
  /** Accept an IPv6 zone ("%eth0"), as netip.ParseAddr does. Never accepted in CIDRs. */
  readonly allowZone?: boolean;
}

const MAX32 = (1n << 32n) - 1n;
const MAX128 = (1n << 128n) - 1n;
const MAPPED_PREFIX = 0xffffn;

export function parseIP(text: string, opts: ParseOptions = {}): IP | undefined {
  if (!text.includes(':')) {
    const v = parseIPv4(text, opts.sloppy === true);
    return v === undefined ? undefined : { family: 'IPv4', value: v };
  }
  let addr = text;
  let zone: string | undefined;
  const pct = text.indexOf('%');
  if (pct >= 0) {
    zone = text.slice(pct + 1);
    if (!opts.allowZone || zone === '') return undefined;
    addr = text.slice(0, pct);
  }
  const v = parseIPv6(addr, opts.sloppy === true);
  if (v === undefined) return undefined;
  const ip = fromValue(128, v);
  return zone === undefined ? ip : { ...ip, zone };
}

/** k8s.io/utils/net ParseIPSloppy. */
export function parseIPSloppy(text: string): IP | undefined {
  return parseIP(text, { sloppy: true });
}

/** The address `value` of a `bits`-wide space; a 128-bit IPv4-mapped value becomes IPv4. */
export function fromValue(bits: 32 | 128, value: bigint): IP {
  if (bits === 32) return { family: 'IPv4', value };
  if (value >> 32n === MAPPED_PREFIX) return { family: 'IPv4', value: value & MAX32, is4In6: true };
  return { family: 'IPv6', value };
}

/** The 128-bit form (IPv4 as ::ffff:a.b.c.d), for comparing against 128-bit prefixes. */
export function to128(ip: IP): bigint {
  return ip.family === 'IPv4' ? (MAPPED_PREFIX << 32n) | ip.value : ip.value;
}

/** Canonical text: dotted decimal, or RFC 5952 (lower case, longest zero run as "::"). */
export function formatIP(ip: IP): string {
  let s: string;
  if (ip.family === 'IPv4') s = formatIPv4(ip.value);
  else s = formatIPv6(ip.value);
  // A zoned 4-in-6 keeps its IPv6 form: the zone means nothing on an IPv4 address.
  if (ip.zone !== undefined) return `${ip.family === 'IPv4' ? `::ffff:${s}` : s}%${ip.zone}`;
  return s;
}

/** The canonical text of an address, or undefined when `text` is not one. */
export function canonicalIP(text: string, opts: ParseOptions = {}): string | undefined {
  const ip = parseIP(text, opts);
  return ip && formatIP(ip);
}

/** k8s.io/utils/net IPFamilyOfString (strict unless asked otherwise). */
export function ipFamilyOf(text: string, opts: ParseOptions = {}): IPFamily | undefined {
  return parseIP(text, opts)?.family;
}

export function isIPv4String(text: string, opts: ParseOptions = {}): boolean {
  return ipFamilyOf(text, opts) === 'IPv4';
}

export function isIPv6String(text: string, opts: ParseOptions = {}): boolean {
  return ipFamilyOf(text, opts) === 'IPv6';
}

/** netip.Addr.Compare: IPv4 before IPv6, then by value, then by zone. */
export function compareIPs(a: IP, b: IP): number {
  if (a.family !== b.family) return a.family === 'IPv4' ? -1 : 1;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  const za = a.zone ?? '';
  const zb = b.zone ?? '';
  return za < zb ? -1 : za > zb ? 1 : 0;
}

export function ipEqual(a: IP, b: IP): boolean {
  return compareIPs(a, b) === 0;
}

/** ip + delta, or undefined when it leaves the family's address space. */
export function addToIP(ip: IP, delta: bigint): IP | undefined {
  const max = ip.family === 'IPv4' ? MAX32 : MAX128;
  const v = ip.value + delta;
  if (v < 0n || v > max) return undefined;
  return ip.family === 'IPv4' ? { family: 'IPv4', value: v } : { family: 'IPv6', value: v };
}

/** 4 bytes for IPv4, 16 for IPv6 (netip.Addr.AsSlice after Unmap). */
export function ipToBytes(ip: IP): Uint8Array {
  const n = ip.family === 'IPv4' ? 4 : 16;
  const out = new Uint8Array(n);
  let v = ip.value;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

// Special ranges, as Go's net.IP methods define them (an IPv4-mapped address is judged as IPv4).
export function isUnspecified(ip: IP): boolean {
  return ip.value === 0n;
}

/** 127.0.0.0/8, ::1/128. */
export function isLoopback(ip: IP): boolean {
  return ip.family === 'IPv4' ? ip.value >> 24n === 127n : ip.value === 1n;
}

/** 169.254.0.0/16, fe80::/10. */
export function isLinkLocalUnicast(ip: IP): boolean {
  return ip.family === 'IPv4' ? ip.value >> 16n === 0xa9fen : ip.value >> 118n === 0x3fan;
}

/** 224.0.0.0/24, ff02::/16 (Go checks ff0X::/16 with scope 2, whatever the flags). */
export function isLinkLocalMulticast(ip: IP): boolean {
  return ip.family === 'IPv4' ? ip.value >> 8n === 0xe00000n : ip.value >> 120n === 0xffn && ((ip.value >> 112n) & 0x0fn) === 2n;
}

/** 224.0.0.0/4, ff00::/8. */
export function isMulticast(ip: IP): boolean {
  return ip.family === 'IPv4' ? ip.value >> 28n === 0xen : ip.value >> 120n === 0xffn;
}

/** net.ParseCIDR (strict) or k8s.io/utils/net ParseCIDRSloppy; host bits are masked into `network`. */
export function parseCIDR(text: string, opts: { readonly sloppy?: boolean } = {}): CIDR | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addrText = text.slice(0, slash);
  const bitsText = text.slice(slash + 1);
  const sloppy = opts.sloppy === true;
  // netip.ParsePrefix refuses leading zeros in the length; Go 1.16's dtoi (the sloppy parser) reads them.
  if (!/^[0-9]+$/.test(bitsText) || (!sloppy && bitsText.length > 1 && bitsText[0] === '0')) return undefined;
  const prefix = Number(bitsText);
  const v6 = addrText.includes(':');
  const address = v6 ? parseIPv6(addrText, sloppy) : parseIPv4(addrText, sloppy);
  const bits = v6 ? 128 : 32;
  if (address === undefined || prefix > bits) return undefined;
  const host = BigInt(bits - prefix);
  return { family: v6 ? 'IPv6' : 'IPv4', bits, prefix, network: (address >> host) << host, address };
}

export function parseCIDRSloppy(text: string): CIDR | undefined {
  return parseCIDR(text, { sloppy: true });
}

/** An IPv4-mapped 128-bit prefix of at least /96 behaves as IPv4 /(prefix-96), as in Go's net.IPNet. */
function asIPv4Prefix(c: CIDR): { network: bigint; prefix: number } | undefined {
  if (c.bits === 32) return { network: c.network, prefix: c.prefix };
  if (c.prefix >= 96 && c.network >> 32n === MAPPED_PREFIX) return { network: c.network & MAX32, prefix: c.prefix - 96 };
  return undefined;
}

/** net.IPNet.String(): the network address and prefix length. */
export function formatCIDR(c: CIDR): string {
  const v4 = asIPv4Prefix(c);
  if (v4) return `${formatIPv4(v4.network)}/${v4.prefix}`;
  return `${formatIPv6(c.network)}/${c.prefix}`;
}

/** net.IPNet.Contains: IPv4 addresses only in IPv4 prefixes, IPv6 only in IPv6 prefixes. */
export function cidrContains(c: CIDR, ip: IP): boolean {
  const v4 = asIPv4Prefix(c);
  if (v4) return ip.family === 'IPv4' && ip.value >> BigInt(32 - v4.prefix) === v4.network >> BigInt(32 - v4.prefix);
  if (c.bits === 32 || ip.family !== 'IPv6') return false;
  const host = BigInt(128 - c.prefix);
  return ip.value >> host === c.network >> host;
}

/** Whether two prefixes share any address (either contains the other's network). */
export function cidrsOverlap(a: CIDR, b: CIDR): boolean {
  if (a.bits !== b.bits) return false;
  const host = BigInt(a.bits - Math.min(a.prefix, b.prefix));
  return a.network >> host === b.network >> host;
}

/** The number of addresses, network and broadcast included (2^(bits-prefix)). */
export function cidrSize(c: CIDR): bigint {
  return 1n << BigInt(c.bits - c.prefix);
}

/** The address `offset` places after the network address, or undefined outside the prefix. */
export function cidrIPAt(c: CIDR, offset: bigint): IP | undefined {
  if (offset < 0n || offset >= cidrSize(c)) return undefined;
  return fromValue(c.bits, c.network + offset);
}

/** How far `ip` lies from the network address, or undefined when the prefix does not contain it. */
export function cidrOffsetOf(c: CIDR, ip: IP): bigint | undefined {
  if (!cidrContains(c, ip)) return undefined;
  return (c.bits === 32 ? ip.value : to128(ip)) - c.network;
}

/** The last address (IPv4: the broadcast address). */
export function cidrLast(c: CIDR): IP {
  return fromValue(c.bits, c.network + cidrSize(c) - 1n);
}

/** net.JoinHostPort: brackets around any host containing ":" (IPv6). */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function parseIPv4(text: string, sloppy: boolean): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^[0-9]+$/.test(p)) return undefined;
    if (p.length > 1 && p[0] === '0' && !sloppy) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIPv6(text: string, sloppy: boolean): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = hexGroups(halves[0]!, sloppy, halves.length === 1);
  const tail = halves.length === 2 ? hexGroups(halves[1]!, sloppy, true) : [];
  if (!head || !tail) return undefined;
  const count = head.length + tail.length;
  // "::" must stand for at least one zero group; without it there must be exactly eight.
  if (halves.length === 2 ? count > 7 : count !== 8) return undefined;
  let v = 0n;
  for (const g of [...head, ...new Array<number>(8 - count).fill(0), ...tail]) v = (v << 16n) | BigInt(g);
  return v;
}

/** The 16-bit groups of one side of "::"; a dotted quad may end the address (two groups). */
function hexGroups(side: string, sloppy: boolean, mayEndWithIPv4: boolean): number[] | undefined {
  if (side === '') return [];
  const parts = side.split(':');
  const out: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.includes('.')) {
      if (!mayEndWithIPv4 || i !== parts.length - 1) return undefined;
      const v4 = parseIPv4(p, sloppy);
      if (v4 === undefined) return undefined;
      out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else {
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
      out.push(parseInt(p, 16));
    }
  }
  return out;
}

function formatIPv4(v: bigint): string {
  return `${(v >> 24n) & 0xffn}.${(v >> 16n) & 0xffn}.${(v >> 8n) & 0xffn}.${v & 0xffn}`;
}

function formatIPv6(v: bigint): string {
  const g: number[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) g.push(Number((v >> s) & 0xffffn));
  // RFC 5952 §4.2: the longest run of two or more zero groups becomes "::", the first on a tie.
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [bestAt, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  if (bestAt < 0) return hex(g);
  return `${hex(g.slice(0, bestAt))}::${hex(g.slice(bestAt + bestLen))}`;
}
