// ObjectMeta validation as k8s.io/apimachinery/pkg/api/validation/objectmeta.go does it, plus the
// extra finalizer rule core types add (pkg/apis/core/validation ValidateObjectMeta).
import { FieldError, GoValue, fieldErr, goQuote } from '../field-errors.js';
import { type Obj, arr, child, deepEqual, index, invalidEach, isObj, str, strMap, strs, validateLabels, validateNonnegative } from './common.js';
import { type NameFnName, byteLen, isQualifiedName, validateName } from './names.js';

export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * (1 << 10);
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export interface ObjectMetaOptions {
  readonly namespaced: boolean;
  readonly nameFn: NameFnName;
  /** Core types also reject unqualified finalizers that are not standard (default true). */
  readonly kubeFinalizerCheck?: boolean;
  /** Field path of the metadata (default "metadata"). */
  readonly path?: string;
}

export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(strMap(annotations))) {
    // Annotation keys are qualified names, except that case does not matter.
    errs.push(...invalidEach(path, k, isQualifiedName(k.toLowerCase())));
    total += byteLen(k) + byteLen(v);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) errs.push(fieldErr.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errs;
}

function goOwnerReference(r: Obj): string {
  const b = (v: unknown) => (typeof v === 'boolean' ? `(*bool)(${v})` : '(*bool)(nil)');
  return (
    `v1.OwnerReference{APIVersion:${goQuote(str(r.apiVersion))}, Kind:${goQuote(str(r.kind))}, Name:${goQuote(str(r.name))}, ` +
    `UID:${goQuote(str(r.uid))}, Controller:${b(r.controller)}, BlockOwnerDeletion:${b(r.blockOwnerDeletion)}}`
  );
}

/** schema.ParseGroupVersion: "" → no version, "v1" → core, "g/v" → group+version, more slashes → invalid. */
function versionOf(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: parts[0]! };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  return { group: '', version: '' };
}

