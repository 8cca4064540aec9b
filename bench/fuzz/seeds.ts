// Valid objects of every kind svcnet serves (src/apiserver/resources.ts), the starting points the
// mutators work from. Names come from a small pool so that creates, updates, patches and deletes
// of a run keep landing on the same objects (a fuzzer that only ever creates never reaches the
// update paths).
import { Rng } from './rng.js';

export const NAMESPACES = ['default', 'fuzz-a', 'fuzz-b', 'kube-system'] as const;
export const NAME_POOL = ['fz-0', 'fz-1', 'fz-2', 'fz-3', 'fz-4', 'web', 'kubernetes'] as const;

export interface ResourceRef {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly subresources: readonly string[];
}

// Mirrors src/apiserver/resources.ts; kept as data here so the fuzzer does not import server
// code (it must keep working while the server is being changed underneath it).
export const RESOURCES: readonly ResourceRef[] = [
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, subresources: ['status', 'finalize'] },
  { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true, subresources: ['status', 'proxy'] },
  { group: '', version: 'v1', resource: 'endpoints', kind: 'Endpoints', namespaced: true, subresources: [] },
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, subresources: ['status', 'binding', 'log', 'eviction', 'exec', 'portforward', 'proxy'] },
  { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false, subresources: ['status', 'proxy'] },
  { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true, subresources: [] },
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, subresources: [] },
  { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, subresources: [] },
  { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true, subresources: [] },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true, subresources: ['status', 'scale'] },
  { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true, subresources: ['status', 'scale'] },
  { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true, subresources: [] },
];

export function apiVersion(r: Pick<ResourceRef, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type { Json };

const labels = { app: 'web', tier: 'fuzz' };
const podTemplate = (): Json => ({
  metadata: { labels: { ...labels } },
  spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] },
});

/** A valid body for `kind` named `name` in `namespace` (ignored for cluster-scoped kinds). */
export function seedObject(r: ResourceRef, name: string, namespace: string, rng: Rng): Json {
  const metadata: { [k: string]: Json } = { name, labels: { ...labels } };
  if (r.namespaced) metadata.namespace = namespace;
  if (rng.chance(0.2)) metadata.annotations = { 'fuzz/seed': 'x' };
  const head = { apiVersion: apiVersion(r), kind: r.kind, metadata };
  switch (r.kind) {
    case 'Namespace':
      return { ...head, spec: { finalizers: ['kubernetes'] } };
    case 'Service':
      return {
        ...head,
        spec: rng.pick<Json>([
          { selector: { ...labels }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
          { type: 'NodePort', selector: { ...labels }, ports: [{ port: 80, targetPort: 'http', nodePort: 30000 + rng.int(2768) }] },
          { type: 'LoadBalancer', ports: [{ port: 443, protocol: 'TCP' }], ipFamilyPolicy: 'PreferDualStack' },
          { type: 'ExternalName', externalName: 'example.com' },
          { clusterIP: 'None', selector: { ...labels }, ports: [{ port: 53, protocol: 'UDP' }] },
        ]),
      };
    case 'Endpoints':
      return { ...head, subsets: [{ addresses: [{ ip: '10.244.0.5' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }] };
    case 'Pod':
      return { ...head, spec: (podTemplate() as { spec: Json }).spec };
    case 'Node':
      return { ...head, spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] }, status: { addresses: [{ type: 'InternalIP', address: '172.18.0.9' }] } };
    case 'Event':
      return {
        ...head,
        involvedObject: { kind: 'Pod', namespace, name: 'fz-0' },
        reason: 'Fuzzed',
        message: 'hello',
        type: 'Normal',
        count: 1,
        firstTimestamp: '2024-01-01T00:00:00Z',
        lastTimestamp: '2024-01-01T00:00:00Z',
        source: { component: 'fuzz' },
      };
    case 'ConfigMap':
      return { ...head, data: { a: 'b', 'c.txt': 'line\n' }, binaryData: { bin: 'AAEC' } };
    case 'ServiceAccount':
      return { ...head, automountServiceAccountToken: false };
    case 'EndpointSlice':
      return {
        ...head,
        addressType: 'IPv4',
        endpoints: [{ addresses: ['10.244.0.5'], conditions: { ready: true }, nodeName: 'node-1' }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      };
    case 'Deployment':
    case 'ReplicaSet':
      return { ...head, spec: { replicas: rng.int(3), selector: { matchLabels: { ...labels } }, template: podTemplate() } };
    case 'Lease':
      return { ...head, spec: { holderIdentity: 'fuzz', leaseDurationSeconds: 15, renewTime: '2024-01-01T00:00:00.000000Z' } };
    default:
      return head;
  }
}

/** Bodies for subresources and options kinds, keyed by subresource name. */
export function subresourceObject(r: ResourceRef, sub: string, name: string, namespace: string, rng: Rng): Json {
  switch (sub) {
    case 'binding':
      return { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } };
    case 'scale':
      return { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace }, spec: { replicas: rng.int(4) } };
    case 'eviction':
      return { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace }, deleteOptions: { gracePeriodSeconds: 0 } };
    default:
      return seedObject(r, name, namespace, rng);
  }
}

export function deleteOptions(rng: Rng): Json {
  return rng.pick<Json>([
    { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground' },
    { kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1', gracePeriodSeconds: 0, preconditions: { uid: 'x' } },
    { propagationPolicy: 'Orphan', dryRun: ['All'] },
  ]);
}
