// GetWarningsForService (pkg/api/service/warnings.go, as of 1.32): sent as `Warning: 299`
// headers, which kubectl prints as "Warning: <text>". (The externalIPs and PreferClose
// deprecation warnings of later releases are deliberately absent.)
import { isIP } from 'node:net';
import type { Service } from './types.js';

/** The canonical text of an IP that Go's ParseIPSloppy accepts, or undefined. */
function sloppyCanonical(value: string): string | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) {
    const parts = value.split('.').map((p) => Number.parseInt(p, 10));
    return parts.every((p) => p <= 255) ? parts.join('.') : undefined;
  }
  if (isIP(value) === 6) {
    try {
      const host = new URL(`http://[${value}]/`).hostname;
      return host.slice(1, -1);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function ipWarnings(path: string, value: string): string[] {
  const canonical = sloppyCanonical(value);
  if (canonical === undefined) return [];
  const strict = isIP(value) !== 0 && !/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(value);
  if (!strict) return [`${path}: non-standard IP address ${JSON.stringify(value)} will be considered invalid in a future Kubernetes release: use ${JSON.stringify(canonical)}`];
  if (isIP(value) === 6 && canonical !== value) {
    return [`${path}: IPv6 address ${JSON.stringify(value)} should be in RFC 5952 canonical format (${JSON.stringify(canonical)})`];
  }
  return [];
}

export function cidrWarnings(path: string, value: string): string[] {
  const [ip, bits] = value.trim().split('/');
  if (!ip || bits === undefined) return [];
  const out: string[] = [];
  const canonical = sloppyCanonical(ip);
  if (canonical === undefined) return [];
  if (isIP(ip) === 4) {
    const n = canonical.split('.').reduce((a, p) => (a << 8) + Number(p), 0) >>> 0;
    const mask = Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0;
    const net = (n & mask) >>> 0;
    if (net !== n) {
      const netText = [24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.');
      out.push(`${path}: CIDR value ${JSON.stringify(value)} is ambiguous in this context (should be ${JSON.stringify(`${netText}/${bits}`)} or ${JSON.stringify(`${canonical}/32`)}?)`);
    }
  }
  if (canonical !== ip) {
    out.push(`${path}: non-standard CIDR value ${JSON.stringify(value)} will be considered invalid in a future Kubernetes release: use ${JSON.stringify(`${canonical}/${bits}`)}`);
  }
  return out;
}

const isHeadlessClusterIP = (s: Service) => s.spec.type === 'ClusterIP' && s.spec.clusterIP === 'None';

export function serviceWarnings(svc: Service, _old: Service | undefined): string[] {
  const w: string[] = [];
  const spec = svc.spec ?? {};
  const annotations = (svc.metadata.annotations ?? {}) as Record<string, string>;
  if ('service.kubernetes.io/topology-aware-hints' in annotations) {
    w.push('annotation service.kubernetes.io/topology-aware-hints is deprecated, please use service.kubernetes.io/topology-mode instead');
  }
  const ips = spec.clusterIPs ?? [];
  if (ips.length && ips[0] !== 'None' && ips[0] !== '') ips.forEach((ip, i) => w.push(...ipWarnings(`spec.clusterIPs[${i}]`, ip)));
  if (isHeadlessClusterIP(svc)) {
    if (spec.loadBalancerIP) w.push('spec.loadBalancerIP is ignored for headless services');
    if ((spec.externalIPs ?? []).length) w.push('spec.externalIPs is ignored for headless services');
    if (spec.sessionAffinity && spec.sessionAffinity !== 'None') w.push('spec.SessionAffinity is ignored for headless services');
  }
  (spec.externalIPs ?? []).forEach((ip, i) => w.push(...ipWarnings(`spec.externalIPs[${i}]`, ip)));
  if (spec.loadBalancerIP) w.push(...ipWarnings('spec.loadBalancerIP', spec.loadBalancerIP));
  ((spec.loadBalancerSourceRanges as string[] | undefined) ?? []).forEach((c, i) => w.push(...cidrWarnings(`spec.loadBalancerSourceRanges[${i}]`, c)));
  if (spec.type === 'ExternalName' && (spec.externalIPs ?? []).length) w.push('spec.externalIPs is ignored when spec.type is "ExternalName"');
  if (spec.type !== 'ExternalName' && spec.externalName) w.push('spec.externalName is ignored when spec.type is not "ExternalName"');
  return w;
}
