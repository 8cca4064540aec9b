// IP and CIDR checks as k8s.io/utils/net ParseIPSloppy/ParseCIDRSloppy and
// k8s.io/apimachinery validation.IsValidIP/IsValidCIDR report them (Kubernetes 1.32 still
// accepts IPv4 octets with leading zeros, hence "sloppy").
import { FieldError, fieldErr } from '../field-errors.js';

export interface ParsedIP {
  /** 16 bytes; IPv4 (and IPv4-mapped IPv6) is stored as ::ffff:a.b.c.d like Go's net.IP. */
  readonly bytes: Uint8Array;
  /** Go's ip.To4() != nil. */
  readonly is4: boolean;
}

function parseIPv4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

function parseIPv6(s: string): Uint8Array | null {
  if (s.length === 0 || s.includes('%')) return null;
  let head = s;
  let tail = '';
  const dbl = s.indexOf('::');
  if (dbl >= 0) {
    if (s.indexOf('::', dbl + 1) >= 0) return null;
    head = s.slice(0, dbl);
    tail = s.slice(dbl + 2);
  }
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const g = items[i]!;
      if (i === items.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const h = groups(head);
  const t = groups(tail);
  if (!h || !t) return null;
  if (dbl >= 0 ? h.length + t.length > 7 : h.length !== 8) return null;
  // An embedded IPv4 part is only allowed at the very end.
  if (dbl >= 0 && head.includes('.')) return null;
  const all = dbl >= 0 ? [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t] : h;
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

function isV4Mapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

export function parseIPSloppy(s: string): ParsedIP | null {
  const v4 = parseIPv4(s);
  if (v4) {
    const bytes = new Uint8Array(16);
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    bytes.set(v4, 12);
    return { bytes, is4: true };
  }
  if (!s.includes(':')) return null;
  const b = parseIPv6(s);
  return b ? { bytes: b, is4: isV4Mapped(b) } : null;
}

export function isIPv6String(s: string): boolean {
  const ip = parseIPSloppy(s);
  return ip !== null && !ip.is4;
}

export function parseCIDRSloppy(s: string): { ip: ParsedIP; prefix: number } | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIPSloppy(s.slice(0, slash));
  const p = s.slice(slash + 1);
  if (!ip || !/^[0-9]{1,3}$/.test(p)) return null;
  const prefix = Number(p);
  // A dotted-quad address takes an IPv4 prefix even though it is stored in 16 bytes.
  const max = s.slice(0, slash).includes(':') ? 128 : 32;
  return prefix <= max ? { ip, prefix } : null;
}

const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

/** validation.IsValidIP as a message list (empty when valid). */
export function isValidIP(value: string): string[] {
  return parseIPSloppy(value) ? [] : [IP_MSG];
}

export function validateIP(path: string, value: string): FieldError[] {
  return isValidIP(value).map((m) => fieldErr.invalid(path, value, m));
}

export function validateIPv4(path: string, value: string): FieldError[] {
  const ip = parseIPSloppy(value);
  return ip && ip.is4 ? [] : [fieldErr.invalid(path, value, 'must be a valid IPv4 address')];
}

export function validateIPv6(path: string, value: string): FieldError[] {
  const ip = parseIPSloppy(value);
  return ip && !ip.is4 ? [] : [fieldErr.invalid(path, value, 'must be a valid IPv6 address')];
}

export function validateCIDR(path: string, value: string): FieldError[] {
  return parseCIDRSloppy(value) ? [] : [fieldErr.invalid(path, value, CIDR_MSG)];
}

/** ValidateNonSpecialIP: external IPs and endpoint addresses may not be "special" addresses. */
export function validateNonSpecialIP(path: string, value: string): FieldError[] {
  const ip = parseIPSloppy(value);
  if (!ip) return [fieldErr.invalid(path, value, 'must be a valid IP address')];
  const b = ip.bytes;
  const errs: FieldError[] = [];
  const unspecified = ip.is4 ? b.slice(12).every((x) => x === 0) : b.every((x) => x === 0);
  const loopback = ip.is4 ? b[12] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
  const linkLocalUnicast = ip.is4 ? b[12] === 169 && b[13] === 254 : b[0] === 0xfe && (b[1]! & 0xc0) === 0x80;
  const linkLocalMulticast = ip.is4 ? b[12] === 224 && b[13] === 0 && b[14] === 0 : b[0] === 0xff && (b[1]! & 0x0f) === 0x02;
  if (unspecified) errs.push(fieldErr.invalid(path, value, `may not be unspecified (${value})`));
  if (loopback) errs.push(fieldErr.invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (linkLocalUnicast) errs.push(fieldErr.invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (linkLocalMulticast)
    errs.push(fieldErr.invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}
