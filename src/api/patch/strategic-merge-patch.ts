// Kubernetes strategic merge patch (application/strategic-merge-patch+json), following
// k8s.io/apimachinery/pkg/util/strategicpatch StrategicMergeMapPatch (mergeMap with
// MergeParallelList and IgnoreUnmatchedNulls), as `kubectl apply` (client-side), `kubectl patch`
// and `kubectl edit` send it.
//
// Deliberate differences, all for inputs the typed apiserver would reject or mangle while
// decoding into Go structs (we store plain JSON, so stray directives would persist):
//  - a value landing where the original has nothing (or a value of another type) has its
//    directives applied instead of being copied raw, so no `$patch`, `$setElementOrder/…`,
//    `{$patch: delete}` elements or nulls end up stored;
//  - `$deleteFromPrimitiveList/x` against a missing `x` is a no-op (upstream stores the deletion
//    list itself as `x`);
//  - keys are processed in the patch's order (Go iterates maps randomly);
//  - empty lists on both sides of a `$setElementOrder` are accepted (Go objects omit them).
import type { StatusError } from '../errors.js';
import { isJsonMap, cloneJson, newMap, toPlainJson, type JsonMap } from './json-value.js';
import { jsonKind } from './go-format.js';
import { badPatch } from './patch-errors.js';
import { fieldMeta, mergeStrategyOf, type PatchMeta, type PatchSchema } from './patch-meta.js';
import { DELETE_FROM_PRIMITIVE_LIST_PREFIX, SET_ELEMENT_ORDER_PREFIX, MAP_TYPE, SLICE_TYPE, smpErrors } from './smp-errors.js';
import {
  extractToDeleteItems,
  findByMergeKey,
  normalizeElementOrder,
  partitionByPresence,
  type ElementKind,
} from './smp-order.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';

type ValueType = 'map' | 'list' | 'string' | 'number' | 'boolean' | 'nil';

function valueType(v: unknown): ValueType {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'map';
  return typeof v as 'string' | 'number' | 'boolean';
}

/** sliceElementType: every element of every list must share one type, and none be a list. */
function elementKind(...lists: readonly unknown[][]): ElementKind | undefined {
  let prev: ValueType | undefined;
  for (const list of lists) {
    for (const v of list) {
      const t = valueType(v);
      if (prev === undefined) {
        if (t === 'list') throw smpErrors.noListOfLists();
        prev = t;
      } else if (prev !== t) {
        throw smpErrors.elementTypesDiffer(lists);
      }
    }
  }
  if (prev === undefined) return undefined;
  return prev === 'map' ? 'map' : 'scalar';
}

/** extractKey: the field name after "<prefix>/". */
function extractKey(key: string, prefix: string, err: () => StatusError): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw err();
  return key.slice(slash + 1);
}

/** deduplicateScalars keeps the first occurrence (order is normalized afterwards anyway). */
function dedupeScalars(list: readonly unknown[]): unknown[] {
  return [...new Set(list)];
}

/** A value that lands where the original has nothing comparable: apply its directives to empty. */
function applyToNothing(value: unknown, meta: PatchMeta | undefined): unknown {
  if (isJsonMap(value)) return mergeMap(newMap(), value, meta);
  if (Array.isArray(value) && mergeStrategyOf(meta) === 'merge') return mergeSlice([], value, meta, false);
  return value;
}

