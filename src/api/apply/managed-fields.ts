// metadata.managedFields: decoding into per-manager field sets and encoding back, shaped and
// sorted as k8s.io/apimachinery/pkg/util/managedfields/internal/managedfields.go does.
import { FieldSet } from './field-set.js';
import type { FieldsV1 } from './field-set.js';

export const ManagedFieldsOperations = ['Apply', 'Update'] as const;
export type ManagedFieldsOperation = (typeof ManagedFieldsOperations)[number];

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: ManagedFieldsOperation;
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: FieldsV1;
  subresource?: string;
}

/** What identifies a manager entry (BuildManagerIdentifier): appliers are one entry whatever their version. */
export interface ManagerInfo {
  readonly manager: string;
  readonly operation: ManagedFieldsOperation;
  readonly apiVersion: string;
  readonly subresource?: string;
}

export interface ManagedEntry {
  readonly info: ManagerInfo;
  readonly set: FieldSet;
  readonly time?: string;
}

/** Manager entries keyed by managerId(info). */
export type Managed = Map<string, ManagedEntry>;

/** The identifier upstream keys managers by: the entry's JSON without time and fields. */
export function managerId(info: ManagerInfo): string {
  const o: Record<string, string> = { manager: info.manager, operation: info.operation };
  if (info.operation !== 'Apply' && info.apiVersion) o['apiVersion'] = info.apiVersion;
  if (info.subresource) o['subresource'] = info.subresource;
  return JSON.stringify(o);
}

/** RFC 3339 in UTC with whole seconds, as metav1.Time marshals. */
export function formatTime(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

function seconds(t: string | undefined): number {
  if (!t) return 0;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/** Decodes managedFields; throws on an entry upstream could not decode either. */
export function decodeManagedFields(entries: unknown): Managed {
  const out: Managed = new Map();
  if (entries === undefined || entries === null) return out;
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  for (const e of entries as ManagedFieldsEntry[]) {
    if (e === null || typeof e !== 'object') throw new Error('managedFields entries must be objects');
    if (e.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(e.fieldsType ?? '')}`);
    const info: ManagerInfo = {
      manager: e.manager ?? '',
      operation: e.operation === 'Apply' ? 'Apply' : 'Update',
      apiVersion: e.apiVersion ?? '',
      ...(e.subresource ? { subresource: e.subresource } : {}),
    };
    const entry: ManagedEntry = { info, set: FieldSet.fromFieldsV1(e.fieldsV1 ?? {}), ...(e.time ? { time: e.time } : {}) };
    out.set(managerId(info), entry);
  }
  return out;
}

/** Encodes managers as managedFields entries, sorted by operation, time, manager, apiVersion, subresource. */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] {
  const out: ManagedFieldsEntry[] = [];
  for (const { info, set, time } of managed.values()) {
    if (set.isEmpty()) continue;
    const e: ManagedFieldsEntry = { manager: info.manager, operation: info.operation, apiVersion: info.apiVersion };
    if (time) e.time = time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = set.toFieldsV1();
    if (info.subresource) e.subresource = info.subresource;
    out.push(e);
  }
  const str = (a = '', b = '') => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort(
    (p, q) =>
      str(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      str(p.manager, q.manager) ||
      str(p.apiVersion, q.apiVersion) ||
      str(p.subresource, q.subresource),
  );
}

export const DEFAULT_MAX_UPDATE_MANAGERS = 10;

/**
 * Keeps at most `max` Update entries by folding the oldest into one `ancient-changes` entry per
 * apiVersion (capManagersManager).
 */
export function capUpdateManagers(managed: Managed, max = DEFAULT_MAX_UPDATE_MANAGERS): Managed {
  const updaters = [...managed.entries()].filter(([, e]) => e.info.operation === 'Update');
  if (updaters.length <= max) return managed;
  updaters.sort(([ia, a], [ib, b]) => seconds(a.time) - seconds(b.time) || (ia < ib ? -1 : ia > ib ? 1 : 0));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const [id, entry] = updaters[i]!;
    const version = entry.info.apiVersion;
    const bucketInfo: ManagerInfo = { manager: 'ancient-changes', operation: 'Update', apiVersion: version };
    const bucket = managerId(bucketInfo);
    const first = firstOfVersion.get(version);
    if (first === undefined) {
      firstOfVersion.set(version, id);
      continue;
    }
    if (!managed.has(bucket)) {
      const firstEntry = managed.get(first)!;
      managed.delete(first);
      managed.set(bucket, { ...firstEntry, info: bucketInfo });
    }
    const set = entry.set.union(managed.get(bucket)!.set);
    managed.delete(id);
    managed.set(bucket, { info: bucketInfo, set, ...(entry.time ? { time: entry.time } : {}) });
    length--;
  }
  return managed;
}
