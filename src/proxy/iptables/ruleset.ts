// iptables-restore input for kube-proxy's iptables mode (pkg/proxy/iptables/proxier.go
// syncProxyRules; shapes from proxier_test.go TestOverallIPTablesRulesWithMultipleServices),
// a pure function of service ports, endpoints and node facts. Partial syncs (KEP-3453) write
// the top-level chains in full and per-service chains only for Services that changed.
import { planAll, masqueradeMark, type ProxyNodeConfig, type ProxyState, type ServicePortPlan } from '../plan.js';
import type { EndpointInfo } from '../model/endpoint.js';
import { cidrContains, parseCIDR, parseIP } from '../../util/ip.js';
import * as N from './names.js';

/** largeClusterEndpointsThreshold: above it, per-endpoint comments are dropped (40%+ smaller). */
export const LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000;

export interface IptablesRenderOptions {
  /** Services ("ns/name") whose chains to write; undefined means all (a full sync). */
  readonly changedServices?: ReadonlySet<string>;
  /** Chains now in the nat table (iptables-save -t nat); stale service chains get deleted. */
  readonly existingNatChains?: readonly string[];
}

export interface IptablesRestore {
  /** `iptables-restore --noflush` input with *filter and *nat. */
  readonly text: string;
  /** All per-service nat chains of the desired state (written or not). */
  readonly activeNatChains: ReadonlySet<string>;
}

/** "%0.10f" of 1/n, as upstream caches it for the statistic match. */
export function probability(n: number): string {
  return (1 / n).toFixed(10);
}

/** Comment args; kube-proxy quotes the ones with spaces itself (svc names have none). */
const comment = (text: string) => (text.includes(' ') ? `-m comment --comment "${text}"` : `-m comment --comment ${text}`);

class Tables {
  readonly filterChains = [N.KUBE_EXTERNAL_SERVICES, N.KUBE_FIREWALL, N.KUBE_FORWARD, N.KUBE_NODEPORTS, N.KUBE_PROXY_FIREWALL, N.KUBE_SERVICES];
  readonly filterRules: string[] = [];
  readonly natChains: string[] = [N.KUBE_MARK_MASQ, N.KUBE_NODEPORTS, N.KUBE_POSTROUTING, N.KUBE_SERVICES];
  readonly natRules: string[] = [];
  /** KUBE-SERVICES' nodeports rule must stay last, so it is held back. */
  readonly natServices: string[] = [];
  /** nat KUBE-NODEPORTS, a top-level chain written on every sync. */
  readonly natNodePorts: string[] = [];
  readonly active = new Set<string>();
}

function inCIDR(cidr: string, ip: string | undefined): boolean {
  const c = parseCIDR(cidr);
  const a = ip === undefined ? undefined : parseIP(ip);
  return c !== undefined && a !== undefined && cidrContains(c, a);
}