function mergeMap(original: JsonMap, patch: JsonMap, meta: PatchMeta | undefined): JsonMap {
  if (DIRECTIVE in patch) {
    const directive = patch[DIRECTIVE];
    if (directive === 'replace') {
      delete patch[DIRECTIVE];
      return patch;
    }
    if (directive === 'delete') return newMap();
    throw smpErrors.badPatchType(directive, patch);
  }
  applyRetainKeysDirective(original, patch);
  mergePatchIntoOriginal(original, patch, meta);

  for (const [rawKey, patchV] of Object.entries(patch)) {
    let key = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
      key = extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX, smpErrors.badPatchFormatForPrimitiveList);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete original[key]; // a null of an unmatched key is ignored (IgnoreUnmatchedNulls)
      continue;
    }
    const childMeta = fieldMeta(meta, key);
    if (!(key in original)) {
      if (!isDeleteList) original[key] = applyToNothing(patchV, childMeta);
      continue;
    }
    const cur = original[key];
    const t = valueType(cur);
    if (t !== valueType(patchV)) {
      original[key] = isDeleteList ? patchV : applyToNothing(patchV, childMeta);
      continue;
    }
    const strategy = mergeStrategyOf(childMeta);
    if (t === 'map') {
      original[key] = strategy === 'replace' ? patchV : mergeMap(cur as JsonMap, patchV as JsonMap, childMeta);
    } else if (t === 'list') {
      original[key] = strategy === 'merge' ? mergeSlice(cur as unknown[], patchV as unknown[], childMeta, isDeleteList) : patchV;
    } else {
      original[key] = patchV;
    }
  }
  return original;
}

/** $retainKeys: drop original keys not listed; every non-null patch key must be listed. */
function applyRetainKeysDirective(original: JsonMap, patch: JsonMap): void {
  if (!(RETAIN_KEYS in patch)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw smpErrors.badPatchFormatForRetainKeys();
  const keep = new Set<unknown>(retain);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || k.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    if (!keep.has(k)) throw smpErrors.badPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isJsonMap(left)) throw smpErrors.badArgType(MAP_TYPE, left);
  if (!isJsonMap(right)) throw smpErrors.badArgType(MAP_TYPE, right);
  if (!(mergeKey in left)) throw smpErrors.noMergeKey(left, mergeKey);
  if (!(mergeKey in right)) throw smpErrors.noMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

/** The patch list must name its (non-deleted) items in the relative order of $setElementOrder. */
function validatePatchWithSetOrderList(patchList: readonly unknown[], setOrder: readonly unknown[], mergeKey: string): void {
  if (setOrder.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? extractToDeleteItems(patchList)[0] : patchList;
  let p = 0;
  let s = 0;
  while (p < items.length && s < setOrder.length) {
    const item = items[p];
    if (isJsonMap(item) && DIRECTIVE in item) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(item, setOrder[s], mergeKey)) p++;
    s++;
  }
  if (p < items.length && s >= setOrder.length) throw smpErrors.orderMismatch(patchList, setOrder);
}

/** Processes every `$setElementOrder/<field>` with its patch list, then fixes the final order. */
function mergePatchIntoOriginal(original: JsonMap, patch: JsonMap, meta: PatchMeta | undefined): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    const setOrder = patch[key];
    delete patch[key];
    if (!Array.isArray(setOrder)) throw smpErrors.badArgType(SLICE_TYPE, setOrder);
    const field = extractKey(key, SET_ELEMENT_ORDER_PREFIX, smpErrors.badPatchFormatForSetElementOrderList);
    const foundOriginal = field in original;
    const foundPatch = field in patch;
    const originalList = foundOriginal ? original[field] : [];
    const patchList = foundPatch ? patch[field] : [];
    if (!Array.isArray(originalList)) throw smpErrors.badArgType(SLICE_TYPE, originalList);
    if (!Array.isArray(patchList)) throw smpErrors.badArgType(SLICE_TYPE, patchList);
    if (!foundOriginal && !foundPatch) continue;

    const childMeta = fieldMeta(meta, field);
    const strategy = mergeStrategyOf(childMeta);
    if (strategy !== 'merge') {
      // Not a merging list (unknown field or kind): the order directive has nothing to order.
      if (foundPatch) original[field] = patchList;
      delete patch[field];
      continue;
    }
    const mergeKey = childMeta?.mergeKey ?? '';
    validatePatchWithSetOrderList(patchList, setOrder, mergeKey);

    let merged: unknown[];
    if (foundOriginal && foundPatch) merged = mergeSlice(originalList, patchList, childMeta, false);
    else if (foundPatch) merged = mergeSlice([], patchList, childMeta, false);
    else merged = originalList;

    const kind = elementKind(originalList, patchList);
    if (kind !== undefined) {
      const [patchItems, serverOnly] = partitionByPresence(merged, setOrder, mergeKey);
      merged = normalizeElementOrder(patchItems, serverOnly, setOrder, originalList, mergeKey, kind);
    }
    original[field] = merged;
    delete patch[field];
  }
}

