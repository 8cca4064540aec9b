// The desired `ip kube-proxy` / `ip6 kube-proxy` table of kube-proxy's nftables mode
// (pkg/proxy/nftables/proxier.go setupNFTables + syncProxyRules; shapes checked against
// TestOverallNFTablesRules in proxier_test.go), as a pure function of service ports, endpoints
// and node facts. Text forms are in ./render.ts, partial syncs in ./transaction.ts.
import { cidrContains, joinHostPort, parseCIDR, parseIP } from '../../util/ip.js';
import { planAll, masqueradeMark, type ProxyNodeConfig, type ProxyState, type ServicePortPlan } from '../plan.js';
import type { EndpointInfo } from '../model/endpoint.js';
import * as N from './names.js';
import { addChain, addElement, addRule, addSet, newRuleset, type NftRuleset } from './model.js';

const BASE_CHAINS = [
  { name: 'filter-prerouting-pre-dnat', type: 'filter', hook: 'prerouting', priority: -110 },
  { name: 'filter-output-pre-dnat', type: 'filter', hook: 'output', priority: -110 },
  { name: 'filter-forward', type: 'filter', hook: 'forward', priority: 0 },
  { name: 'filter-input', type: 'filter', hook: 'input', priority: 0 },
  { name: 'filter-output', type: 'filter', hook: 'output', priority: 0 },
  { name: 'nat-output', type: 'nat', hook: 'output', priority: -100 },
  { name: 'nat-postrouting', type: 'nat', hook: 'postrouting', priority: 100 },
  { name: 'nat-prerouting', type: 'nat', hook: 'prerouting', priority: -100 },
] as const;

/** [from, extra match, to]: reject is only legal in input/forward/output, hence the split. */
const JUMPS: ReadonlyArray<readonly [string, string, string]> = [
  ['filter-prerouting-pre-dnat', 'ct state new', N.FIREWALL_CHECK_CHAIN],
  ['filter-output-pre-dnat', 'ct state new', N.FIREWALL_CHECK_CHAIN],
  ['filter-forward', 'ct state new', N.SERVICE_ENDPOINTS_CHECK_CHAIN],
  ['filter-forward', 'ct state new', N.CLUSTER_IPS_CHECK_CHAIN],
  ['filter-input', 'ct state new', N.NODEPORT_ENDPOINTS_CHECK_CHAIN],
  ['filter-input', 'ct state new', N.SERVICE_ENDPOINTS_CHECK_CHAIN],
  ['filter-output', 'ct state new', N.SERVICE_ENDPOINTS_CHECK_CHAIN],
  ['filter-output', 'ct state new', N.CLUSTER_IPS_CHECK_CHAIN],
  ['nat-output', '', N.SERVICES_CHAIN],
  ['nat-postrouting', '', N.MASQUERADING_CHAIN],
  ['nat-prerouting', '', N.SERVICES_CHAIN],
];

interface Ctx {
  readonly rs: NftRuleset;
  readonly cfg: ProxyNodeConfig;
  readonly ipX: 'ip' | 'ip6';
  readonly addrType: string;
}

