// The endpoints a Service should have, from its Pods (k8s.io/endpointslice utils.go podToEndpoint,
// getEndpointPorts, getEndpointAddresses and the desired-state half of reconcileByAddressType).
import { canonicalIP, parseIPSloppy as parseIP } from '../../util/ip.js';
import { isPodReady, podIPs } from '../../api/pod.js';
import { isClusterIPNone } from '../../api/service.js';
import type { Node, Pod, Service } from '../../api/types/core/index.js';
import { LABEL_TOPOLOGY_ZONE } from '../../api/types/core/index.js';
import type { AddressType, Endpoint, EndpointPort } from '../../api/types/discovery/index.js';
import { findPort, shouldPodBeInEndpoints, shouldSetHostname } from '../shared/index.js';
import { EndpointSet, portMapKey } from './endpoint-set.js';

/** Looks a Node up by name (an informer cache in the controller, a Map in tests). */
export type NodeGetter = (name: string) => Node | undefined;

/**
 * getEndpointPorts: one port per Service port the Pod resolves, named after the Service port
 * ("" when unnamed). A headless Service without ports gets an empty list.
 */
export function endpointPortsFor(svc: Service, pod: Pod): EndpointPort[] {
  const ports = svc.spec?.ports ?? [];
  if (ports.length === 0 && isClusterIPNone(svc)) return [];
  const out: EndpointPort[] = [];
  for (const sp of ports) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointPort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
    if (sp.appProtocol !== undefined) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out;
}

/** getEndpointAddresses: the Pod's IPs of this family, re-stringified canonically. */
export function endpointAddressesFor(pod: Pod, addressType: AddressType): string[] {
  const out: string[] = [];
  for (const ip of podIPs(pod)) {
    const parsed = parseIP(ip);
    if (parsed && parsed.family === addressType) out.push(canonicalIP(ip, { sloppy: true })!);
  }
  return out;
}

/** podToEndpoint. `ready` is never true for a terminating Pod unless publishNotReadyAddresses. */
export function podToEndpoint(pod: Pod, node: Node | undefined, svc: Service, addressType: AddressType): Endpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = !!svc.spec?.publishNotReadyAddresses || (serving && !terminating);
  const ep: Endpoint = {
    addresses: endpointAddressesFor(pod, addressType),
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.[LABEL_TOPOLOGY_ZONE];
  if (zone) ep.zone = zone;
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec!.hostname;
  return ep;
}

export interface DesiredGroup {
  readonly ports: EndpointPort[];
  readonly endpoints: EndpointSet;
}

export interface DesiredEndpoints {
  /** By port map key: Pods that resolve the Service's ports differently land in different groups. */
  readonly groups: Map<string, DesiredGroup>;
  /** Pods skipped because their Node does not exist (the sync must report and retry). */
  readonly errors: string[];
}

export function desiredEndpoints(svc: Service, pods: readonly Pod[], nodes: NodeGetter, addressType: AddressType): DesiredEndpoints {
  const groups = new Map<string, DesiredGroup>();
  const errors: string[] = [];
  const svcKey = `${svc.metadata.namespace}/${svc.metadata.name}`;
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = endpointPortsFor(svc, pod);
    const key = portMapKey(ports);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports, endpoints: new EndpointSet() }));
    const nodeName = pod.spec?.nodeName ?? '';
    const node = nodeName ? nodes(nodeName) : undefined;
    // A Pod bound to a Node that does not exist is left out (and the sync retried) so one bad
    // reference cannot hold back the rest, unless the Service publishes not-ready addresses.
    if (!node && !svc.spec?.publishNotReadyAddresses) {
      errors.push(`skipping Pod ${pod.metadata.name} for Service ${svcKey}: Node ${nodeName} Not Found`);
      continue;
    }
    const ep = podToEndpoint(pod, node, svc, addressType);
    if (ep.addresses.length > 0) group.endpoints.insert(ep);
  }
  return { groups, errors };
}
