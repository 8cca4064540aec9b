// validate(group, version, kind, obj, old?): what the API server runs on every create/update.
// Mirrors the generic registry: kind-specific strategy validation, then (on create, only when that
// passed) the generic ObjectMeta check with path-segment names; on update the common metadata
// checks come first, then the strategy's ValidateUpdate.
import type { FieldError } from '../field-errors.js';
import { validateDeployment, validateDeploymentUpdate, validateReplicaSet, validateReplicaSetUpdate } from './apps.js';
import { type Obj, obj, str } from './common.js';
import {
  validateConfigMap,
  validateConfigMapUpdate,
  validateEndpoints,
  validateEvent,
  validateLease,
  validateNamespace,
  validateNamespaceUpdate,
  validateNode,
  validateNodeUpdate,
  validateServiceAccount,
} from './core-misc.js';
import { validateEndpointSlice, validateEndpointSliceUpdate } from './endpoint-slice.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { validatePod, validatePodUpdate } from './pod.js';
import { validateService, validateServiceUpdate } from './service.js';

interface KindValidator {
  readonly namespaced: boolean;
  readonly create: (o: Obj) => FieldError[];
  /** Strategy ValidateUpdate; defaults to metadata update checks plus create validation. */
  readonly update?: (o: Obj, old: Obj) => FieldError[];
}

const withMetaUpdate = (create: (o: Obj) => FieldError[]) => (o: Obj, old: Obj) => [
  ...validateObjectMetaUpdate(o.metadata, old.metadata),
  ...create(o),
];

const VALIDATORS: Record<string, KindValidator> = {
  'v1/Pod': { namespaced: true, create: validatePod, update: validatePodUpdate },
  'v1/Service': { namespaced: true, create: validateService, update: validateServiceUpdate },
  'v1/Namespace': { namespaced: false, create: validateNamespace, update: validateNamespaceUpdate },
  'v1/Node': { namespaced: false, create: validateNode, update: validateNodeUpdate },
  'v1/Endpoints': { namespaced: true, create: validateEndpoints },
  'v1/ConfigMap': { namespaced: true, create: validateConfigMap, update: validateConfigMapUpdate },
  'v1/ServiceAccount': { namespaced: true, create: validateServiceAccount },
  // core/v1 Events only get the legacy checks, on update too.
  'v1/Event': { namespaced: true, create: validateEvent, update: (o) => validateEvent(o) },
  'apps/v1/Deployment': { namespaced: true, create: validateDeployment, update: validateDeploymentUpdate },
  'apps/v1/ReplicaSet': { namespaced: true, create: validateReplicaSet, update: validateReplicaSetUpdate },
  'discovery.k8s.io/v1/EndpointSlice': { namespaced: true, create: validateEndpointSlice, update: validateEndpointSliceUpdate },
  'coordination.k8s.io/v1/Lease': { namespaced: true, create: validateLease },
};

const gvkKey = (group: string, version: string, kind: string) => (group ? `${group}/${version}/${kind}` : `${version}/${kind}`);

/** Whether a kind is namespaced (undefined for kinds this module does not know). */
export function isNamespacedKind(group: string, version: string, kind: string): boolean | undefined {
  return VALIDATORS[gvkKey(group, version, kind)]?.namespaced;
}

function dedupe(errs: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const s = `${e.type}|${e.toString()}`;
    if (seen.has(s)) return false;
    seen.add(s);
    return true;
  });
}

/**
 * Validates an object about to be stored. `old` selects update validation. Errors come back as
 * field.Error values whose toString() is exactly what kubectl prints.
 */
export function validate(group: string, version: string, kind: string, object: unknown, old?: unknown): FieldError[] {
  const o = obj(object);
  const v = VALIDATORS[gvkKey(group, version, kind)];
  const namespaced = v?.namespaced ?? str(obj(o.metadata).namespace) !== '';
  const generic = { namespaced, nameFn: 'path' as const, kubeFinalizerCheck: false };
  if (old === undefined) {
    const errs = v ? v.create(o) : [];
    if (errs.length) return dedupe(errs);
    return validateObjectMeta(o.metadata, generic);
  }
  const prev = obj(old);
  const common = [...validateObjectMetaUpdate(o.metadata, prev.metadata), ...validateObjectMeta(o.metadata, generic)];
  const specific = v ? (v.update ?? withMetaUpdate(v.create))(o, prev) : [];
  return dedupe([...common, ...specific]);
}

export { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
export {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isConfigMapKey,
} from './names.js';
export { isValidIP } from './ip.js';
export { validateServiceClusterIPsRelatedFields } from './service.js';
