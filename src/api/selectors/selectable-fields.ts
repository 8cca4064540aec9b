// Which field selectors each resource supports and the values its objects expose, after
// kube-apiserver:
//  - the accepted labels come from the field-label conversion functions registered per kind
//    (pkg/apis/core/v1/conversion.go, pkg/apis/batch/v1); kinds without one use
//    runtime.DefaultMetaV1FieldSelectorConversion, which only knows metadata.name and
//    metadata.namespace and words its error differently;
//  - the values come from each registry's ToSelectableFields/GetAttrs (pkg/registry/*/strategy.go).
// Quirks kept on purpose: Nodes accept only metadata.name and spec.unschedulable (not
// metadata.namespace); Namespaces only metadata.name and status.phase; apps/v1 ReplicaSets do not
// accept status.replicas although their registry computes it (kubernetes#135136); Pods accept
// status.podIPs but expose no value for it (so only `status.podIPs=` matches), and spec.host is
// an alias of spec.nodeName.
import { apiErrors } from '../errors.js';
import { goQuote } from '../field-errors.js';
import type { FieldSelector, Fields } from './field-selector.js';

type Obj = Readonly<Record<string, unknown>>;

interface ResourceFields {
  /** Labels the kind's conversion function accepts; absent = the metav1 default. */
  readonly labels?: readonly string[];
  readonly aliases?: Readonly<Record<string, string>>;
  /** Whether ObjectMetaFieldsSet includes metadata.namespace. */
  readonly namespaced: boolean;
  readonly extra?: (obj: Obj) => Record<string, string>;
}

const DEFAULT_LABELS = ['metadata.name', 'metadata.namespace'] as const;

function get(obj: Obj, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Obj)[p];
  }
  return cur;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const int = (v: unknown): string => String(typeof v === 'number' ? Math.trunc(v) : 0);
const bool = (v: unknown): string => (v === true ? 'true' : 'false');

function podIP(pod: Obj): string {
  // The internal Pod only has PodIPs; v1→internal conversion fills it from podIP when empty.
  const ips = get(pod, 'status', 'podIPs');
  if (Array.isArray(ips) && ips.length > 0) return str(get(ips[0] as Obj, 'ip'));
  return str(get(pod, 'status', 'podIP'));
}

