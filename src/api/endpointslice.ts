// EndpointSlice helpers shared by the EndpointSlice/mirroring controllers, the proxy and DNS
// (k8s.io/endpointslice utils, pkg/proxy endpointslicecache.go).
import { isServiceIPSet, type ServiceLike } from './service.js';
import type { AddressType, Endpoint, EndpointSlice } from './types/discovery/v1.js';
import { LABEL_HEADLESS, LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from './types/discovery/v1.js';
import type { IPFamily } from './types/core/v1.js';

/**
 * Whether the Service's slices carry the service.kubernetes.io/headless label: the controllers
 * add it when !IsServiceIPSet (clusterIP "" or "None"), not only for clusterIP "None".
 */
export function hasHeadlessLabel(svc: ServiceLike): boolean {
  return !isServiceIPSet(svc);
}

export { LABEL_HEADLESS };

/** conditions.ready, nil read as true (kube-proxy's reading; ready is never true while terminating unless published anyway). */
export function endpointReady(ep: Readonly<Endpoint>): boolean {
  return ep.conditions?.ready !== false;
}

/** conditions.serving, nil read as true. */
export function endpointServing(ep: Readonly<Endpoint>): boolean {
  return ep.conditions?.serving !== false;
}

/** conditions.terminating, nil read as false. */
export function endpointTerminating(ep: Readonly<Endpoint>): boolean {
  return ep.conditions?.terminating === true;
}

/** The Service a slice belongs to (kubernetes.io/service-name), if labelled. */
export function serviceNameOf(slice: Readonly<Pick<EndpointSlice, 'metadata'>>): string | undefined {
  return slice.metadata.labels?.[LABEL_SERVICE_NAME] || undefined;
}

/** Whether `controller` (endpointslice-controller.k8s.io, …) manages the slice. */
export function isManagedBy(slice: Readonly<Pick<EndpointSlice, 'metadata'>>, controller: string): boolean {
  return slice.metadata.labels?.[LABEL_MANAGED_BY] === controller;
}

/** The IP family an addressType carries (FQDN slices carry none). */
export function addressTypeFamily(t: AddressType): IPFamily | undefined {
  return t === 'FQDN' ? undefined : t;
}
