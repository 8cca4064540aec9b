// The Endpoints controller's desired state (pkg/controller/endpoint/endpoints_controller.go
// syncService, as a pure function): the Endpoints object a Service with a selector should have,
// and whether the current one already is it.
import { jsonEqual } from '../../api/meta.js';
import { hasHeadlessLabel, LABEL_HEADLESS } from '../../api/endpointslice.js';
import { isPodReady, podIPs } from '../../api/pod.js';
import { isServiceIPSet } from '../../api/service.js';
import type { EndpointAddress, EndpointPort as CoreEndpointPort, Endpoints, EndpointSubset, Pod, Service } from '../../api/types/core/index.js';
import { ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME, ANNOTATION_ENDPOINTS_OVER_CAPACITY } from '../../api/types/core/index.js';
import { findPort, shouldPodBeInEndpoints, shouldSetHostname } from '../shared/index.js';
import { parseIPSloppy as parseIP } from '../../util/ip.js';
import { repackSubsets } from './repack.js';

/** maxCapacity: Endpoints hold at most this many addresses (ready + not ready). */
export const MAX_ENDPOINTS_CAPACITY = 1000;

/** podToEndpointAddressForService: the Pod's IP of the Service's primary family. */
export function podToEndpointAddress(svc: Service, pod: Pod): EndpointAddress | undefined {
  let family = svc.spec?.ipFamilies?.[0];
  if (!family) {
    // An old API server without ipFamilies: the ClusterIP's family, or the Pod IP's if headless.
    const probe = isServiceIPSet(svc) ? svc.spec!.clusterIP! : (pod.status?.podIP ?? '');
    family = parseIP(probe)?.family === 'IPv6' ? 'IPv6' : 'IPv4';
  }
  const ip = podIPs(pod).find((candidate) => (parseIP(candidate)?.family ?? 'IPv4') === family);
  if (!ip) return undefined;
  const addr: EndpointAddress = { ip, targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid } };
  if (pod.spec?.nodeName) addr.nodeName = pod.spec.nodeName;
  if (shouldSetHostname(pod, svc)) addr.hostname = pod.spec!.hostname;
  return addr;
}

/** The repacked subsets for the Service's Pods (before truncation). */
export function desiredSubsets(svc: Service, pods: readonly Pod[]): EndpointSubset[] {
  const publishNotReady = !!svc.spec?.publishNotReadyAddresses;
  const subsets: EndpointSubset[] = [];
  const add = (pod: Pod, addr: EndpointAddress, port: CoreEndpointPort | undefined) => {
    const ports = port ? [port] : undefined;
    if (publishNotReady || isPodReady(pod)) subsets.push({ addresses: [addr], ports });
    else subsets.push({ notReadyAddresses: [addr], ports });
  };
  for (const pod of pods) {
    // Terminating Pods leave the Endpoints (unless the Service publishes not-ready addresses).
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const addr = podToEndpointAddress(svc, pod);
    if (!addr) continue;
    const svcPorts = svc.spec?.ports ?? [];
    if (svcPorts.length === 0) {
      if (svc.spec?.clusterIP === 'None') add(pod, addr, undefined);
      continue;
    }
    for (const sp of svcPorts) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const ep: CoreEndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
      if (sp.name) ep.name = sp.name;
      if (sp.appProtocol !== undefined) ep.appProtocol = sp.appProtocol;
      add(pod, addr, ep);
    }
  }
  return repackSubsets(subsets);
}

/**
 * truncateEndpoints: over capacity, keep ready addresses first. Room is shared out per subset in
 * proportion to its size (rounded up, the last subsets getting what is left).
 */
export function truncateSubsets(subsets: EndpointSubset[], max = MAX_ENDPOINTS_CAPACITY): boolean {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) {
    totalReady += s.addresses?.length ?? 0;
    totalNotReady += s.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= max) return false;
  const truncateReady = totalReady > max;
  const room = truncateReady ? max : max - totalReady;
  const total = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = room;
  for (const s of subsets) {
    const n = truncateReady ? (s.addresses?.length ?? 0) : (s.notReadyAddresses?.length ?? 0);
    const toBeAdded = Math.min(Math.ceil((n / total) * room), canBeAdded);
    if (truncateReady) {
      s.addresses = (s.addresses ?? []).slice(0, toBeAdded);
      delete s.notReadyAddresses;
      canBeAdded -= s.addresses.length;
      if (s.addresses.length === 0) delete s.addresses;
    } else {
      s.notReadyAddresses = (s.notReadyAddresses ?? []).slice(0, toBeAdded);
      canBeAdded -= s.notReadyAddresses.length;
      if (s.notReadyAddresses.length === 0) delete s.notReadyAddresses;
    }
  }
  return true;
}

const withoutRV = (subsets: readonly EndpointSubset[] | null | undefined): unknown =>
  (subsets ?? []).map((s) => ({
    ...s,
    addresses: s.addresses?.map((a) => (a.targetRef ? { ...a, targetRef: { ...a.targetRef, resourceVersion: undefined } } : a)),
    notReadyAddresses: s.notReadyAddresses?.map((a) => (a.targetRef ? { ...a, targetRef: { ...a.targetRef, resourceVersion: undefined } } : a)),
  }));

export interface EndpointsReconcileInput {
  readonly service: Service;
  readonly pods: readonly Pod[];
  /** The Endpoints in the cache (undefined: none yet). */
  readonly current?: Endpoints;
  readonly triggerTime?: string;
}

export type EndpointsPlan = { readonly action: 'none' } | { readonly action: 'create' | 'update'; readonly endpoints: Endpoints };

export function reconcileEndpoints(input: EndpointsReconcileInput): EndpointsPlan {
  const svc = input.service;
  const subsets = desiredSubsets(svc, input.pods);
  const truncated = truncateSubsets(subsets);
  const cur = input.current;
  const svcLabels = svc.metadata.labels ?? {};
  if (cur) {
    const curLabels = { ...(cur.metadata.labels ?? {}) };
    delete curLabels[LABEL_HEADLESS];
    // Unlike upstream (which rewrites truncated Endpoints on every sync), equal truncated subsets
    // with the annotation already set are a no-op too.
    const annotated = cur.metadata.annotations?.[ANNOTATION_ENDPOINTS_OVER_CAPACITY] !== undefined;
    if (jsonEqual(withoutRV(cur.subsets), withoutRV(subsets)) && jsonEqual(curLabels, svcLabels) && annotated === truncated) {
      return { action: 'none' };
    }
  }
  const next: Endpoints = cur
    ? structuredClone(cur)
    : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace } };
  if (subsets.length) next.subsets = subsets;
  else delete next.subsets;
  const labels: Record<string, string> = { ...svcLabels };
  if (hasHeadlessLabel(svc)) labels[LABEL_HEADLESS] = '';
  else delete labels[LABEL_HEADLESS];
  next.metadata.labels = labels;
  const annotations = (next.metadata.annotations ??= {});
  if (input.triggerTime) annotations[ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME] = input.triggerTime;
  else delete annotations[ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME];
  if (truncated) annotations[ANNOTATION_ENDPOINTS_OVER_CAPACITY] = 'truncated';
  else delete annotations[ANNOTATION_ENDPOINTS_OVER_CAPACITY];
  return { action: cur ? 'update' : 'create', endpoints: next };
}