const RESOURCES: Readonly<Record<string, ResourceFields>> = {
  '/pods': {
    labels: [
      'metadata.name',
      'metadata.namespace',
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.podIPs',
      'status.nominatedNodeName',
    ],
    aliases: { 'spec.host': 'spec.nodeName' },
    namespaced: true,
    extra: (o) => ({
      'spec.nodeName': str(get(o, 'spec', 'nodeName')),
      'spec.restartPolicy': str(get(o, 'spec', 'restartPolicy')),
      'spec.schedulerName': str(get(o, 'spec', 'schedulerName')),
      'spec.serviceAccountName': str(get(o, 'spec', 'serviceAccountName')),
      'spec.hostNetwork': bool(get(o, 'spec', 'hostNetwork')),
      'status.phase': str(get(o, 'status', 'phase')),
      'status.podIP': podIP(o),
      'status.nominatedNodeName': str(get(o, 'status', 'nominatedNodeName')),
    }),
  },
  '/nodes': {
    labels: ['metadata.name', 'spec.unschedulable'],
    namespaced: false,
    extra: (o) => ({ 'spec.unschedulable': bool(get(o, 'spec', 'unschedulable')) }),
  },
  '/namespaces': {
    labels: ['status.phase', 'metadata.name'],
    namespaced: false,
    // The registry also exposes a legacy "name" field, unreachable through the API.
    extra: (o) => ({ 'status.phase': str(get(o, 'status', 'phase')), name: str(get(o, 'metadata', 'name')) }),
  },
  '/events': {
    labels: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
      'metadata.namespace',
      'metadata.name',
    ],
    namespaced: true,
    extra: (o) => {
      const involved = (f: string) => str(get(o, 'involvedObject', f));
      const reporting = str(get(o, 'reportingComponent'));
      return {
        'involvedObject.kind': involved('kind'),
        'involvedObject.namespace': involved('namespace'),
        'involvedObject.name': involved('name'),
        'involvedObject.uid': involved('uid'),
        'involvedObject.apiVersion': involved('apiVersion'),
        'involvedObject.resourceVersion': involved('resourceVersion'),
        'involvedObject.fieldPath': involved('fieldPath'),
        reason: str(get(o, 'reason')),
        reportingComponent: reporting,
        source: str(get(o, 'source', 'component')) || reporting,
        type: str(get(o, 'type')),
      };
    },
  },
  '/services': {
    labels: ['metadata.namespace', 'metadata.name', 'spec.clusterIP', 'spec.type'],
    namespaced: true,
    extra: (o) => ({ 'spec.clusterIP': str(get(o, 'spec', 'clusterIP')), 'spec.type': str(get(o, 'spec', 'type')) }),
  },
  '/secrets': {
    labels: ['type', 'metadata.namespace', 'metadata.name'],
    namespaced: true,
    extra: (o) => ({ type: str(get(o, 'type')) }),
  },
  '/replicationcontrollers': {
    labels: ['metadata.name', 'metadata.namespace', 'status.replicas'],
    namespaced: true,
    extra: (o) => ({ 'status.replicas': int(get(o, 'status', 'replicas')) }),
  },
  '/configmaps': { namespaced: true },
  '/endpoints': { namespaced: true },
  '/serviceaccounts': { namespaced: true },
  'apps/deployments': { namespaced: true },
  'apps/replicasets': { namespaced: true, extra: (o) => ({ 'status.replicas': int(get(o, 'status', 'replicas')) }) },
  'apps/daemonsets': { namespaced: true },
  'apps/statefulsets': { namespaced: true },
  'batch/jobs': {
    labels: ['metadata.name', 'metadata.namespace', 'status.successful'],
    namespaced: true,
    extra: (o) => ({ 'status.successful': int(get(o, 'status', 'succeeded')) }),
  },
  'discovery.k8s.io/endpointslices': { namespaced: true },
  'coordination.k8s.io/leases': { namespaced: true },
  'events.k8s.io/events': { namespaced: true },
};

/** Field selector labels each resource (`group/resource`, core group empty) accepts. */
export const FIELD_SELECTOR_FIELDS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(RESOURCES).map(([key, r]) => [key, r.labels ?? DEFAULT_LABELS]),
);

/** The selectable fields of `obj` (*ToSelectableFields): values are strings, "" when unset. */
export function fieldsOf(resourceKey: string, obj: Obj): Record<string, string> {
  const r: ResourceFields = RESOURCES[resourceKey] ?? { namespaced: true };
  const out: Record<string, string> = { ...r.extra?.(obj), 'metadata.name': str(get(obj, 'metadata', 'name')) };
  if (r.namespaced) out['metadata.namespace'] = str(get(obj, 'metadata', 'namespace'));
  return out;
}

/**
 * ConvertFieldLabel over every term: unsupported labels are the 400 the apiserver answers a
 * list/watch with ("field label not supported: spec.foo", or for kinds without their own
 * conversion `"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"`).
 */
export function convertFieldSelector(resourceKey: string, selector: FieldSelector): FieldSelector {
  const r = RESOURCES[resourceKey];
  return selector.transform((field, value) => {
    if (!r?.labels) {
      if ((DEFAULT_LABELS as readonly string[]).includes(field)) return [field, value];
      throw apiErrors.badRequest(
        `${goQuote(field)} is not a known field selector: only ${goQuote(DEFAULT_LABELS[0])}, ${goQuote(DEFAULT_LABELS[1])}`,
      );
    }
    // Own members only: the field name is user input ("constructor" is no alias).
    const alias = r.aliases && Object.hasOwn(r.aliases, field) ? r.aliases[field] : undefined;
    if (alias) return [alias, value];
    if (r.labels.includes(field)) return [field, value];
    throw apiErrors.badRequest(`field label not supported: ${field}`);
  });
}

/** Whether a converted selector matches `obj` of the resource. */
export function fieldSelectorMatches(resourceKey: string, selector: FieldSelector, obj: Obj): boolean {
  return selector.empty() || selector.matches(fieldsOf(resourceKey, obj) as Fields);
}
