// Realistic Service objects of about 1 KB, as a Helm chart or an operator would write them:
// recommended labels, a couple of annotations, three named ports.
import { randomUUID } from 'node:crypto';

export function serviceName(i: number): string {
  return `web-${String(i).padStart(5, '0')}`;
}

export function serviceManifest(name: string, namespace: string, annotations: Record<string, string> = {}): Record<string, unknown> {
  const labels = {
    'app.kubernetes.io/name': 'storefront',
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/version': '3.14.2',
    'app.kubernetes.io/component': 'frontend',
    'app.kubernetes.io/part-of': 'shop',
    'app.kubernetes.io/managed-by': 'svcnet-bench',
  };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace,
      labels,
      annotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '9090',
        'meta.helm.sh/release-name': 'shop',
        'meta.helm.sh/release-namespace': namespace,
        ...annotations,
      },
    },
    spec: {
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'storefront', 'app.kubernetes.io/instance': name },
      ports: [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' },
        { name: 'https', protocol: 'TCP', port: 443, targetPort: 'https' },
        { name: 'metrics', protocol: 'TCP', port: 9090, targetPort: 9090 },
      ],
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
    },
  };
}

/**
 * What kube-apiserver stores for such a manifest (server-set metadata, managedFields, defaulted
 * spec with an allocated ClusterIP, status), used as the value in the storage-layer benchmarks so that sqlite and etcd
 * move the same bytes the API path does.
 */
export function storedServiceJson(i: number, namespace: string, revision = 1): string {
  const m = serviceManifest(serviceName(i), namespace);
  const meta = m.metadata as Record<string, unknown>;
  const spec = m.spec as Record<string, unknown>;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return JSON.stringify({
    ...m,
    metadata: {
      ...meta,
      uid: randomUUID(),
      resourceVersion: String(revision),
      creationTimestamp: now,
      managedFields: [
        {
          manager: 'helm',
          operation: 'Update',
          apiVersion: 'v1',
          time: now,
          fieldsType: 'FieldsV1',
          fieldsV1: fieldsV1(meta, spec),
        },
      ],
    },
    spec: {
      ...spec,
      clusterIP: `10.96.${(i >> 8) & 255}.${i & 255}`,
      clusterIPs: [`10.96.${(i >> 8) & 255}.${i & 255}`],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    },
    status: { loadBalancer: {} },
  });
}

/** The managedFields set of a create of `serviceManifest` (the shape the field manager records). */
function fieldsV1(meta: Record<string, unknown>, spec: Record<string, unknown>): Record<string, unknown> {
  const set = (obj: unknown) => Object.fromEntries([['.', {}], ...Object.keys(obj as object).map((k) => [`f:${k}`, {}])]);
  const ports = spec.ports as { port: number; protocol: string }[];
  const portFields = { '.': {}, 'f:name': {}, 'f:port': {}, 'f:protocol': {}, 'f:targetPort': {} };
  return {
    'f:metadata': { 'f:annotations': set(meta.annotations), 'f:labels': set(meta.labels) },
    'f:spec': {
      'f:internalTrafficPolicy': {},
      'f:ports': Object.fromEntries([['.', {}], ...ports.map((p) => [`k:{"port":${p.port},"protocol":"${p.protocol}"}`, portFields])]),
      'f:selector': {},
      'f:sessionAffinity': {},
      'f:type': {},
    },
  };
}