function servicePort(t: Tables, cfg: ProxyNodeConfig, plan: ServicePortPlan, write: boolean, large: boolean): void {
  const svc = plan.svc;
  const s = svc.nameString;
  const ch = N.serviceChains(svc);
  const proto = svc.protocol.toLowerCase();
  const pm = `-m ${proto} -p ${proto}`;
  const dst = (ip: string) => `${pm} -d ${ip} --dport ${svc.port}`;
  const internalChain = svc.internalPolicyLocal ? ch.svl : ch.svc;
  const externalPolicyChain = svc.externalPolicyLocal ? ch.svl : ch.svc;
  const natChain = (name: string) => {
    t.active.add(name);
    if (write) t.natChains.push(name);
  };
  const nat = (rule: string) => {
    if (write) t.natRules.push(rule);
  };
  const usesFW = plan.hasEndpoints && plan.usesFirewallChain;
  const lbTarget = usesFW ? ch.fw : ch.ext;

  for (const ep of plan.endpoints.allReachableEndpoints) natChain(N.endpointChain(svc, ep));
  if (plan.usesClusterPolicyChain) natChain(ch.svc);
  if (plan.usesLocalPolicyChain) natChain(ch.svl);
  if (plan.usesExternalChain) natChain(ch.ext);
  if (usesFW) natChain(ch.fw);

  // ClusterIP.
  if (plan.hasInternalEndpoints) {
    t.natServices.push(`-A ${N.KUBE_SERVICES} ${comment(`${s} cluster IP`)} ${dst(svc.clusterIP)} -j ${internalChain}`);
  } else {
    const why = plan.internalFilterVerdict === 'reject' ? 'has no endpoints' : 'has no local endpoints';
    t.filterRules.push(`-A ${N.KUBE_SERVICES} ${comment(`${s} ${why}`)} ${dst(svc.clusterIP)} -j ${plan.internalFilterVerdict === 'reject' ? 'REJECT' : 'DROP'}`);
  }
  const externalFilter = (match: string) => {
    if (plan.hasExternalEndpoints) return;
    const why = plan.externalFilterVerdict === 'reject' ? 'has no endpoints' : 'has no local endpoints';
    t.filterRules.push(`-A ${N.KUBE_EXTERNAL_SERVICES} ${comment(`${s} ${why}`)} ${match} -j ${plan.externalFilterVerdict === 'reject' ? 'REJECT' : 'DROP'}`);
  };
  for (const ip of svc.externalIPs) {
    if (plan.hasEndpoints) t.natServices.push(`-A ${N.KUBE_SERVICES} ${comment(`${s} external IP`)} ${dst(ip)} -j ${ch.ext}`);
    externalFilter(dst(ip));
  }
  for (const ip of svc.loadBalancerVIPs) {
    if (plan.hasEndpoints) t.natServices.push(`-A ${N.KUBE_SERVICES} ${comment(`${s} loadbalancer IP`)} ${dst(ip)} -j ${lbTarget}`);
    if (usesFW) t.filterRules.push(`-A ${N.KUBE_PROXY_FIREWALL} ${comment(`${s} traffic not accepted by ${ch.fw}`)} ${dst(ip)} -j DROP`);
  }
  for (const ip of svc.loadBalancerVIPs) externalFilter(dst(ip));
  if (svc.nodePort !== 0) {
    if (plan.hasEndpoints) t.natNodePorts.push(`-A ${N.KUBE_NODEPORTS} ${comment(s)} ${pm} --dport ${svc.nodePort} -j ${ch.ext}`);
    if (cfg.nodePortIPs === undefined) externalFilter(`-m addrtype --dst-type LOCAL ${pm} --dport ${svc.nodePort}`);
    else for (const ip of cfg.nodePortIPs) externalFilter(`${pm} -d ${ip} --dport ${svc.nodePort}`);
  }
  if (svc.healthCheckNodePort !== 0) {
    t.filterRules.push(`-A ${N.KUBE_NODEPORTS} ${comment(`${s} health check node port`)} -m tcp -p tcp --dport ${svc.healthCheckNodePort} -j ACCEPT`);
  }

  if (plan.hasInternalEndpoints) {
    if (cfg.masqueradeAll) nat(`-A ${internalChain} ${comment(`${s} cluster IP`)} ${dst(svc.clusterIP)} -j ${N.KUBE_MARK_MASQ}`);
    else if (cfg.podCIDR) nat(`-A ${internalChain} ${comment(`${s} cluster IP`)} ${dst(svc.clusterIP)} ! -s ${cfg.podCIDR} -j ${N.KUBE_MARK_MASQ}`);
  }
  if (plan.usesExternalChain) {
    if (!svc.externalPolicyLocal) {
      nat(`-A ${ch.ext} ${comment(`masquerade traffic for ${s} external destinations`)} -j ${N.KUBE_MARK_MASQ}`);
    } else {
      // Pods and the host using an external destination go through Cluster policy, as if they
      // had gone out to the load balancer and come back.
      if (cfg.podCIDR) nat(`-A ${ch.ext} ${comment(`pod traffic for ${s} external destinations`)} -s ${cfg.podCIDR} -j ${ch.svc}`);
      nat(`-A ${ch.ext} ${comment(`masquerade LOCAL traffic for ${s} external destinations`)} -m addrtype --src-type LOCAL -j ${N.KUBE_MARK_MASQ}`);
      nat(`-A ${ch.ext} ${comment(`route LOCAL traffic for ${s} external destinations`)} -m addrtype --src-type LOCAL -j ${ch.svc}`);
    }
    if (plan.hasExternalEndpoints) nat(`-A ${ch.ext} -j ${externalPolicyChain}`);
  }
  if (usesFW) {
    for (const cidr of svc.loadBalancerSourceRanges) nat(`-A ${ch.fw} ${comment(`${s} loadbalancer IP`)} -s ${cidr} -j ${ch.ext}`);
    // VIP-like LBs: a node reaching its own LB IP loops back with the VIP as source.
    if (svc.loadBalancerSourceRanges.some((c) => inCIDR(c, cfg.nodeIP))) {
      for (const ip of svc.loadBalancerVIPs) nat(`-A ${ch.fw} ${comment(`${s} loadbalancer IP`)} -s ${ip} -j ${ch.ext}`);
    }
    nat(`-A ${ch.fw} ${comment(`other traffic to ${s} will be dropped by KUBE-PROXY-FIREWALL`)}`);
  }

  if (!write) return;
  if (plan.usesClusterPolicyChain) serviceToEndpoints(t, plan, ch.svc, plan.clusterEndpoints, large);
  if (plan.usesLocalPolicyChain) serviceToEndpoints(t, plan, ch.svl, plan.localEndpoints, large);
  for (const ep of plan.endpoints.allReachableEndpoints) {
    const sep = N.endpointChain(svc, ep);
    const c = large ? '' : `${comment(s)} `;
    // Hairpin: an endpoint reaching itself through its Service must be SNATed.
    t.natRules.push(`-A ${sep} ${c}-s ${ep.ip} -j ${N.KUBE_MARK_MASQ}`);
    const recent = svc.stickyMaxAgeSeconds > 0 ? `-m recent --name ${sep} --set ` : '';
    t.natRules.push(`-A ${sep} ${c}${recent}${pm} -j DNAT --to-destination ${ep.endpoint}`);
  }
}