/** Lists with patchStrategy merge: scalars union (or delete), maps merge by key. */
function mergeSlice(original: unknown[], patch: unknown[], meta: PatchMeta | undefined, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch)!;
  const mergeKey = kind === 'map' ? (meta?.mergeKey ?? '') : '';
  let merged: unknown[];
  if (kind !== 'map') {
    if (isDeleteList) {
      const gone = new Set(patch);
      return original.filter((v) => !gone.has(v));
    }
    merged = dedupeScalars([...original, ...patch]);
  } else {
    if (!mergeKey) throw smpErrors.noMergeKeyDeclared();
    const special = mergeSliceWithSpecialElements(original, patch, mergeKey);
    if (special.replace) {
      // `$patch: replace` inside the list: the remaining patch items are the whole list.
      original = special.plain.map((v) => mergeMap(newMap(), v as JsonMap, meta));
      patch = [];
    } else {
      original = special.original;
      patch = special.plain;
    }
    merged = mergeSliceWithoutSpecialElements(original, patch, mergeKey, meta);
  }
  const [patchItems, serverOnly] = partitionByPresence(merged, patch, mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind);
}

/** `{$patch: delete, key: v}` removes every match; `{$patch: replace}` drops the original list. */
function mergeSliceWithSpecialElements(
  original: unknown[],
  patch: readonly unknown[],
  mergeKey: string,
): { original: unknown[]; plain: unknown[]; replace: boolean } {
  const plain: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const m = v as JsonMap;
    if (!(DIRECTIVE in m)) {
      plain.push(v);
      continue;
    }
    const directive = m[DIRECTIVE];
    if (directive === 'delete') {
      if (!(mergeKey in m)) throw smpErrors.noMergeKey(m, mergeKey);
      for (let k = findByMergeKey(original, mergeKey, m[mergeKey]); k >= 0; k = findByMergeKey(original, mergeKey, m[mergeKey])) {
        original = [...original.slice(0, k), ...original.slice(k + 1)];
      }
    } else if (directive === 'replace') {
      replace = true; // keep scanning so other directives are still checked and pruned
    } else if (directive === 'merge') {
      throw smpErrors.mergeDirectiveInList();
    } else {
      throw smpErrors.badPatchType(directive, m);
    }
  }
  return { original, plain, replace };
}

function mergeSliceWithoutSpecialElements(original: unknown[], patch: readonly unknown[], mergeKey: string, meta: PatchMeta | undefined): unknown[] {
  const out = [...original];
  for (const v of patch) {
    const m = v as JsonMap;
    if (!(mergeKey in m)) throw smpErrors.noMergeKey(m, mergeKey);
    const k = findByMergeKey(out, mergeKey, m[mergeKey]);
    if (k >= 0) out[k] = mergeMap(out[k] as JsonMap, m, meta);
    else out.push(mergeMap(newMap(), m, meta));
  }
  return out;
}

/**
 * Applies a strategic merge patch to a copy of `original`. `schema` gives the patch strategies
 * (see patchMetaFor). Errors are StatusErrors shaped like the apiserver's.
 */
export function applyStrategicMergePatch(original: Readonly<JsonMap>, patch: unknown, schema: PatchSchema): JsonMap {
  if (patch === null) return toPlainJson(original) as JsonMap;
  if (!isJsonMap(patch)) {
    throw badPatch(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`);
  }
  return toPlainJson(mergeMap(cloneJson(original) as JsonMap, cloneJson(patch), schema));
}
