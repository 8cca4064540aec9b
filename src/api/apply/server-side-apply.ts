// Server-side apply of one object (PATCH with application/apply-patch+yaml), with the apiserver's
// field manager layers: ownership of existing fields before the first apply, the client-side
// apply upgrade path for manager `kubectl`, and the manager cap.
import { defineMember } from '../patch/json-value.js';
import { conflictsFrom } from './conflict.js';
import type { Conflict } from './conflict.js';
import { applyConfig, applyUpdate } from './field-manager.js';
import type { WriteContext } from './field-manager.js';
import { capUpdateManagers, decodeManagedFields, encodeManagedFields, formatTime } from './managed-fields.js';
import type { Managed, ManagedFieldsEntry, ManagerInfo } from './managed-fields.js';
import { goJSON } from './path-element.js';
import { isObject } from './schema.js';
import type { ApplySchema } from './schema.js';
import { compareObjects, fieldSetOf } from './typed-value.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

type Obj = Record<string, unknown>;

export interface ApplyOptions {
  readonly manager: string;
  readonly force: boolean;
  /** The apiVersion of the request (group/version), recorded in managedFields. */
  readonly apiVersion: string;
  readonly schema: ApplySchema;
  readonly now: Date;
  readonly subresource?: string;
}

export type ApplyResult =
  | { readonly object: Obj; readonly managedFields: ManagedFieldsEntry[] }
  | { readonly conflicts: Conflict[] };

/** Drops nulls: an applied null means "not specified" here. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (isObject(v)) {
    const out: Obj = {};
    // Keys are user data: "__proto__" stays an own member.
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) defineMember(out, k, withoutNulls(x));
    return out;
  }
  return v;
}

function metadataOf(o: unknown): Obj {
  return isObject(o) && isObject(o['metadata']) ? o['metadata'] : {};
}

/** A copy of `o` without metadata.managedFields (the field manager never sees them as data). */
export function withoutManagedFields(o: unknown): Obj {
  const copy = structuredClone(isObject(o) ? o : {});
  if (isObject(copy['metadata'])) delete copy['metadata']['managedFields'];
  return copy;
}

/** The fields of the last client-side apply that still hold their applied values (lastAppliedManager). */
function allowedFromLastApplied(live: Obj, opts: ApplyOptions): ReturnType<typeof fieldSetOf> | undefined {
  const annotations = metadataOf(live)['annotations'];
  const raw = isObject(annotations) ? annotations[LAST_APPLIED_ANNOTATION] : undefined;
  if (typeof raw !== 'string' || raw === '') return undefined;
  let last: unknown;
  try {
    last = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isObject(last) || last['apiVersion'] !== opts.apiVersion) return undefined;
  const root = opts.schema.root;
  const c = compareObjects(last, live, root);
  return fieldSetOf(last, root).difference(c.modified).difference(c.added).difference(c.removed);
}

/** lastAppliedUpdater: kubectl's server-side apply keeps an existing last-applied annotation current. */
function syncLastApplied(object: Obj, applied: Obj): void {
  const annotations = metadataOf(object)['annotations'];
  if (!isObject(annotations) || !(LAST_APPLIED_ANNOTATION in annotations)) return;
  const copy = structuredClone(applied);
  const meta = metadataOf(copy);
  if (isObject(meta['annotations'])) delete meta['annotations'][LAST_APPLIED_ANNOTATION];
  annotations[LAST_APPLIED_ANNOTATION] = `${goJSON(copy)}\n`;
}

function finish(object: unknown, managed: Managed): { object: Obj; managedFields: ManagedFieldsEntry[] } {
  const out = withoutManagedFields(object);
  const managedFields = encodeManagedFields(capUpdateManagers(managed));
  if (managedFields.length > 0) {
    if (!isObject(out['metadata'])) out['metadata'] = {};
    (out['metadata'] as Obj)['managedFields'] = managedFields;
  }
  return { object: out, managedFields };
}

/**
 * Applies `applied` (the request body) to `live` (undefined when the apply creates the object).
 * Returns the object to store, with its new managedFields, or the conflicts to report with
 * conflictError.
 */
export function serverSideApply(live: Obj | undefined, applied: Obj, opts: ApplyOptions): ApplyResult {
  const ctx: WriteContext = { schema: opts.schema, subresource: opts.subresource, time: formatTime(opts.now) };
  const info: ManagerInfo = {
    manager: opts.manager,
    operation: 'Apply',
    apiVersion: opts.apiVersion,
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
  };
  let managed: Managed;
  try {
    managed = decodeManagedFields(metadataOf(live)['managedFields']);
  } catch {
    managed = new Map();
  }
  const liveObj = withoutManagedFields(live ?? {});
  const config = withoutManagedFields(withoutNulls(applied));

  // Objects whose fields nobody owns yet (created before managedFields, or reset) are first
  // owned by `before-first-apply`, so the apply cannot silently take or prune them.
  if (managed.size === 0 && live !== undefined) {
    const before: ManagerInfo = { manager: 'before-first-apply', operation: 'Update', apiVersion: opts.apiVersion };
    managed = applyUpdate({}, liveObj, managed, before, ctx);
  }

  let r = applyConfig(liveObj, config, managed, info, opts.force, ctx);
  if (!r.ok && opts.manager === 'kubectl') {
    // Conflicts on fields kubectl itself set with client-side apply are not conflicts.
    const allowed = allowedFromLastApplied(liveObj, opts);
    if (allowed) {
      let rest = false;
      const remaining = new Map<string, ReturnType<typeof fieldSetOf>>();
      for (const [id, set] of r.conflicts) {
        const left = set.difference(allowed);
        if (!left.isEmpty()) {
          rest = true;
          remaining.set(id, left);
        }
      }
      r = rest ? { ok: false, conflicts: remaining } : applyConfig(liveObj, config, managed, info, true, ctx);
    }
  }
  if (!r.ok) return { conflicts: conflictsFrom(r.conflicts, managed) };

  const object = structuredClone(r.object) as Obj;
  if (opts.manager === 'kubectl') syncLastApplied(object, applied);
  return finish(object, r.managed);
}
