// Finding the Pod a streaming request is about, with kube-apiserver's checks and messages
// (pkg/registry/core/pod/strategy.go: validateContainer, streamLocation, ResourceLocation).
import { apiErrors } from '../../api/errors.js';
import { podIPs } from '../../api/pod.js';
import type { Pod } from '../../api/types/core/v1.js';
import type { Registry } from '../registry/registry.js';

export async function getPod(registry: Registry, namespace: string, name: string): Promise<Pod> {
  return (await registry.store('', 'pods')!.get(namespace, name)) as unknown as Pod;
}

/** All container names in VisitContainers order: init, regular, ephemeral. */
function allContainers(pod: Pod): string[] {
  const s: Partial<NonNullable<Pod['spec']>> = pod.spec ?? {};
  return [...(s.initContainers ?? []), ...(s.containers ?? []), ...(s.ephemeralContainers ?? [])].map((c) => c.name);
}

/** The container a request addresses; the only one if none is named. */
export function validateContainer(pod: Pod, container: string): string {
  const name = pod.metadata.name ?? '';
  if (!container) {
    const containers = pod.spec?.containers ?? [];
    if (containers.length === 1) return containers[0]!.name;
    if (containers.length === 0) throw apiErrors.badRequest(`a container name must be specified for pod ${name}`);
    // Go's %s of a []string: [a b c].
    throw apiErrors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${allContainers(pod).join(' ')}]`);
  }
  if (!allContainers(pod).includes(container)) throw apiErrors.badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

/** The node a Pod is bound to (exec, attach, port-forward refuse unscheduled Pods). */
export function assignedNode(pod: Pod): string {
  const node = pod.spec?.nodeName;
  if (!node) throw apiErrors.badRequest(`pod ${pod.metadata.name ?? ''} does not have a host assigned`);
  return node;
}

/** The primary Pod IP (podIPs[0], else the older podIP), or "" before one is assigned. */
export function podIP(pod: Pod): string {
  return podIPs(pod)[0] ?? '';
}

/** `[scheme:]name[:port]`, as utilnet.SplitSchemeNamePort accepts it. */
export function splitSchemeNamePort(id: string): { scheme: string; name: string; port: string } | undefined {
  const parts = id.split(':');
  let scheme = '';
  let name = '';
  let port = '';
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) [name, port] = parts as [string, string];
  else if (parts.length === 3) [scheme, name, port] = parts as [string, string, string];
  else return undefined;
  if (!name || !['', 'http', 'https'].includes(scheme)) return undefined;
  return { scheme, name, port };
}
