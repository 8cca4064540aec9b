// Strategic-merge-patch metadata: the patchStrategy/patchMergeKey struct tags of k8s.io/api,
// arranged as a tree by JSON field name and keyed by `apiVersion/kind`.
//
// Source of truth: the struct tags compiled into kubectl 1.32/1.33 (`strings kubectl | grep
// patchStrategy` lists every tagged field) matched to their structs in k8s.io/api core/v1,
// apps/v1, batch/v1 types.go. Fields not listed here have no strategy: maps merge
// recursively, lists are replaced wholesale. Notable untagged lists: Service spec.externalIPs,
// Node spec.taints, Pod spec.tolerations/readinessGates, container envFrom/resizePolicy,
// containerStatuses, Namespace spec.finalizers, ServiceAccount imagePullSecrets, Endpoints
// subsets and everything in EndpointSlice, Event and Lease.
//
// Unknown kinds (CRDs, kinds not listed) get EMPTY_PATCH_META, so every list is replaced.
// Upstream refuses strategic merge patch for custom resources altogether (415), and treats
// their lists atomically under merge patch; replacing lists is the closest safe behaviour.

export type PatchStrategy = 'merge' | 'replace' | 'retainKeys';

export interface PatchMeta {
  /** The patchStrategy tag split on ',' (e.g. ['merge', 'retainKeys']). */
  readonly strategies?: readonly PatchStrategy[];
  /** patchMergeKey: the element key of a merging list of objects. */
  readonly mergeKey?: string;
  /** Metadata of this value's fields (of each element's fields, for a list). */
  readonly fields?: Readonly<Record<string, PatchMeta>>;
}

/** The metadata of a whole object (its root fields). */
export type PatchSchema = PatchMeta;

export const EMPTY_PATCH_META: PatchSchema = Object.freeze({});

type Fields = Readonly<Record<string, PatchMeta>>;

const merge = (mergeKey?: string, fields?: Fields): PatchMeta => ({ strategies: ['merge'], mergeKey, fields });
const mergeRetainKeys = (mergeKey: string, fields?: Fields): PatchMeta => ({
  strategies: ['merge', 'retainKeys'],
  mergeKey,
  fields,
});
const nested = (fields: Fields): PatchMeta => ({ fields });

const byType = merge('type');

// metav1.ObjectMeta
const objectMeta = nested({
  ownerReferences: merge('uid'),
  finalizers: merge(), // a set of strings: patches union, $deleteFromPrimitiveList removes
});

// core/v1 Container and EphemeralContainer(Common) carry the same tags.
const container: Fields = {
  ports: merge('containerPort'),
  env: merge('name'),
  volumeMounts: merge('mountPath'),
  volumeDevices: merge('devicePath'),
};

const podSpec = nested({
  volumes: mergeRetainKeys('name'),
  initContainers: merge('name', container),
  containers: merge('name', container),
  ephemeralContainers: merge('name', container),
  imagePullSecrets: merge('name'),
  hostAliases: merge('ip'),
  topologySpreadConstraints: merge('topologyKey'),
  schedulingGates: merge('name'),
  resourceClaims: mergeRetainKeys('name'),
});

const podStatus = nested({
  conditions: byType,
  podIPs: merge('ip'),
  hostIPs: merge('ip'),
  resourceClaimStatuses: mergeRetainKeys('name'),
});

const podTemplateSpec = nested({ metadata: objectMeta, spec: podSpec });

const withTemplate = (specFields: Fields = {}): PatchSchema =>
  nested({
    metadata: objectMeta,
    spec: nested({ template: podTemplateSpec, ...specFields }),
    status: nested({ conditions: byType }),
  });

const metaOnly = nested({ metadata: objectMeta });

export const PATCH_META: Readonly<Record<string, PatchSchema>> = {
  'v1/Pod': nested({ metadata: objectMeta, spec: podSpec, status: podStatus }),
  'v1/PodTemplate': nested({ metadata: objectMeta, template: podTemplateSpec }),
  'v1/ReplicationController': withTemplate(),
  // ServiceSpec.Ports is keyed by port alone: 53/TCP and 53/UDP collide (kubernetes#39188),
  // reproduced on purpose because kubectl's patches are computed against the same key.
  'v1/Service': nested({
    metadata: objectMeta,
    spec: nested({ ports: merge('port') }),
    status: nested({ conditions: byType }),
  }),
  'v1/Endpoints': metaOnly,
  'v1/Node': nested({
    metadata: objectMeta,
    spec: nested({ podCIDRs: merge() }),
    status: nested({ conditions: byType, addresses: byType }),
  }),
  'v1/Namespace': nested({ metadata: objectMeta, status: nested({ conditions: byType }) }),
  'v1/ConfigMap': metaOnly,
  'v1/Secret': metaOnly,
  'v1/ServiceAccount': nested({ metadata: objectMeta, secrets: merge('name') }),
  'v1/Event': metaOnly,
  'apps/v1/Deployment': withTemplate({ strategy: { strategies: ['retainKeys'] } }),
  'apps/v1/ReplicaSet': withTemplate(),
  'apps/v1/DaemonSet': withTemplate(),
  'apps/v1/StatefulSet': withTemplate(),
  'batch/v1/Job': withTemplate(),
  'discovery.k8s.io/v1/EndpointSlice': metaOnly,
  'coordination.k8s.io/v1/Lease': metaOnly,
  'events.k8s.io/v1/Event': metaOnly,
};

/** Patch metadata for `apiVersion` + `kind`; unknown kinds replace every list. */
export function patchMetaFor(apiVersion: string, kind: string): PatchSchema {
  const key = `${apiVersion}/${kind}`;
  return Object.hasOwn(PATCH_META, key) ? PATCH_META[key]! : EMPTY_PATCH_META;
}

/** The strategy that decides merging ("merge", "replace" or none), ignoring retainKeys. */
export function mergeStrategyOf(meta: PatchMeta | undefined): 'merge' | 'replace' | undefined {
  const s = meta?.strategies;
  if (!s) return undefined;
  if (s.includes('merge')) return 'merge';
  if (s.includes('replace')) return 'replace';
  return undefined;
}

export function fieldMeta(meta: PatchMeta | undefined, field: string): PatchMeta | undefined {
  // Own members only: a patch key "constructor" must not find Object.prototype.constructor.
  const fields = meta?.fields;
  return fields && Object.hasOwn(fields, field) ? fields[field] : undefined;
}
