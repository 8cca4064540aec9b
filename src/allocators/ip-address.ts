// IP parsing and printing as Go's net package (via k8s.io/utils/net's "sloppy" parser) does:
// IPv4 octets may carry leading zeros (read as decimal), IPv4-mapped IPv6 addresses count as
// IPv4, and IPv6 prints in the RFC 5952 form Go's net.IP.String() produces.

export type IPFamily = 'IPv4' | 'IPv6';

export interface ParsedIP {
  readonly family: IPFamily;
  /** The address as an unsigned integer of 32 (IPv4) or 128 (IPv6) bits. */
  readonly value: bigint;
}

export interface ParsedCIDR {
  readonly family: IPFamily;
  /** The masked network address. */
  readonly network: bigint;
  readonly prefix: number;
  readonly bits: 32 | 128;
}

export function parseIP(text: string): ParsedIP | undefined {
  if (text.includes(':')) {
    const v = parseIPv6(text);
    if (v === undefined) return undefined;
    if (v >> 32n === 0xffffn) return { family: 'IPv4', value: v & 0xffffffffn };
    return { family: 'IPv6', value: v };
  }
  const v = parseIPv4(text);
  return v === undefined ? undefined : { family: 'IPv4', value: v };
}

/** net.IP.String(). */
export function formatIP(ip: ParsedIP): string {
  return ip.family === 'IPv4' ? formatIPv4(ip.value) : formatIPv6(ip.value);
}

/** The canonical text of an IP, or undefined if it is not one. */
export function canonicalIP(text: string): string | undefined {
  const ip = parseIP(text);
  return ip && formatIP(ip);
}

/** net.ParseCIDR, masking host bits (ParseCIDRSloppy returns the masked network). */
export function parseCIDR(text: string): ParsedCIDR | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = text.slice(0, slash);
  const bitsText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return undefined;
  const prefix = Number(bitsText);
  // The family follows the text: an IPv6-looking address makes an IPv6 network.
  let family: IPFamily;
  let value: bigint | undefined;
  if (addr.includes(':')) {
    family = 'IPv6';
    value = parseIPv6(addr);
  } else {
    family = 'IPv4';
    value = parseIPv4(addr);
  }
  const bits = family === 'IPv4' ? 32 : 128;
  if (value === undefined || prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const network = (value >> hostBits) << hostBits;
  return { family, network, prefix, bits };
}

export function formatCIDR(c: ParsedCIDR): string {
  return `${formatIP({ family: c.family, value: c.network })}/${c.prefix}`;
}

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p.replace(/^0+(?=\d)/, ''))) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIPv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const count = head.length + tail.length;
  // "::" must stand for at least one zero group.
  if (halves.length === 2 ? count > 7 : count !== 8) return undefined;
  const all = [...head, ...new Array<number>(8 - count).fill(0), ...tail];
  let v = 0n;
  for (const g of all) v = (v << 16n) | BigInt(g);
  return v;
}

/** Hex groups of one side of "::"; a trailing dotted quad counts as two groups. */
function groups(side: string): number[] | undefined {
  if (side === '') return [];
  const parts = side.split(':');
  const out: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (i === parts.length - 1 && p.includes('.')) {
      const v4 = parseIPv4(p);
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
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
}

function formatIPv6(v: bigint): string {
  if (v >> 32n === 0xffffn) return formatIPv4(v & 0xffffffffn);
  const g: number[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) g.push(Number((v >> s) & 0xffffn));
  // Longest run of at least two zero groups becomes "::" (the first one on a tie).
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  if (bestAt < 0) return hex(g);
  return `${hex(g.slice(0, bestAt))}::${hex(g.slice(bestAt + bestLen))}`;
}
