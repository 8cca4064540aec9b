// hostPort: DNAT in the node's namespace (what the CNI portmap plugin does), one nftables table
// `ip svcnet-hostports` replaced atomically whenever the node's Pods change. Traffic to the
// node's addresses (or the given hostIP) on the host port goes to podIP:containerPort; loopback
// is left alone (it would need route_localnet). Priority -101 runs just before dstnat (-100), where
// the proxy's Service DNAT lives.
import type { Pod } from '../../api/types/core/v1.js';

export interface HostPortMapping {
  readonly protocol: 'tcp' | 'udp';
  readonly hostPort: number;
  readonly hostIP?: string;
  readonly podIP: string;
  readonly containerPort: number;
}

export const hostPortTable = 'svcnet-hostports';

/** The mappings of one Pod with an IP (hostNetwork Pods bind host ports themselves). */
export function hostPortMappings(pod: Pod, podIP: string): HostPortMapping[] {
  if (pod.spec?.hostNetwork) return [];
  const out: HostPortMapping[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      const protocol = (p.protocol ?? 'TCP').toLowerCase();
      if (protocol !== 'tcp' && protocol !== 'udp') continue;
      out.push({ protocol, hostPort: p.hostPort, hostIP: p.hostIP && p.hostIP !== '0.0.0.0' ? p.hostIP : undefined, podIP, containerPort: p.containerPort });
    }
  }
  return out;
}

/** An `nft -f` script that replaces the table with these mappings (or removes it when none). */
export function hostPortRuleset(mappings: readonly HostPortMapping[]): string {
  const lines = [`add table ip ${hostPortTable}`, `delete table ip ${hostPortTable}`];
  if (mappings.length === 0) return lines.join('\n') + '\n';
  const rules = mappings.map((m) => {
    const dst = m.hostIP ? `ip daddr ${m.hostIP}` : 'fib daddr type local ip daddr != 127.0.0.0/8';
    return `    ${dst} ${m.protocol} dport ${m.hostPort} dnat to ${m.podIP}:${m.containerPort}`;
  });
  lines.push(
    `table ip ${hostPortTable} {`,
    '  chain prerouting {',
    '    type nat hook prerouting priority -101; policy accept;',
    ...rules,
    '  }',
    '  chain output {',
    '    type nat hook output priority -101; policy accept;',
    ...rules,
    '  }',
    '}',
  );
  return lines.join('\n') + '\n';
}
