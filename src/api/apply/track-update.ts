// managedFields for non-apply writes (create, update, patch), and the default manager name.
import { applyUpdate } from './field-manager.js';
import { capUpdateManagers, decodeManagedFields, encodeManagedFields, formatTime } from './managed-fields.js';
import type { Managed, ManagedFieldsEntry, ManagerInfo } from './managed-fields.js';
import { isObject } from './schema.js';
import type { ApplySchema } from './schema.js';
import { withoutManagedFields } from './server-side-apply.js';

/** validation.FieldManagerMaxLength */
export const FIELD_MANAGER_MAX_LENGTH = 128;

/**
 * The manager name for a write that names none (prefixFromUserAgent): the User-Agent up to its
 * first `/`, without unprintable characters, at most 128 bytes. kubectl names itself explicitly
 * (`kubectl-client-side-apply`, `kubectl-edit`, `kubectl-label`, ...), other clients get e.g.
 * `kubectl` from `kubectl/v1.32.0 (linux/amd64) kubernetes/abc`.
 */
export function managerFromUserAgent(ua: string | undefined): string {
  const head = (ua ?? '').split('/')[0] ?? '';
  let out = '';
  let bytes = 0;
  for (const ch of head) {
    if (!/[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch)) continue; // unicode.IsPrint
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/** The manager of a write: the fieldManager parameter, else derived from the User-Agent. */
export function managerOrUserAgent(fieldManager: string | undefined, ua: string | undefined): string {
  return fieldManager ? fieldManager : managerFromUserAgent(ua);
}

export interface UpdateOptions {
  readonly manager: string;
  readonly operation: 'Update';
  readonly apiVersion: string;
  readonly subresource?: string;
  readonly schema: ApplySchema;
  readonly now: Date;
}

type Obj = Record<string, unknown>;

function managedFieldsOf(o: unknown): unknown {
  return isObject(o) && isObject(o['metadata']) ? o['metadata']['managedFields'] : undefined;
}

/** `managedFields: [{}]` asks to clear them (isResetManagedFields). */
function isReset(mf: unknown): boolean {
  return Array.isArray(mf) && mf.length === 1 && isObject(mf[0]) && Object.keys(mf[0]).length === 0;
}

function decodeOrEmpty(mf: unknown): Managed {
  try {
    return decodeManagedFields(mf);
  } catch {
    return new Map();
  }
}

/**
 * The managedFields after a non-apply write of `newObj` over `oldObj` (undefined on create). A
 * client may set managedFields directly (not through a subresource); otherwise the live ones are
 * kept. The manager gains the fields it changed; others lose what this write changed or removed.
 */
export function trackUpdate(oldObj: Obj | undefined, newObj: Obj, opts: UpdateOptions): ManagedFieldsEntry[] {
  const requested = managedFieldsOf(newObj);
  let managed: Managed;
  if (!opts.subresource && isReset(requested)) {
    managed = new Map();
  } else {
    managed = opts.subresource ? new Map() : decodeOrEmpty(requested);
    if (managed.size === 0) managed = decodeOrEmpty(managedFieldsOf(oldObj));
  }
  // An existing object nobody owns stays untracked until it is applied to.
  const existing = oldObj !== undefined && isObject(oldObj['metadata']) && Boolean(oldObj['metadata']['uid']);
  if (managed.size === 0 && existing) return [];

  const info: ManagerInfo = {
    manager: opts.manager,
    operation: opts.operation,
    apiVersion: opts.apiVersion,
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
  };
  const ctx = { schema: opts.schema, subresource: opts.subresource, time: formatTime(opts.now) };
  const next = applyUpdate(withoutManagedFields(oldObj ?? {}), withoutManagedFields(newObj), managed, info, ctx);
  return encodeManagedFields(capUpdateManagers(next));
}
