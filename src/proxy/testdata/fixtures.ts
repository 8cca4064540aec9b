// Builders for Services and EndpointSlices in proxy tests (typed core/v1 and discovery/v1).
import type { Service, ServiceSpec } from '../../api/types/core/v1.js';
import type { Endpoint, EndpointPort, EndpointSlice } from '../../api/types/discovery/v1.js';
import { LABEL_SERVICE_NAME } from '../../api/types/discovery/v1.js';

export function svc(namespace: string, name: string, spec: ServiceSpec, lbIngress?: Service['status']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec: { type: 'ClusterIP', ...spec }, ...(lbIngress ? { status: lbIngress } : {}) };
}

export function slice(namespace: string, service: string, n: number, endpoints: Endpoint[], ports: EndpointPort[], addressType: 'IPv4' | 'IPv6' = 'IPv4'): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace, name: `${service}-${n}`, labels: { [LABEL_SERVICE_NAME]: service } },
    addressType,
    endpoints,
    ports,
  };
}
