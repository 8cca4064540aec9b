// Finding the Pod a streaming request is about, with kube-apiserver's checks and messages
// (pkg/registry/core/pod/strategy.go: validateContainer, streamLocation, ResourceLocation).
import { apiErrors } from '../../api/errors.js';
import type { KubeObject } from '../../api/meta.js';
import type { Registry } from '../registry/registry.js';

interface ContainerLike {
  name: string;
  ports?: { containerPort?: number; name?: string }[];
}

export interface PodLike extends KubeObject {
  spec?: {
    nodeName?: string;
    containers?: ContainerLike[];
    initContainers?: ContainerLike[];
    ephemeralContainers?: ContainerLike[];
  };
  status?: { phase?: string; podIP?: string; podIPs?: { ip: string }[] };
}

export async function getPod(registry: Registry, namespace: string, name: string): Promise<PodLike> {
  return (await registry.store('', 'pods')!.get(namespace, name)) as PodLike;
}

/** All container names in VisitContainers order: init, regular, ephemeral. */
function allContainers(pod: PodLike): string[] {
  const s = pod.spec ?? {};
  return [...(s.initContainers ?? []), ...(s.containers ?? []), ...(s.ephemeralContainers ?? [])].map((c) => c.name);
}

/** The container a request addresses; the only one if none is named. */
export function validateContainer(pod: PodLike, container: string): string {
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
export function assignedNode(pod: PodLike): string {
  const node = pod.spec?.nodeName;
  if (!node) throw apiErrors.badRequest(`pod ${pod.metadata.name ?? ''} does not have a host assigned`);
  return node;
}

export function podIP(pod: PodLike): string {
  return pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP ?? '';
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
