// How the LoadBalancer controller reads a core/v1 Service.
import type { LoadBalancerIngress, Service, ServiceSpec } from '../../api/types/core/index.js';
import type { IPFamily } from './pool.js';
import { parseAddress } from './pool.js';

/** svcnet's own annotation for requested addresses: one IP, or an IPv4 and an IPv6 comma-separated. */
export const LB_IPS_ANNOTATION = 'svcnet.io/loadBalancerIPs';
/** MetalLB's current and deprecated spellings, accepted so MetalLB manifests work unchanged. */
export const METALLB_IPS_ANNOTATIONS = ['metallb.io/loadBalancerIPs', 'metallb.universe.tf/loadBalancerIPs'] as const;

/**
 * Whether this controller owns the Service: type LoadBalancer and a loadBalancerClass equal to
 * ours (no class on both sides when we run without one), as ServiceLB and MetalLB decide.
 */
export function isManaged(svc: Service, ownClass: string | undefined): boolean {
  const spec: ServiceSpec = svc.spec ?? {};
  if (spec.type !== 'LoadBalancer') return false;
  return (spec.loadBalancerClass || undefined) === (ownClass || undefined);
}

export type RequestedIPs = { readonly ips: readonly { ip: string; family: IPFamily }[] } | { readonly error: string };

/**
 * The addresses the user asked for: our annotation, else MetalLB's, else the deprecated
 * spec.loadBalancerIP. Both an annotation and a different spec.loadBalancerIP is an error, as in
 * MetalLB (which rejects both even when equal; equal values are accepted here).
 */
export function requestedIPs(svc: Service): RequestedIPs {
  const ann = svc.metadata.annotations ?? {};
  const name = [LB_IPS_ANNOTATION, ...METALLB_IPS_ANNOTATIONS].find((a) => (ann[a] ?? '').trim() !== '');
  const specIP = (svc.spec?.loadBalancerIP ?? '').trim();
  if (name === undefined) {
    if (!specIP) return { ips: [] };
    const p = parseAddress(specIP);
    return p ? { ips: [{ ip: p.ip, family: p.family }] } : { error: `invalid spec.loadBalancerIP "${specIP}"` };
  }
  const text = ann[name]!;
  const ips: { ip: string; family: IPFamily }[] = [];
  for (const part of text.split(',')) {
    const p = parseAddress(part);
    if (!p) return { error: `invalid ${name}: "${text}"` };
    if (ips.some((x) => x.family === p.family)) return { error: `invalid ${name}: "${text}": at most one address per IP family` };
    ips.push({ ip: p.ip, family: p.family });
  }
  if (specIP) {
    const p = parseAddress(specIP);
    if (!p || ips.length !== 1 || ips[0]!.ip !== p.ip) return { error: `service can not have both ${name} and spec.loadBalancerIP` };
  }
  return { ips };
}

/**
 * The IP families the Service wants addresses of, primary first, and whether it needs all of
 * them (SingleStack, RequireDualStack) or takes what it can get (PreferDualStack).
 */
export function wantedFamilies(svc: Service): { readonly families: readonly IPFamily[]; readonly all: boolean } {
  const spec: ServiceSpec = svc.spec ?? {};
  let fams = (spec.ipFamilies ?? []).filter((f): f is IPFamily => f === 'IPv4' || f === 'IPv6');
  if (fams.length === 0) fams = [parseAddress(spec.clusterIP ?? '')?.family ?? 'IPv4'];
  switch (spec.ipFamilyPolicy) {
    case 'RequireDualStack':
      return { families: fams, all: true };
    case 'PreferDualStack':
      return { families: fams, all: false };
    default:
      return { families: [fams[0]!], all: true };
  }
}

/** The IPs in status.loadBalancer.ingress, in order (hostname-only entries are skipped). */
export function statusIPs(svc: Service): string[] {
  return (svc.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : []));
}

/** status.loadBalancer.ingress for `ips`: VIP mode, the proxy answers for them on every node. */
export function ingressFor(ips: readonly string[]): LoadBalancerIngress[] {
  return ips.map((ip) => ({ ip, ipMode: 'VIP' }));
}

/** Whether the Service's status already says exactly `ips` in VIP mode. */
export function statusMatches(svc: Service, ips: readonly string[]): boolean {
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length !== ips.length) return false;
  return ingress.every((i, n) => i.ip === ips[n] && !i.hostname && (i.ipMode ?? 'VIP') === 'VIP' && !(i.ports ?? []).length);
}

export function serviceKey(svc: Service): string {
  return `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;
}
