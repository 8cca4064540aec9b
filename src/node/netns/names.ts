// Names of everything svcnet creates, in one place. Namespaces are `svcnet-<cluster>-<kind>`;
// interface names must fit the kernel's IFNAMSIZ (15 characters + NUL).
import { createHash } from 'node:crypto';

export const namespacePrefix = 'svcnet-';

// A cluster name has no dash: with dashes, `svcnet-a-node-x` would be both node `x` of cluster
// `a` and the underlay-less leftovers of cluster `a-node`, and cleanupStale could delete the
// wrong cluster's namespaces.
const clusterNamePattern = /^[a-z0-9]{1,32}$/;

export function validateClusterName(cluster: string): void {
  if (!clusterNamePattern.test(cluster)) {
    throw new Error(`invalid cluster name ${JSON.stringify(cluster)}: use 1-32 lowercase letters and digits (no dashes)`);
  }
}

export function underlayNamespace(cluster: string): string {
  return `${namespacePrefix}${cluster}-underlay`;
}

export function nodeNamespaceName(cluster: string, node: string): string {
  return `${namespacePrefix}${cluster}-node-${slug(node)}`;
}

export function podNamespaceName(cluster: string, pod: string): string {
  return `${namespacePrefix}${cluster}-pod-${slug(pod)}`;
}

/** True for every namespace of `cluster` (and nothing of another cluster: names have no dash). */
export function belongsToCluster(cluster: string, namespace: string): boolean {
  const rest = namespace.startsWith(`${namespacePrefix}${cluster}-`)
    ? namespace.slice(namespacePrefix.length + cluster.length + 1)
    : undefined;
  return rest !== undefined && (rest === 'underlay' || /^(node|pod)-./.test(rest));
}

/** Underlay side of node `index`'s veth pair. */
export function underlayVethName(index: number): string {
  return `veth-n${index}`;
}

/** Node side of a Pod's veth pair: `veth` + 11 hex digits, as Calico names its `cali…` ends. */
export function podHostVethName(podNamespace: string): string {
  return `veth${createHash('sha256').update(podNamespace).digest('hex').slice(0, 11)}`;
}

// A namespace name is a file name under /run/netns. Kubernetes names (DNS subdomains, UIDs) pass
// unchanged; anything else (a `namespace/name` key, upper case) is made safe and gets a hash so
// two different inputs never share a namespace.
function slug(name: string): string {
  if (/^[a-z0-9]([a-z0-9.-]{0,98}[a-z0-9])?$/.test(name)) return name;
  const safe = name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 80);
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 10);
  return safe ? `${safe}-${hash}` : hash;
}
