// The ownership bookkeeping of structured-merge-diff's merge.Updater (Apply, Update, prune) plus
// the apiserver layers that always wrap it: stripping metadata that nobody owns, tracking a
// write's changes under a temporary manager, and skipping fields a (sub)resource resets.
import { FieldSet } from './field-set.js';
import { managerId } from './managed-fields.js';
import type { Managed, ManagerInfo } from './managed-fields.js';
import { fieldPE } from './path-element.js';
import type { ApplySchema } from './schema.js';
import { compareObjects, fieldSetOf, isSame, mergeObjects, removeItems } from './typed-value.js';
import type { Comparison } from './typed-value.js';

/** Fields never recorded as owned (stripMetaManager). */
const STRIPPED = FieldSet.fromPaths(
  [
    ['apiVersion'],
    ['kind'],
    ['metadata'],
    ['metadata', 'name'],
    ['metadata', 'namespace'],
    ['metadata', 'creationTimestamp'],
    ['metadata', 'selfLink'],
    ['metadata', 'uid'],
    ['metadata', 'clusterName'],
    ['metadata', 'generation'],
    ['metadata', 'managedFields'],
    ['metadata', 'resourceVersion'],
  ].map((p) => p.map(fieldPE)),
);

export function ignoredFields(schema: ApplySchema, subresource: string | undefined): FieldSet {
  const paths = schema.resetFields[subresource ?? ''] ?? [];
  return FieldSet.fromPaths(paths.map((p) => p.map(fieldPE)));
}

/** Conflicting fields per manager id. */
export type ConflictSets = Map<string, FieldSet>;

export type Outcome<T> = ({ ok: true } & T) | { ok: false; conflicts: ConflictSets };

/**
 * merge.Updater.update: every other manager loses the fields this write changed (a conflict
 * unless forced) and the fields it removed.
 */
function update(
  oldObj: unknown,
  newObj: unknown,
  managed: Managed,
  workflow: string,
  force: boolean,
  schema: ApplySchema,
  ignored: FieldSet,
): Outcome<{ managed: Managed; compare: Comparison }> {
  const raw = compareObjects(oldObj, newObj, schema.root);
  const compare: Comparison = {
    added: raw.added.recursiveDifference(ignored),
    modified: raw.modified.recursiveDifference(ignored),
    removed: raw.removed.recursiveDifference(ignored),
  };
  const changed = compare.modified.union(compare.added);
  const conflicts: ConflictSets = new Map();
  for (const [id, entry] of managed) {
    if (id === workflow) continue;
    const c = entry.set.intersection(changed);
    if (!c.isEmpty()) conflicts.set(id, c);
  }
  if (!force && conflicts.size > 0) return { ok: false, conflicts };
  const out: Managed = new Map();
  for (const [id, entry] of managed) {
    let set = entry.set;
    if (id !== workflow) set = set.difference(conflicts.get(id) ?? FieldSet.empty()).difference(compare.removed);
    if (!set.isEmpty()) out.set(id, { ...entry, set });
  }
  return { ok: true, managed: out, compare };
}

/**
 * Removes what the applier owned last time and no longer applies, unless some manager still owns
 * it (merge.Updater.prune with addBackOwnedItems and addBackDanglingItems).
 */
function prune(merged: unknown, managed: Managed, lastSet: FieldSet | undefined, schema: ApplySchema): unknown {
  if (!lastSet || lastSet.isEmpty()) return merged;
  const root = schema.root;
  const first = removeItems(merged, lastSet, root) ?? {};
  let owned = FieldSet.empty();
  for (const e of managed.values()) owned = owned.union(e.set);
  const mergedSet = fieldSetOf(merged, root);
  const ownedBack = removeItems(merged, mergedSet.difference(fieldSetOf(first, root).union(owned)), root) ?? {};
  const dangling = mergedSet.difference(fieldSetOf(ownedBack, root)).intersection(lastSet);
  return removeItems(merged, dangling, root) ?? {};
}

function strip(managed: Managed, id: string): void {
  const e = managed.get(id);
  if (!e) return;
  const set = e.set.difference(STRIPPED);
  if (set.isEmpty()) managed.delete(id);
  else managed.set(id, { ...e, set });
}

export interface WriteContext {
  readonly schema: ApplySchema;
  readonly subresource: string | undefined;
  readonly time: string;
}

/** A non-apply write: `info` gains the fields the write changed and keeps what it owned. */
export function applyUpdate(
  oldObj: unknown,
  newObj: unknown,
  managed: Managed,
  info: ManagerInfo,
  ctx: WriteContext,
): Managed {
  const self = 'current-operation';
  const ignored = ignoredFields(ctx.schema, ctx.subresource);
  const r = update(oldObj, newObj, managed, self, true, ctx.schema, ignored);
  if (!r.ok) return managed; // unreachable: forced updates cannot conflict
  const out = r.managed;
  const set = r.compare.modified.union(r.compare.added).difference(r.compare.removed).recursiveDifference(ignored);
  if (!set.isEmpty()) out.set(self, { info, set });
  strip(out, self);
  const cur = out.get(self);
  if (cur) {
    out.delete(self);
    const id = managerId(info);
    const prev = out.get(id);
    out.set(id, { info, set: prev ? cur.set.union(prev.set) : cur.set, time: ctx.time });
  }
  return out;
}

/** An apply: merges `config` into `live`, prunes what the applier dropped, and moves ownership. */
export function applyConfig(
  live: unknown,
  config: unknown,
  managed: Managed,
  info: ManagerInfo,
  force: boolean,
  ctx: WriteContext,
): Outcome<{ object: unknown; managed: Managed; changed: boolean }> {
  const ignored = ignoredFields(ctx.schema, ctx.subresource);
  const id = managerId(info);
  const working: Managed = new Map(managed);
  const merged = mergeObjects(live, config, ctx.schema.root);
  const previous = working.get(id);
  const set = fieldSetOf(config, ctx.schema.root).recursiveDifference(ignored);
  working.set(id, { info, set, ...(previous?.time ? { time: previous.time } : {}) });
  const pruned = prune(merged, working, previous?.set, ctx.schema);
  const r = update(live, pruned, working, id, force, ctx.schema, ignored);
  if (!r.ok) return r;
  strip(r.managed, id);
  const changed = !isSame(r.compare);
  const mine = r.managed.get(id);
  if (mine && changed) r.managed.set(id, { ...mine, time: ctx.time });
  return { ok: true, object: changed ? pruned : live, managed: r.managed, changed };
}
