// The update-time helpers that keep `kubectl apply`/`replace` of Services idempotent
// (pkg/registry/core/service/storage/rest.go and strategy.go): allocated values the client did
// not send are carried over, clusterIP/clusterIPs are kept in step, and fields that belong to
// the old type are dropped on a type change unless the user touched them.
import { jsonEqual } from '../../../api/meta.js';
import { externallyAccessible, isExternalName, needsHealthCheck, needsNodePorts } from '../../../api/service.js';
import { CLUSTER_IP_NONE } from '../../../api/types/core/v1.js';
import { isIPv6String } from '../../../util/ip.js';
import type { ServiceIPConfig, ServiceWithSpec as Service } from './types.js';

const needsClusterIP = (s: Service) => !isExternalName(s);
const same = (a: unknown, b: unknown) => jsonEqual(a ?? null, b ?? null);

export function patchAllocatedValues(svc: Service, old: Service): void {
  const n = svc.spec;
  const o = old.spec;
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!n.clusterIP && o.clusterIP) n.clusterIP = o.clusterIP;
    if (!(n.clusterIPs ?? []).length && (o.clusterIPs ?? []).length) n.clusterIPs = [...o.clusterIPs!];
  }
  if (needsNodePorts(old) && needsNodePorts(svc)) {
    const usedBy = (s: Service) => new Set((s.spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((x) => x));
    const oldUsed = usedBy(old);
    const used = new Set([...usedBy(svc)].filter((x) => oldUsed.has(x)));
    const byName = new Map<string, number>();
    for (const p of o.ports ?? []) byName.set(p.name ?? '', p.nodePort ?? 0);
    for (const p of n.ports ?? []) {
      if (!p.nodePort) {
        const prev = byName.get(p.name ?? '') ?? 0;
        if (prev && !used.has(prev)) p.nodePort = prev;
      }
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(svc) && !n.healthCheckNodePort && o.healthCheckNodePort) {
    n.healthCheckNodePort = o.healthCheckNodePort;
  }
}

/** normalizeClusterIPs for create (old undefined) and update. */
export function normalizeClusterIPs(svc: Service, old: Service | undefined): void {
  const n = svc.spec;
  if (!old) {
    if (n.clusterIP && !(n.clusterIPs ?? []).length) n.clusterIPs = [n.clusterIP];
    return;
  }
  const o = old.spec;
  if ((o.clusterIPs ?? []).length && !(n.clusterIPs ?? []).length && (o.clusterIP ?? '') === (n.clusterIP ?? '')) {
    n.clusterIPs = [...o.clusterIPs!];
  }
  if ((o.clusterIP ?? '') !== (n.clusterIP ?? '')) {
    if (o.clusterIP && !n.clusterIP && same(o.clusterIPs, n.clusterIPs)) delete n.clusterIPs;
    if (n.clusterIP && same(o.clusterIPs, n.clusterIPs)) n.clusterIPs = [n.clusterIP];
  }
}

/** PrepareForUpdate's dropTypeDependentFields. */
export function dropTypeDependentFields(svc: Service, old: Service): void {
  const n = svc.spec;
  const o = old.spec;
  if (needsClusterIP(old) && !needsClusterIP(svc)) {
    if (same(o.clusterIPs, n.clusterIPs)) {
      delete n.clusterIP;
      delete n.clusterIPs;
    }
    if (same(o.ipFamilies, n.ipFamilies)) delete n.ipFamilies;
    if (same(o.ipFamilyPolicy, n.ipFamilyPolicy)) delete n.ipFamilyPolicy;
  }
  const nodePorts = (s: Service) => (s.spec.ports ?? []).map((p) => p.nodePort ?? 0);
  if (needsNodePorts(old) && !needsNodePorts(svc) && same(nodePorts(old), nodePorts(svc))) {
    for (const p of n.ports ?? []) delete p.nodePort;
  }
  if (needsHealthCheck(old) && !needsHealthCheck(svc) && (o.healthCheckNodePort ?? 0) === (n.healthCheckNodePort ?? 0)) {
    delete n.healthCheckNodePort;
  }
  if (o.type === 'LoadBalancer' && n.type !== 'LoadBalancer') {
    if (n.allocateLoadBalancerNodePorts !== undefined && o.allocateLoadBalancerNodePorts !== undefined && n.allocateLoadBalancerNodePorts === o.allocateLoadBalancerNodePorts) {
      delete n.allocateLoadBalancerNodePorts;
    }
    if (same(o.loadBalancerClass, n.loadBalancerClass)) delete n.loadBalancerClass;
  }
  if (externallyAccessible(old) && !externallyAccessible(svc) && same(o.externalTrafficPolicy, n.externalTrafficPolicy)) {
    delete n.externalTrafficPolicy;
  }
  if (n.type !== 'LoadBalancer') svc.status = { ...(svc.status ?? {}), loadBalancer: {} };
}

/** defaultOnRead: objects written before the IP-family fields existed read as if defaulted. */
export function defaultOnRead(svc: Service, cfg: ServiceIPConfig): void {
  const n = svc.spec;
  if (!n) return;
  if (isExternalName(svc)) {
    delete n.internalTrafficPolicy;
    return;
  }
  if ((n.ipFamilies ?? []).length) return;
  normalizeClusterIPs(svc, undefined);
  const primary = cfg.families[0]!;
  // After normalization clusterIPs holds clusterIP; upstream tests clusterIPs[0] here.
  if (n.clusterIPs?.[0] === CLUSTER_IP_NONE) {
    if (Object.keys(n.selector ?? {}).length === 0) {
      n.ipFamilyPolicy = 'RequireDualStack';
      n.ipFamilies = [primary, primary === 'IPv4' ? 'IPv6' : 'IPv4'];
    } else {
      n.ipFamilyPolicy = 'SingleStack';
      n.ipFamilies = [primary];
    }
  } else if ((n.clusterIPs ?? []).length) {
    n.ipFamilies = n.clusterIPs!.map((ip) => (isIPv6String(ip, { sloppy: true }) ? 'IPv6' : 'IPv4'));
    n.ipFamilyPolicy = n.ipFamilies.length > 1 ? 'RequireDualStack' : 'SingleStack';
  }
}

/** ServiceSpec fields that are values (not pointers) with `omitempty`: Go drops them when empty. */
const OMITEMPTY_SPEC_FIELDS = [
  'ports', 'selector', 'clusterIP', 'clusterIPs', 'type', 'externalIPs', 'sessionAffinity', 'loadBalancerIP',
  'loadBalancerSourceRanges', 'externalName', 'externalTrafficPolicy', 'healthCheckNodePort', 'publishNotReadyAddresses', 'ipFamilies',
] as const;

const isEmptyValue = (v: unknown) =>
  v === '' || v === 0 || v === false || v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

/**
 * What the Go round-trip does to a stored Service: empty value fields vanish (`selector: {}` is
 * no selector, which also makes a headless Service selectorless), as do empty port names and
 * zero nodePorts.
 */
export function dropEmptyFields(svc: Service): void {
  const spec = svc.spec as Record<string, unknown>;
  for (const f of OMITEMPTY_SPEC_FIELDS) if (f in spec && isEmptyValue(spec[f])) delete spec[f];
  for (const p of svc.spec.ports ?? []) {
    if (p.name === '') delete p.name;
    if (p.nodePort === 0) delete p.nodePort;
  }
}