function setup(ctx: Ctx): void {
  const { rs, cfg, ipX, addrType } = ctx;
  const matchAll = cfg.nodePortIPs === undefined;
  addSet(rs, { kind: 'set', name: N.CLUSTER_IPS_SET, type: addrType, comment: 'Active ClusterIPs' });
  if (!matchAll) addSet(rs, { kind: 'set', name: N.NODEPORT_IPS_SET, type: addrType, comment: 'IPs that accept NodePort traffic' });
  const map3 = `${addrType} . inet_proto . inet_service : verdict`;
  const map2 = 'inet_proto . inet_service : verdict';
  addSet(rs, { kind: 'map', name: N.FIREWALL_IPS_MAP, type: map3, comment: 'destinations that are subject to LoadBalancerSourceRanges' });
  addSet(rs, { kind: 'map', name: N.NO_ENDPOINT_NODEPORTS_MAP, type: map2, comment: 'vmap to drop or reject packets to service nodeports with no endpoints' });
  addSet(rs, { kind: 'map', name: N.NO_ENDPOINT_SERVICES_MAP, type: map3, comment: 'vmap to drop or reject packets to services with no endpoints' });
  addSet(rs, { kind: 'map', name: N.SERVICE_IPS_MAP, type: map3, comment: 'ClusterIP, ExternalIP and LoadBalancer IP traffic' });
  addSet(rs, { kind: 'map', name: N.SERVICE_NODEPORTS_MAP, type: map2, comment: 'NodePort traffic' });

  for (const b of BASE_CHAINS) addChain(rs, { name: b.name, base: { type: b.type, hook: b.hook, priority: b.priority } });
  for (const name of [N.CLUSTER_IPS_CHECK_CHAIN, N.FIREWALL_CHECK_CHAIN, N.MARK_MASQ_CHAIN, N.MASQUERADING_CHAIN, N.NODEPORT_ENDPOINTS_CHECK_CHAIN]) {
    addChain(rs, { name });
  }
  addChain(rs, { name: N.REJECT_CHAIN, comment: 'helper for @no-endpoint-services / @no-endpoint-nodeports' });
  addChain(rs, { name: N.SERVICES_CHAIN });
  addChain(rs, { name: N.SERVICE_ENDPOINTS_CHECK_CHAIN });
  for (const [from, match, to] of JUMPS) addRule(rs, from, match ? `${match} jump ${to}` : `jump ${to}`);

  const mark = masqueradeMark(cfg);
  addRule(rs, N.CLUSTER_IPS_CHECK_CHAIN, `${ipX} daddr @${N.CLUSTER_IPS_SET} reject comment "Reject traffic to invalid ports of ClusterIPs"`);
  if (cfg.serviceCIDRs?.length) {
    addRule(rs, N.CLUSTER_IPS_CHECK_CHAIN, `${ipX} daddr { ${cfg.serviceCIDRs.join(' , ')} } drop comment "Drop traffic to unallocated ClusterIPs"`);
  }
  addRule(rs, N.FIREWALL_CHECK_CHAIN, `${ipX} daddr . meta l4proto . th dport vmap @${N.FIREWALL_IPS_MAP}`);
  addRule(rs, N.MARK_MASQ_CHAIN, `mark set mark or ${mark}`);
  addRule(rs, N.MASQUERADING_CHAIN, `mark and ${mark} == 0 return`);
  addRule(rs, N.MASQUERADING_CHAIN, `mark set mark xor ${mark}`);
  addRule(rs, N.MASQUERADING_CHAIN, 'masquerade fully-random');
  // NodePorts on every local address (minus localhost: nftables has no route_localnet) or on
  // the listed node IPs.
  const nodePortDst = matchAll ? `fib daddr type local ${ipX === 'ip' ? 'ip daddr != 127.0.0.0/8' : 'ip6 daddr != ::1'}` : `${ipX} daddr @${N.NODEPORT_IPS_SET}`;
  addRule(rs, N.NODEPORT_ENDPOINTS_CHECK_CHAIN, `${nodePortDst} meta l4proto . th dport vmap @${N.NO_ENDPOINT_NODEPORTS_MAP}`);
  addRule(rs, N.REJECT_CHAIN, 'reject');
  addRule(rs, N.SERVICES_CHAIN, `${ipX} daddr . meta l4proto . th dport vmap @${N.SERVICE_IPS_MAP}`);
  addRule(rs, N.SERVICES_CHAIN, `${nodePortDst} meta l4proto . th dport vmap @${N.SERVICE_NODEPORTS_MAP}`);
  addRule(rs, N.SERVICE_ENDPOINTS_CHECK_CHAIN, `${ipX} daddr . meta l4proto . th dport vmap @${N.NO_ENDPOINT_SERVICES_MAP}`);
  for (const ip of cfg.nodePortIPs ?? []) addElement(rs, N.NODEPORT_IPS_SET, { key: ip });
}

