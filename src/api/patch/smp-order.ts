// Element order of merged lists, after upstream's normalizeElementOrder/mergeSortedSlice
// (design: community/contributors/design-proposals/cli/preserve-order-in-strategic-merge-patch.md).
// Items named by the patch (or by $setElementOrder) take the patch's order; items only the
// server has keep their relative server order and are slotted in front of the first patch item
// that the server ordered after them. Patch items the server never had therefore come *before*
// the remaining server-only items: a patch adding container "b" to [a] yields [b, a] unless it
// carries `$setElementOrder/containers: [{name: a}, {name: b}]`, as kubectl's patches always do.
import { isJsonMap, type JsonMap } from './json-value.js';
import { MAP_TYPE, smpErrors } from './smp-errors.js';

export type ElementKind = 'map' | 'scalar';

/** The value `index` compares: the merge key of a map (nil when missing), else the item. */
function orderKey(item: unknown, mergeKey: string, kind: ElementKind): unknown {
  if (kind !== 'map') return item;
  return isJsonMap(item) ? (item[mergeKey] ?? null) : null;
}

/** Position of `item` in `list`, comparing merge keys for maps; -1 when absent. */
export function indexIn(list: readonly unknown[], item: unknown, mergeKey: string, kind: ElementKind): number {
  const want = orderKey(item, mergeKey, kind);
  return list.findIndex((v) => orderKey(v, mergeKey, kind) === want);
}

function validateMergeKeyInLists(mergeKey: string, ...lists: readonly unknown[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isJsonMap(item)) throw smpErrors.badArgType(MAP_TYPE, item);
      if (!(mergeKey in item)) throw smpErrors.noMergeKey(item, mergeKey);
    }
  }
}

/** Splits off `{$patch: delete}` items, which sort to the end. */
export function extractToDeleteItems(list: readonly unknown[]): [unknown[], unknown[]] {
  const keep: unknown[] = [];
  const toDelete: unknown[] = [];
  for (const v of list) {
    if (!isJsonMap(v)) throw smpErrors.badArgType(MAP_TYPE, v);
    if (v['$patch'] === 'delete') toDelete.push(v);
    else keep.push(v);
  }
  return [keep, toDelete];
}

/**
 * normalizeSliceOrder: stable sort by position in `order`. Upstream's comparator treats pairs it
 * cannot place as "less"; every caller here only sorts items present in `order`.
 */
function normalizeSliceOrder(toSort: readonly unknown[], order: readonly unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  let items = [...toSort];
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, items, [...order]);
    [items, toDelete] = extractToDeleteItems(items);
  }
  const pos = new Map(items.map((item) => [item, indexIn(order, item, mergeKey, kind)]));
  const sorted = items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => {
      const pa = pos.get(a.item)!;
      const pb = pos.get(b.item)!;
      if (pa >= 0 && pb >= 0 && pa !== pb) return pa - pb;
      return a.i - b.i;
    })
    .map((x) => x.item);
  return [...sorted, ...toDelete];
}

/** mergeSortedSlice: interleave server-only items (left) into patch items (right). */
function mergeSortedSlice(left: readonly unknown[], right: readonly unknown[], serverOrder: readonly unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const li = indexIn(serverOrder, left[i], mergeKey, kind);
    const ri = indexIn(serverOrder, right[j], mergeKey, kind);
    if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
    else out.push(right[j++]);
  }
  return [...out, ...left.slice(i), ...right.slice(j)];
}

export function normalizeElementOrder(
  patchItems: readonly unknown[],
  serverOnly: readonly unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const patchSorted = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind);
  const serverSorted = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(serverSorted, patchSorted, serverOrder, mergeKey, kind);
}

/** Splits `merged` into items present in `partitionBy` (by merge key, or by value) and the rest. */
export function partitionByPresence(merged: readonly unknown[], partitionBy: readonly unknown[], mergeKey: string): [unknown[], unknown[]] {
  const present: unknown[] = [];
  const serverOnly: unknown[] = [];
  if (!mergeKey) {
    const inPatch = new Set(partitionBy);
    for (const v of merged) (inPatch.has(v) ? present : serverOnly).push(v);
    return [present, serverOnly];
  }
  for (const v of merged) {
    if (!isJsonMap(v)) throw smpErrors.badArgType(MAP_TYPE, v);
    if (!(mergeKey in v)) throw smpErrors.noMergeKey(v, mergeKey);
    (findByMergeKey(partitionBy, mergeKey, v[mergeKey]) >= 0 ? present : serverOnly).push(v);
  }
  return [present, serverOnly];
}

/** findMapInSliceBasedOnKeyValue: index of the first map whose merge key equals `value`. */
export function findByMergeKey(list: readonly unknown[], mergeKey: string, value: unknown): number {
  for (let k = 0; k < list.length; k++) {
    const item = list[k];
    if (!isJsonMap(item)) throw smpErrors.notAMap(k);
    if (mergeKey in item && (item as JsonMap)[mergeKey] === value) return k;
  }
  return -1;
}
