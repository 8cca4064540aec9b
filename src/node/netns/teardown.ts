// Teardown shared by ClusterNetwork's removals, destroy and cleanupStale.
import type { IpTool } from './ip-command.js';
import { belongsToCluster, namespacePrefix, underlayNamespace } from './names.js';
import { killProcessesIn } from './processes.js';

/** Deletes every namespace of `cluster` the kernel knows; returns their names. */
export async function removeClusterNamespaces(ip: IpTool, cluster: string, killProcesses: boolean): Promise<string[]> {
  const names = (await ip.listNamespaces()).filter((n) => belongsToCluster(cluster, n));
  await deleteNamespaces(ip, orderForTeardown(cluster, names), killProcesses);
  return names;
}

// Pods first, then nodes, then the underlay: the reverse of creation.
export function orderForTeardown(cluster: string, names: readonly string[]): string[] {
  const nodePrefix = `${namespacePrefix}${cluster}-node-`;
  const rank = (n: string): number => (n === underlayNamespace(cluster) ? 2 : n.startsWith(nodePrefix) ? 1 : 0);
  return [...names].sort((a, b) => rank(a) - rank(b));
}

export async function deleteNamespaces(ip: IpTool, names: readonly string[], killProcesses: boolean): Promise<void> {
  if (names.length === 0) return;
  if (killProcesses) await killProcessesIn(names);
  await ip.deleteNamespaces(names);
}