function servicePort(ctx: Ctx, plan: ServicePortPlan): void {
  const { rs, cfg, ipX } = ctx;
  const svc = plan.svc;
  const owner = `${svc.name.namespace}/${svc.name.name}`;
  const names = N.serviceChainNames(svc);
  const proto = svc.protocol.toLowerCase();
  const key = (ip: string) => `${ip} . ${proto} . ${svc.port}`;
  const chain = (name: string) => addChain(rs, { name, owner });
  // One SHA-256 per endpoint: the chain and affinity-set names share the hashed base.
  const epBase = new Map<EndpointInfo, string>();
  for (const ep of plan.endpoints.allReachableEndpoints) epBase.set(ep, N.servicePortEndpointChainNameBase(svc, ep));
  const epChainName = (ep: EndpointInfo) => `endpoint-${epBase.get(ep) ?? N.servicePortEndpointChainNameBase(svc, ep)}`;
  const affinityName = (ep: EndpointInfo) => `affinity-${epBase.get(ep) ?? N.servicePortEndpointChainNameBase(svc, ep)}`;

  for (const ep of plan.endpoints.allReachableEndpoints) chain(epChainName(ep));
  if (plan.usesClusterPolicyChain) chain(names.cluster);
  if (plan.usesLocalPolicyChain) chain(names.local);
  if (plan.usesExternalChain) chain(names.external);
  const internalChain = svc.internalPolicyLocal ? names.local : names.cluster;
  const externalPolicyChain = svc.externalPolicyLocal ? names.local : names.cluster;
  const verdictOf = (v: 'reject' | 'drop' | undefined) => (v === 'reject' ? `goto ${N.REJECT_CHAIN}` : 'drop');

  addElement(rs, N.CLUSTER_IPS_SET, { key: svc.clusterIP, owner });
  if (plan.hasInternalEndpoints) {
    addElement(rs, N.SERVICE_IPS_MAP, { key: key(svc.clusterIP), value: `goto ${internalChain}`, owner });
  } else {
    addElement(rs, N.NO_ENDPOINT_SERVICES_MAP, { key: key(svc.clusterIP), value: verdictOf(plan.internalFilterVerdict), comment: svc.nameString, owner });
  }
  const externalDst = (ip: string) => {
    if (plan.hasEndpoints) addElement(rs, N.SERVICE_IPS_MAP, { key: key(ip), value: `goto ${names.external}`, owner });
    if (!plan.hasExternalEndpoints) {
      addElement(rs, N.NO_ENDPOINT_SERVICES_MAP, { key: key(ip), value: verdictOf(plan.externalFilterVerdict), comment: svc.nameString, owner });
    }
  };
  for (const ip of svc.externalIPs) externalDst(ip);
  if (plan.usesFirewallChain) {
    chain(names.firewall);
    const sources = [...svc.loadBalancerSourceRanges];
    // VIP-like LBs: a node reaching its own LB IP loops back with the VIP as source.
    if (cfg.nodeIP && svc.loadBalancerSourceRanges.some((c) => cidrHas(c, cfg.nodeIP!))) sources.push(...svc.loadBalancerVIPs);
    addRule(rs, names.firewall, `${ipX} saddr != { ${sources.join(' , ')} } drop`);
  }
  for (const ip of svc.loadBalancerVIPs) {
    if (plan.hasEndpoints) addElement(rs, N.SERVICE_IPS_MAP, { key: key(ip), value: `goto ${names.external}`, owner });
    if (plan.usesFirewallChain) addElement(rs, N.FIREWALL_IPS_MAP, { key: key(ip), value: `goto ${names.firewall}`, owner });
  }
  if (!plan.hasExternalEndpoints) {
    for (const ip of svc.loadBalancerVIPs) {
      addElement(rs, N.NO_ENDPOINT_SERVICES_MAP, { key: key(ip), value: verdictOf(plan.externalFilterVerdict), comment: svc.nameString, owner });
    }
  }
  if (svc.nodePort !== 0) {
    const npKey = `${proto} . ${svc.nodePort}`;
    // NodePorts are not subject to loadBalancerSourceRanges ("for better or for worse").
    if (plan.hasEndpoints) addElement(rs, N.SERVICE_NODEPORTS_MAP, { key: npKey, value: `goto ${names.external}`, owner });
    if (!plan.hasExternalEndpoints) {
      addElement(rs, N.NO_ENDPOINT_NODEPORTS_MAP, { key: npKey, value: verdictOf(plan.externalFilterVerdict), comment: svc.nameString, owner });
    }
  }

  if (plan.hasInternalEndpoints) {
    // Off-cluster clients reaching a ClusterIP (a static route to the service CIDR) may bounce
    // to another node, so they are masqueraded.
    if (cfg.masqueradeAll) addRule(rs, internalChain, `${ipX} daddr ${svc.clusterIP} jump ${N.MARK_MASQ_CHAIN}`);
    else if (cfg.podCIDR) addRule(rs, internalChain, `${ipX} daddr ${svc.clusterIP} ${ipX} saddr != ${cfg.podCIDR} jump ${N.MARK_MASQ_CHAIN}`);
  }
  if (plan.usesExternalChain) {
    if (!svc.externalPolicyLocal) {
      addRule(rs, names.external, `jump ${N.MARK_MASQ_CHAIN}`);
    } else if (plan.usesClusterPolicyChain) {
      // Pods and the host reaching an external destination act as if they went out to the LB
      // and came back: Cluster policy, so they work on nodes without local endpoints.
      if (cfg.podCIDR) addRule(rs, names.external, `${ipX} saddr ${cfg.podCIDR} goto ${names.cluster} comment "short-circuit pod traffic"`);
      addRule(rs, names.external, `fib saddr type local jump ${N.MARK_MASQ_CHAIN} comment "masquerade local traffic"`);
      addRule(rs, names.external, `fib saddr type local goto ${names.cluster} comment "short-circuit local traffic"`);
    }
    if (plan.hasExternalEndpoints) addRule(rs, names.external, `goto ${externalPolicyChain}`);
  }

  const sticky = svc.stickyMaxAgeSeconds > 0;
  if (sticky) {
    for (const ep of plan.endpoints.allReachableEndpoints) {
      addSet(rs, {
        kind: 'set',
        name: affinityName(ep),
        type: ctx.addrType,
        flags: ['dynamic', 'timeout'],
        timeoutSeconds: svc.stickyMaxAgeSeconds,
        owner,
      });
    }
  }
  if (plan.usesClusterPolicyChain) serviceToEndpoints(ctx, plan, names.cluster, plan.clusterEndpoints, epChainName, affinityName);
  if (plan.usesLocalPolicyChain) serviceToEndpoints(ctx, plan, names.local, plan.localEndpoints, epChainName, affinityName);
  for (const ep of plan.endpoints.allReachableEndpoints) {
    const epChain = epChainName(ep);
    // Hairpin: an endpoint reaching itself through the Service must be SNATed or it answers itself directly.
    addRule(rs, epChain, `${ipX} saddr ${ep.ip} jump ${N.MARK_MASQ_CHAIN}`);
    if (sticky) addRule(rs, epChain, `update @${affinityName(ep)} { ${ipX} saddr }`);
    addRule(rs, epChain, `meta l4proto ${proto} dnat to ${joinHostPort(ep.ip, ep.port)}`);
  }
}

