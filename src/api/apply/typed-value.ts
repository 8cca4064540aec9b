// Walks over plain JSON objects guided by a schema, mirroring structured-merge-diff's typed
// package: ToFieldSet, Compare, Merge and RemoveItems. Absent and null values are the same here.
import { defineMember } from '../patch/json-value.js';
import { FieldSet } from './field-set.js';
import { fieldPE, indexPE, keyPE, valuePE } from './path-element.js';
import type { PathElement } from './path-element.js';
import { fieldNode, isObject, isZero, shapeOf } from './schema.js';
import type { SchemaNode } from './schema.js';

type Json = unknown;
type Obj = Record<string, Json>;

function present(v: Json): boolean {
  return v !== undefined && v !== null;
}

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => present(a[k]));
    const kb = Object.keys(b).filter((k) => present(b[k]));
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** The path element of a list item: its key fields, its value (sets), or its index. */
export function listItemPE(node: SchemaNode, item: Json, index: number): PathElement {
  if (node.type !== 'list') return indexPE(index);
  if (node.listType === 'map' && isObject(item)) {
    const key: Obj = {};
    for (const k of node.keys ?? []) {
      if (present(item[k])) key[k] = item[k];
      else if (node.keyDefaults?.[k] !== undefined) key[k] = node.keyDefaults[k];
    }
    return keyPE(key);
  }
  if (node.listType === 'set') return valuePE(item);
  return indexPE(index);
}

function elementOf(node: SchemaNode): SchemaNode {
  return node.type === 'list' ? node.element : node;
}

function entries(v: Json): [string, Json][] {
  return isObject(v) ? Object.entries(v).filter(([, x]) => present(x)) : [];
}

function items(node: SchemaNode, v: Json): [PathElement, Json][] {
  return Array.isArray(v) ? v.map((x, i) => [listItemPE(node, x, i), x]) : [];
}

/** The fields a value specifies (TypedValue.ToFieldSet). */
export function fieldSetOf(value: Json, node: SchemaNode): FieldSet {
  const set = FieldSet.empty();
  walkSet(set, [], value, node);
  return set;
}

function walkSet(set: FieldSet, path: PathElement[], v: Json, node: SchemaNode): void {
  if (!present(v)) return;
  switch (shapeOf(node, v)) {
    case 'leaf':
      set.insert(path);
      return;
    case 'struct':
      for (const [k, x] of entries(v)) walkSet(set, [...path, fieldPE(k)], x, fieldNode(node, k));
      return;
    case 'map':
      for (const [k, x] of entries(v)) {
        const p = [...path, fieldPE(k)];
        walkSet(set, p, x, fieldNode(node, k));
        set.insert(p);
      }
      return;
    case 'list':
      for (const [pe, x] of items(node, v)) {
        const p = [...path, pe];
        walkSet(set, p, x, elementOf(node));
        set.insert(p);
      }
  }
}

export interface Comparison {
  readonly added: FieldSet;
  readonly modified: FieldSet;
  readonly removed: FieldSet;
}

export function isSame(c: Comparison): boolean {
  return c.added.isEmpty() && c.modified.isEmpty() && c.removed.isEmpty();
}

/** What changed from `lhs` to `rhs` (TypedValue.Compare). */
export function compareObjects(lhs: Json, rhs: Json, node: SchemaNode): Comparison {
  const c = { added: FieldSet.empty(), modified: FieldSet.empty(), removed: FieldSet.empty() };
  walkCompare(c, [], present(lhs) ? lhs : {}, present(rhs) ? rhs : {}, node);
  return c;
}

function isEmptyContainer(v: Json): boolean {
  return !present(v) || (Array.isArray(v) && v.length === 0) || (isObject(v) && entries(v).length === 0);
}

function walkCompare(c: Comparison, path: PathElement[], l: Json, r: Json, node: SchemaNode): void {
  // A non-pointer struct is never absent upstream (Go always serializes it).
  if (isZero(node)) {
    const empty = node.type === 'list' ? [] : {};
    if (!present(l)) l = empty;
    if (!present(r)) r = empty;
  }
  const ls = present(l) ? shapeOf(node, l) : undefined;
  const rs = present(r) ? shapeOf(node, r) : undefined;
  const shape = ls ?? rs ?? 'leaf';
  if (shape === 'leaf' || (ls && rs && ls !== rs) || (isEmptyContainer(l) && isEmptyContainer(r))) {
    if (!present(l)) c.added.insert(path);
    else if (!present(r)) c.removed.insert(path);
    else if (!deepEqual(l, r)) c.modified.insert(path);
    return;
  }
  if (shape === 'list') {
    const lm = new Map(items(node, l).reverse());
    const rm = new Map(items(node, r).reverse());
    const all = new Set([...lm.keys(), ...rm.keys()]);
    for (const pe of all) walkCompare(c, [...path, pe], lm.get(pe), rm.get(pe), elementOf(node));
  } else {
    const keys = new Set([...entries(l).map(([k]) => k), ...entries(r).map(([k]) => k)]);
    for (const k of keys) {
      walkCompare(c, [...path, fieldPE(k)], (l as Obj | undefined)?.[k], (r as Obj | undefined)?.[k], fieldNode(node, k));
    }
  }
  if (path.length > 0 && !isZero(node)) {
    if (!present(l)) c.added.insert(path);
    else if (!present(r)) c.removed.insert(path);
  }
}