function serviceToEndpoints(t: Tables, plan: ServicePortPlan, chain: string, endpoints: readonly EndpointInfo[], large: boolean): void {
  const svc = plan.svc;
  const c = (ep: EndpointInfo) => (large ? '' : `${comment(`${svc.nameString} -> ${ep.endpoint}`)} `);
  if (svc.stickyMaxAgeSeconds > 0) {
    for (const ep of endpoints) {
      const sep = N.endpointChain(svc, ep);
      t.natRules.push(`-A ${chain} ${c(ep)}-m recent --name ${sep} --rcheck --seconds ${svc.stickyMaxAgeSeconds} --reap -j ${sep}`);
    }
  }
  endpoints.forEach((ep, i) => {
    const sep = N.endpointChain(svc, ep);
    const stat = i < endpoints.length - 1 ? `-m statistic --mode random --probability ${probability(endpoints.length - i)} ` : '';
    t.natRules.push(`-A ${chain} ${c(ep)}${stat}-j ${sep}`);
  });
}

export function renderIptablesRestore(state: ProxyState, cfg: ProxyNodeConfig, opts: IptablesRenderOptions = {}): IptablesRestore {
  const t = new Tables();
  const plans = planAll(state, cfg);
  let total = 0;
  for (const p of plans) total += p.endpoints.allReachableEndpoints.length;
  const large = total > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;
  for (const plan of plans) {
    const owner = `${plan.svc.name.namespace}/${plan.svc.name.name}`;
    servicePort(t, cfg, plan, opts.changedServices === undefined || opts.changedServices.has(owner), large);
  }
  const mark = masqueradeMark(cfg);
  const v6 = cfg.family === 'IPv6';
  const localhostNodePorts = !v6 && (cfg.localhostNodePorts ?? true);
  const lastRule = comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain');
  if (cfg.nodePortIPs === undefined) {
    const noLocalhost = v6 ? ' ! -d ::1/128' : localhostNodePorts ? '' : ' ! -d 127.0.0.0/8';
    t.natServices.push(`-A ${N.KUBE_SERVICES} ${lastRule} -m addrtype --dst-type LOCAL${noLocalhost} -j ${N.KUBE_NODEPORTS}`);
  } else {
    for (const ip of cfg.nodePortIPs) t.natServices.push(`-A ${N.KUBE_SERVICES} ${lastRule} -d ${ip} -j ${N.KUBE_NODEPORTS}`);
  }
  if (localhostNodePorts && cfg.nodePortIPs === undefined) {
    // CVE-2020-8558: with route_localnet=1, drop martian packets to 127/8 from elsewhere.
    t.filterRules.push(`-A ${N.KUBE_FIREWALL} ${comment('block incoming localnet connections')} -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`);
  }
  t.filterRules.push(
    `-A ${N.KUBE_FORWARD} -m conntrack --ctstate INVALID -j DROP`,
    `-A ${N.KUBE_FORWARD} ${comment('kubernetes forwarding rules')} -m mark --mark ${mark}/${mark} -j ACCEPT`,
    `-A ${N.KUBE_FORWARD} ${comment('kubernetes forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
  );
  const fixedNat = [
    `-A ${N.KUBE_MARK_MASQ} -j MARK --or-mark ${mark}`,
    `-A ${N.KUBE_POSTROUTING} -m mark ! --mark ${mark}/${mark} -j RETURN`,
    `-A ${N.KUBE_POSTROUTING} -j MARK --xor-mark ${mark}`,
    `-A ${N.KUBE_POSTROUTING} ${comment('kubernetes service traffic requiring SNAT')} -j MASQUERADE`,
  ];
  const stale = (opts.existingNatChains ?? []).filter((c) => N.isServiceChain(c) && !t.active.has(c)).sort();
  // Built with concat/loops: spreading 100k+ rules into push() overflows the call stack.
  const out = ['*filter'].concat(
    t.filterChains.map((c) => `:${c} - [0:0]`),
    t.filterRules,
    ['COMMIT', '*nat'],
    t.natChains.concat(stale).map((c) => `:${c} - [0:0]`),
    t.natServices,
    fixedNat,
    t.natNodePorts,
    t.natRules,
    stale.map((c) => `-X ${c}`),
    ['COMMIT'],
  );
  return { text: `${out.join('\n')}\n`, activeNatChains: t.active };
}