type NameOf = (ep: EndpointInfo) => string;

function serviceToEndpoints(ctx: Ctx, plan: ServicePortPlan, chain: string, endpoints: readonly EndpointInfo[], epChain: NameOf, affinity: NameOf): void {
  const svc = plan.svc;
  if (svc.stickyMaxAgeSeconds > 0) {
    for (const ep of endpoints) {
      addRule(ctx.rs, chain, `${ctx.ipX} saddr @${affinity(ep)} goto ${epChain(ep)}`);
    }
  }
  const vmap = endpoints.map((ep, i) => `${i} : goto ${epChain(ep)}`).join(' , ');
  addRule(ctx.rs, chain, `numgen random mod ${endpoints.length} vmap { ${vmap} }`);
}

function cidrHas(cidr: string, ip: string): boolean {
  const c = parseCIDR(cidr);
  const a = parseIP(ip);
  return c !== undefined && a !== undefined && cidrContains(c, a);
}

/** The whole desired table for one family. */
export function buildNftRuleset(state: ProxyState, cfg: ProxyNodeConfig): NftRuleset {
  const ipX = cfg.family === 'IPv4' ? 'ip' : 'ip6';
  const ctx: Ctx = { rs: newRuleset(ipX, N.KUBE_PROXY_TABLE, 'rules for kube-proxy'), cfg, ipX, addrType: cfg.family === 'IPv4' ? 'ipv4_addr' : 'ipv6_addr' };
  setup(ctx);
  for (const plan of planAll(state, cfg)) servicePort(ctx, plan);
  return ctx.rs;
}