/** Merges an applied configuration into a live object (TypedValue.Merge): the configuration wins. */
export function mergeObjects(lhs: Json, rhs: Json, node: SchemaNode): Json {
  if (!present(rhs)) return structuredClone(lhs);
  if (!present(lhs)) return structuredClone(rhs);
  const ls = shapeOf(node, lhs);
  if (ls === 'leaf' || ls !== shapeOf(node, rhs)) return structuredClone(rhs);
  if (ls === 'list') return mergeList(lhs as Json[], rhs as Json[], node);
  // Own reads and writes: member names are user data ("__proto__" included).
  const out: Obj = {};
  for (const [k, v] of Object.entries(lhs as Obj)) defineMember(out, k, structuredClone(v));
  for (const [k, v] of entries(rhs)) defineMember(out, k, mergeObjects(Object.hasOwn(lhs as Obj, k) ? (lhs as Obj)[k] : undefined, v, fieldNode(node, k)));
  return out;
}

/**
 * Merges associative lists keeping the live order for items only it has, and the configuration's
 * order for items both have, as mergingWalker.visitListItems does.
 */
function mergeList(l: Json[], r: Json[], node: SchemaNode): Json[] {
  const el = elementOf(node);
  const lPE = l.map((x, i) => listItemPE(node, x, i));
  const rPE = r.map((x, i) => listItemPE(node, x, i));
  const lMap = new Map<PathElement, Json>();
  l.forEach((x, i) => lMap.has(lPE[i]!) || lMap.set(lPE[i]!, x));
  const rMap = new Map<PathElement, Json>();
  r.forEach((x, i) => rMap.has(rPE[i]!) || rMap.set(rPE[i]!, x));
  const shared = [...new Set(rPE.filter((pe) => lMap.has(pe)))];
  let nextShared = shared.shift();
  const done = new Set<PathElement>();
  const out: Json[] = [];
  let li = 0;
  let ri = 0;
  while (li < l.length || ri < r.length) {
    if (li < l.length && ri < r.length) {
      const pe = lPE[li]!;
      if (pe === rPE[ri]) {
        if (!done.has(pe)) out.push(mergeObjects(lMap.get(pe), rMap.get(pe), el));
        done.add(pe);
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      if (rMap.has(pe) && nextShared !== undefined && nextShared !== pe) {
        li++; // a shared item whose turn has not come: the configuration places it
        continue;
      }
    }
    if (li < l.length) {
      const pe = lPE[li]!;
      if (!rMap.has(pe)) {
        out.push(structuredClone(l[li]));
        li++;
        continue;
      }
      if (done.has(pe)) {
        li++;
        continue;
      }
    }
    if (ri < r.length) {
      const pe = rPE[ri]!;
      if (!done.has(pe)) out.push(mergeObjects(lMap.get(pe), rMap.get(pe), el));
      done.add(pe);
      ri++;
      if (nextShared === pe) nextShared = shared.shift();
    }
  }
  return out;
}

/**
 * Removes the members of `set` (with everything below them) from a value (TypedValue.RemoveItems).
 * Maps and lists left empty disappear; non-pointer structs stay as `{}`.
 */
export function removeItems(value: Json, set: FieldSet, node: SchemaNode): Json {
  if (!present(value) || set.isEmpty()) return structuredClone(value);
  const shape = shapeOf(node, value);
  if (shape === 'leaf') return structuredClone(value);
  if (shape === 'list') {
    const out: Json[] = [];
    for (const [pe, item] of items(node, value)) {
      if (set.hasMember(pe)) continue;
      const sub = set.withPrefix(pe);
      out.push(sub.isEmpty() ? structuredClone(item) : removeItems(item, sub, elementOf(node)));
    }
    return out.length > 0 ? out : undefined;
  }
  const out: Obj = {};
  for (const [k, v] of Object.entries(value as Obj)) {
    const pe = fieldPE(k);
    if (set.hasMember(pe)) continue;
    const sub = set.withPrefix(pe);
    const child = fieldNode(node, k);
    const nv = sub.isEmpty() ? structuredClone(v) : removeItems(v, sub, child);
    if (nv !== undefined) defineMember(out, k, nv);
    else if (isZero(child)) defineMember(out, k, child.type === 'list' ? [] : {});
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