export function validateOwnerReferences(refs: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = arr(refs);
  let firstController = '';
  for (const r of list) {
    const gv = versionOf(str(r.apiVersion));
    if (!gv.version) errs.push(fieldErr.invalid(child(path, 'apiVersion'), str(r.apiVersion), 'version must not be empty'));
    if (!str(r.kind)) errs.push(fieldErr.invalid(child(path, 'kind'), str(r.kind), 'must not be empty'));
    if (!str(r.name)) errs.push(fieldErr.invalid(child(path, 'name'), str(r.name), 'must not be empty'));
    if (!str(r.uid)) errs.push(fieldErr.invalid(child(path, 'uid'), str(r.uid), 'must not be empty'));
    if (gv.group === '' && gv.version === 'v1' && str(r.kind) === 'Event') {
      errs.push(fieldErr.invalid(path, new GoValue(goOwnerReference(r)), '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (r.controller === true) {
      const cur = `${str(r.kind)}/${str(r.name)}`;
      if (firstController) {
        const all = new GoValue(`[]v1.OwnerReference{${list.map(goOwnerReference).join(', ')}}`);
        errs.push(
          fieldErr.invalid(
            path,
            all,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`,
          ),
        );
      } else firstController = cur;
    }
  }
  return errs;
}

export function validateFinalizers(finalizers: unknown, path: string): FieldError[] {
  const list = strs(finalizers);
  const errs: FieldError[] = [];
  for (const f of list) errs.push(...invalidEach(path, f, isQualifiedName(f)));
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(fieldErr.invalid(path, list, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

/** validateKubeFinalizerName: a finalizer without a "/" must be one of the standard names. */
export function validateKubeFinalizerName(value: string, path: string): FieldError[] {
  if (value.split('/').length === 1 && !STANDARD_FINALIZERS.has(value)) {
    return [fieldErr.invalid(path, value, 'name is neither a standard finalizer name nor is it fully qualified')];
  }
  return [];
}

/** ValidateObjectMeta on create (name generation has already happened). */
export function validateObjectMeta(meta: unknown, opts: ObjectMetaOptions): FieldError[] {
  const m = isObj(meta) ? meta : {};
  const path = opts.path ?? 'metadata';
  const errs: FieldError[] = [];
  const generateName = str(m.generateName);
  const name = str(m.name);
  if (generateName) errs.push(...invalidEach(child(path, 'generateName'), generateName, validateName(opts.nameFn, generateName, true)));
  if (!name) errs.push(fieldErr.required(child(path, 'name'), 'name or generateName is required'));
  else errs.push(...invalidEach(child(path, 'name'), name, validateName(opts.nameFn, name, false)));

  const namespace = str(m.namespace);
  if (opts.namespaced) {
    if (!namespace) errs.push(fieldErr.required(child(path, 'namespace')));
    else errs.push(...invalidEach(child(path, 'namespace'), namespace, validateName('dns1123Label', namespace, false)));
  } else if (namespace) {
    errs.push(fieldErr.forbidden(child(path, 'namespace'), 'not allowed on this type'));
  }
  if (typeof m.generation === 'number') errs.push(...validateNonnegative(m.generation, child(path, 'generation')));
  errs.push(...validateLabels(m.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(m.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, child(path, 'ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, child(path, 'finalizers')));
  if (opts.kubeFinalizerCheck ?? true) {
    strs(m.finalizers).forEach((f, i) => errs.push(...validateKubeFinalizerName(f, index(child(path, 'finalizers'), i))));
  }
  return errs;
}

/** metav1.Time prints through time.Time.String(): "2006-01-02 15:04:05 +0000 UTC". */
function goTime(v: unknown): unknown {
  if (typeof v !== 'string' || !v) return v === undefined || v === null ? v : new GoValue('0001-01-01 00:00:00 +0000 UTC');
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return v;
  const iso = d.toISOString();
  return new GoValue(`${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`);
}

function immutable(newVal: unknown, oldVal: unknown, path: string, render: (v: unknown) => unknown = (v) => v): FieldError[] {
  return deepEqual(newVal, oldVal) ? [] : [fieldErr.invalid(path, render(newVal), FIELD_IMMUTABLE_ERROR_MSG)];
}

/** ValidateImmutableField: `<path>: Invalid value: <new>: field is immutable`. */
export function validateImmutableField(newVal: unknown, oldVal: unknown, path: string): FieldError[] {
  return immutable(newVal, oldVal, path);
}

/** ValidateObjectMetaUpdate. */
export function validateObjectMetaUpdate(newMeta: unknown, oldMeta: unknown, path = 'metadata'): FieldError[] {
  const n = isObj(newMeta) ? newMeta : {};
  const o = isObj(oldMeta) ? oldMeta : {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const oldF = new Set(strs(o.finalizers));
    const extra = [...new Set(strs(n.finalizers).filter((f) => !oldF.has(f)))].sort();
    if (extra.length) {
      errs.push(
        fieldErr.forbidden(
          child(path, 'finalizers'),
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${extra.map(goQuote).join(', ')}}`,
        ),
      );
    }
  }
  if (!str(n.resourceVersion)) errs.push(fieldErr.invalid(child(path, 'resourceVersion'), str(n.resourceVersion), 'must be specified for an update'));
  const ng = typeof n.generation === 'number' ? n.generation : 0;
  const og = typeof o.generation === 'number' ? o.generation : 0;
  if (ng < og) errs.push(fieldErr.invalid(child(path, 'generation'), ng, 'must not be decremented'));
  errs.push(...immutable(str(n.name), str(o.name), child(path, 'name')));
  errs.push(...immutable(str(n.namespace), str(o.namespace), child(path, 'namespace')));
  errs.push(...immutable(str(n.uid), str(o.uid), child(path, 'uid')));
  errs.push(...immutable(n.creationTimestamp ?? '', o.creationTimestamp ?? '', child(path, 'creationTimestamp'), goTime));
  errs.push(...immutable(n.deletionTimestamp, o.deletionTimestamp, child(path, 'deletionTimestamp'), goTime));
  errs.push(...immutable(n.deletionGracePeriodSeconds, o.deletionGracePeriodSeconds, child(path, 'deletionGracePeriodSeconds')));
  errs.push(...validateLabels(n.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(n.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(n.ownerReferences, child(path, 'ownerReferences')));
  return errs;
}
