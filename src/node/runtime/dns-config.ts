// A Pod's /etc/resolv.conf and /etc/hosts, as the kubelet composes them (pkg/kubelet/network/dns
// and kubelet_pods.go managedHostsFileContent) and containerd writes resolv.conf: search, then
// nameservers, then options. Pure functions of the Pod and the node's own resolv.conf.
import type { Pod, PodDNSConfigOption } from '../../api/types/core/v1.js';

export interface DNSConfig {
  readonly servers: string[];
  readonly searches: string[];
  readonly options: string[];
}

export interface ClusterDNS {
  /** --cluster-dns; empty means none configured (ClusterFirst then falls back to Default). */
  readonly clusterDNS: readonly string[];
  /** --cluster-domain. */
  readonly clusterDomain: string;
}

// validation.MaxDNSSearchPaths / MaxDNSSearchListChars (since 1.28) and MaxDNSNameservers.
const maxSearchPaths = 32;
const maxSearchChars = 2048;
const maxNameservers = 3;
const defaultDNSOptions = ['ndots:5'];

/** parseResolvConf: nameserver, search/domain and options lines of the node's resolv.conf. */
export function parseResolvConf(text: string): DNSConfig {
  const servers: string[] = [];
  let searches: string[] = [];
  const options: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const fields = line.split(/\s+/).filter(Boolean);
    if (fields.length === 0) continue;
    if (fields[0] === 'nameserver' && fields[1]) servers.push(fields[1]);
    // The last search or domain line wins, as the resolver reads it.
    if (fields[0] === 'domain' || fields[0] === 'search') searches = fields.slice(1).filter((s) => s !== '.').map((s) => s.replace(/\.$/, ''));
    if (fields[0] === 'options') options.push(...fields.slice(1));
  }
  return { servers, searches, options };
}

type Policy = 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';

/** getPodDNSType: which config a Pod gets, with hostNetwork's ClusterFirst meaning Default. */
function effectivePolicy(pod: Pod, cluster: ClusterDNS): 'cluster' | 'host' | 'none' {
  const policy: Policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'None') return 'none';
  if (policy === 'Default') return 'host';
  if (policy === 'ClusterFirst' && pod.spec?.hostNetwork) return 'host';
  return cluster.clusterDNS.length > 0 ? 'cluster' : 'host';
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** mergeDNSOptions: the Pod's options replace same-named ones of the base list. */
function mergeOptions(base: readonly string[], pod: readonly PodDNSConfigOption[]): string[] {
  const byName = new Map<string, string>();
  for (const o of base) byName.set(o.split(':')[0]!, o);
  for (const o of pod) {
    const name = o.name ?? '';
    byName.set(name, o.value !== undefined && o.value !== '' ? `${name}:${o.value}` : name);
  }
  return [...byName.values()];
}

/** The trimmed search list: at most 32 domains and 2048 characters. */
function trimSearches(searches: readonly string[]): string[] {
  const out: string[] = [];
  let chars = 0;
  for (const s of searches.slice(0, maxSearchPaths)) {
    if (chars + s.length + (out.length > 0 ? 1 : 0) > maxSearchChars) break;
    chars += s.length + (out.length > 0 ? 1 : 0);
    out.push(s);
  }
  return out;
}

/** GetPodDNS: the Pod's resolver configuration. */
export function podDNSConfig(pod: Pod, cluster: ClusterDNS, host: DNSConfig): DNSConfig {
  const policy = effectivePolicy(pod, cluster);
  let cfg: DNSConfig;
  if (policy === 'none') {
    cfg = { servers: [], searches: [], options: [] };
  } else if (policy === 'host') {
    cfg = { servers: [...host.servers], searches: [...host.searches], options: [...host.options] };
  } else {
    const ns = pod.metadata.namespace ?? 'default';
    const d = cluster.clusterDomain;
    cfg = {
      servers: [...cluster.clusterDNS],
      searches: [`${ns}.svc.${d}`, `svc.${d}`, d, ...host.searches],
      options: [...defaultDNSOptions],
    };
  }
  const extra = pod.spec?.dnsConfig;
  if (extra) {
    cfg = {
      servers: unique([...cfg.servers, ...(extra.nameservers ?? [])]),
      searches: unique([...cfg.searches, ...(extra.searches ?? [])]),
      options: mergeOptions(cfg.options, extra.options ?? []),
    };
  }
  return { servers: cfg.servers.slice(0, maxNameservers), searches: trimSearches(unique(cfg.searches)), options: cfg.options };
}

/** The file containerd writes from a sandbox's DNS config. */
export function formatResolvConf(cfg: DNSConfig): string {
  let out = '';
  if (cfg.searches.length > 0) out += `search ${cfg.searches.join(' ')}\n`;
  for (const s of cfg.servers) out += `nameserver ${s}\n`;
  if (cfg.options.length > 0) out += `options ${cfg.options.join(' ')}\n`;
  return out;
}

/** GeneratePodHostNameAndDomain: spec.hostname or the Pod name (max 63), and the subdomain FQDN part. */
export function podHostnameAndDomain(pod: Pod, clusterDomain: string): { hostname: string; domain: string } {
  let hostname = pod.spec?.hostname || pod.metadata.name || '';
  if (hostname.length > 63) hostname = hostname.slice(0, 63).replace(/[-.]+$/, '');
  const domain = pod.spec?.subdomain ? `${pod.spec?.subdomain}.${pod.metadata.namespace ?? 'default'}.svc.${clusterDomain}` : '';
  return { hostname, domain };
}

/** The hostname a Pod's UTS namespace gets (the FQDN with setHostnameAsFQDN). */
export function podUtsHostname(pod: Pod, clusterDomain: string): string {
  const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
  return pod.spec?.setHostnameAsFQDN && domain ? `${hostname}.${domain}` : hostname;
}

function hostAliasLines(pod: Pod): string {
  const aliases = pod.spec?.hostAliases ?? [];
  if (aliases.length === 0) return '';
  let out = '\n# Entries added by HostAliases.\n';
  for (const a of aliases) out += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  return out;
}

/** managedHostsFileContent: the kubelet-managed /etc/hosts of a Pod with its own network. */
export function managedHostsFile(pod: Pod, podIPs: readonly string[], clusterDomain: string): string {
  const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
  let out = '# Kubernetes-managed hosts file.\n';
  out += '127.0.0.1\tlocalhost\n';
  out += '::1\tlocalhost ip6-localhost ip6-loopback\n';
  out += 'fe00::0\tip6-localnet\n';
  out += 'fe00::0\tip6-mcastprefix\n';
  out += 'fe00::1\tip6-allnodes\n';
  out += 'fe00::2\tip6-allrouters\n';
  for (const ip of podIPs) out += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  return out + hostAliasLines(pod);
}

/** nodeHostsFileContent: a hostNetwork Pod's /etc/hosts is the node's, plus its host aliases. */
export function hostNetworkHostsFile(pod: Pod, nodeHosts: string): string {
  return '# Kubernetes-managed hosts file (host network).\n' + nodeHosts + hostAliasLines(pod);
}
