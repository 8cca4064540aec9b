// GetWarningsForService (pkg/api/service/warnings.go as of 1.32): sent as `Warning: 299`
// headers, which kubectl prints as "Warning: <text>". In 1.32 the IP checks are the Service
// package's own getWarningsForIP/getWarningsForCIDR, which quote Go's net/netip parse errors.
// (The generic "non-standard IP" wording, the ambiguous-CIDR warning and the externalIPs
// deprecation are 1.33's; the headless-Service warnings are 1.34's.)
import { formatIP, parseIPSloppy, type IP } from '../../../util/ip.js';
import { isServiceIPSet } from '../../../api/service.js';
import type { Service } from '../../../api/types/core/v1.js';

/** netip's parseAddrError text. */
const addrError = (input: string, msg: string, at?: string) =>
  `ParseAddr(${JSON.stringify(input)}): ${msg}${at === undefined ? '' : ` (at ${JSON.stringify(at)})`}`;

/**
 * netip's parseIPv4Fields: the error for the dotted quad `s` (all of `input`, or the embedded tail
 * of an IPv6 text), or undefined when it parses.
 */
function ipv4Error(input: string, s = input): string | undefined {
  let val = 0;
  let pos = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c >= '0' && c <= '9') {
      if (digits === 1 && val === 0) return addrError(input, 'IPv4 field has octet with leading zero');
      val = val * 10 + Number(c);
      digits++;
      if (val > 255) return addrError(input, 'IPv4 field has value >255');
    } else if (c === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') return addrError(input, 'IPv4 field must have at least one digit', s.slice(i));
      if (pos === 3) return addrError(input, 'IPv4 address too long');
      pos++;
      val = 0;
      digits = 0;
    } else {
      return addrError(input, 'unexpected character', s.slice(i));
    }
  }
  return pos < 3 ? addrError(input, 'IPv4 address too short') : undefined;
}

/** netip.Addr.String() of an address written with a colon: RFC 5952, IPv4-mapped as ::ffff:a.b.c.d. */
function ipv6String(ip: IP): string {
  return ip.family === 'IPv4' ? `::ffff:${formatIP(ip)}` : formatIP(ip);
}

type Parsed = { readonly error: string } | { readonly v6?: string };

/** netip.ParseAddr: an error text, or for IPv6 the canonical form. */
function parseAddr(input: string): Parsed {
  for (const c of input) {
    if (c === '.') {
      const e = ipv4Error(input);
      return e ? { error: e } : {};
    }
    if (c === ':') {
      const v4Tail = input.includes('.') ? ipv4Error(input, input.slice(input.lastIndexOf(':') + 1)) : undefined;
      if (v4Tail) return { error: v4Tail };
      const ip = input.includes('%') ? undefined : parseIPSloppy(input);
      // Only loadBalancerIP (not validated in 1.32) gets here unparsable; netip's many IPv6
      // messages are not reproduced, just the generic one.
      if (!ip) return { error: addrError(input, 'unable to parse IP') };
      return { v6: ipv6String(ip) };
    }
    if (c === '%') return { error: addrError(input, 'missing IPv6 address') };
  }
  return { error: addrError(input, 'unable to parse IP') };
}

export function ipWarnings(path: string, address: string): string[] {
  const p = parseAddr(address);
  if ('error' in p) return [`${path}: IP address was accepted, but will be invalid in a future Kubernetes release: ${p.error}`];
  if (p.v6 !== undefined && p.v6 !== address) {
    return [`${path}: IPv6 address ${JSON.stringify(address)} is not in RFC 5952 canonical format (${JSON.stringify(p.v6)}), which may cause controller apply-loops`];
  }
  return [];
}

/** netip.ParsePrefix's checks, then the IPv6 canonical-form check on Prefix.String() (unmasked). */
export function cidrWarnings(path: string, cidr: string): string[] {
  const accepted = (err: string) => [
    `${path}: IP prefix was accepted, but will be invalid in a future Kubernetes release: netip.ParsePrefix(${JSON.stringify(cidr)}): ${err}`,
  ];
  const slash = cidr.lastIndexOf('/');
  if (slash < 0) return accepted("no '/'");
  const addr = parseAddr(cidr.slice(0, slash));
  if ('error' in addr) return accepted(addr.error);
  const bits = cidr.slice(slash + 1);
  const badBits = () => accepted(`bad bits after slash: ${JSON.stringify(bits)}`);
  if (bits.length > 1 && (bits[0]! < '1' || bits[0]! > '9')) return badBits();
  if (!/^[0-9]+$/.test(bits)) return badBits();
  const max = addr.v6 === undefined ? 32 : 128;
  if (Number(bits) > max) return accepted('prefix length out of range');
  const canonical = addr.v6 === undefined ? undefined : `${addr.v6}/${Number(bits)}`;
  if (canonical !== undefined && canonical !== cidr) {
    return [`${path}: IPv6 prefix ${JSON.stringify(cidr)} is not in RFC 5952 canonical format (${JSON.stringify(canonical)}), which may cause controller apply-loops`];
  }
  return [];
}

export function serviceWarnings(svc: Service, _old: Service | undefined): string[] {
  const w: string[] = [];
  const spec = svc.spec ?? {};
  const annotations = (svc.metadata.annotations ?? {}) as Record<string, string>;
  if ('service.kubernetes.io/topology-aware-hints' in annotations) {
    w.push('annotation service.kubernetes.io/topology-aware-hints is deprecated, please use service.kubernetes.io/topology-mode instead');
  }
  if (isServiceIPSet(svc)) (spec.clusterIPs ?? []).forEach((ip, i) => w.push(...ipWarnings(`spec.clusterIPs[${i}]`, ip)));
  (spec.externalIPs ?? []).forEach((ip, i) => w.push(...ipWarnings(`spec.externalIPs[${i}]`, ip)));
  if (spec.loadBalancerIP) w.push(...ipWarnings('spec.loadBalancerIP', spec.loadBalancerIP));
  ((spec.loadBalancerSourceRanges as string[] | undefined) ?? []).forEach((c, i) => w.push(...cidrWarnings(`spec.loadBalancerSourceRanges[${i}]`, c)));
  if (spec.type === 'ExternalName' && (spec.externalIPs ?? []).length) w.push('spec.externalIPs is ignored when spec.type is "ExternalName"');
  if (spec.type !== 'ExternalName' && spec.externalName) w.push('spec.externalName is ignored when spec.type is not "ExternalName"');
  return w;
}
