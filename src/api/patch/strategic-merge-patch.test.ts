// Cases from upstream's strategicpatch/patch_test.go (customStrategicMergePatchTestCaseData,
// createStrategicMergePatchTestCaseData and the raw cases), applied to the MergeItem test type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../errors.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import type { PatchMeta } from './patch-meta.js';

// MergeItem from patch_test.go, as patch metadata (recursive: list elements are MergeItems).
const mergeItemFields: Record<string, PatchMeta> = {};
const mergeItem: PatchMeta = { fields: mergeItemFields };
Object.assign(mergeItemFields, {
  mergingList: { strategies: ['merge'], mergeKey: 'name', fields: mergeItemFields },
  nonMergingList: { fields: mergeItemFields },
  mergingIntList: { strategies: ['merge'] },
  nonMergingIntList: {},
  mergeItemPtr: { strategies: ['merge'], mergeKey: 'name', fields: mergeItemFields },
  simpleMap: {},
  replacingItem: { strategies: ['replace'] },
  retainKeysMap: {
    strategies: ['retainKeys'],
    fields: {
      mergingIntList: { strategies: ['merge'] },
      mergingList: { strategies: ['merge'], mergeKey: 'name', fields: mergeItemFields },
    },
  },
  retainKeysMergingList: { strategies: ['merge', 'retainKeys'], mergeKey: 'name', fields: mergeItemFields },
} satisfies Record<string, PatchMeta>);

interface Case {
  name: string;
  original: Record<string, unknown>;
  patch: unknown;
  result: Record<string, unknown>;
}

const cases: Case[] = [
  // --- customStrategicMergePatchTestCaseData (two-way patches applied to original) ---
  { name: 'unique scalars when merging lists', original: { mergingIntList: [1, 2] }, patch: { mergingIntList: [2, 3] }, result: { mergingIntList: [1, 2, 3] } },
  { name: 'delete map from nested map', original: { simpleMap: { key1: 1, key2: 1 } }, patch: { simpleMap: { $patch: 'delete' } }, result: { simpleMap: {} } },
  { name: 'delete all items from merging list', original: { mergingList: [{ name: 1 }, { name: 2 }] }, patch: { mergingList: [{ $patch: 'replace' }] }, result: { mergingList: [] } },
  { name: 'merge empty merging lists', original: { mergingList: [] }, patch: { mergingList: [] }, result: { mergingList: [] } },
  { name: 'delete all keys from map', original: { name: 1, value: 1 }, patch: { $patch: 'replace' }, result: {} },
  { name: 'add key and delete all keys from map', original: { name: 1, value: 1 }, patch: { other: 'a', $patch: 'replace' }, result: { other: 'a' } },
  {
    name: 'delete all duplicate entries in a merging list',
    original: { mergingList: [{ name: 1 }, { name: 1 }, { name: 2, value: 'a' }, { name: 3 }, { name: 3 }] },
    patch: { mergingList: [{ name: 1, $patch: 'delete' }, { name: 1, $patch: 'delete' }, { name: 3, $patch: 'delete' }, { name: 3, $patch: 'delete' }] },
    result: { mergingList: [{ name: 2, value: 'a' }] },
  },
  { name: 'retainKeys map can add a field when no retainKeys directive present', original: { retainKeysMap: { name: 'foo' } }, patch: { retainKeysMap: { value: 'bar' } }, result: { retainKeysMap: { name: 'foo', value: 'bar' } } },
  { name: 'retainKeys map can change a field when no retainKeys directive present', original: { retainKeysMap: { name: 'foo', value: 'a' } }, patch: { retainKeysMap: { value: 'b' } }, result: { retainKeysMap: { name: 'foo', value: 'b' } } },
  { name: 'retainKeys map can delete a field when no retainKeys directive present', original: { retainKeysMap: { name: 'foo', value: 'a' } }, patch: { retainKeysMap: { value: null } }, result: { retainKeysMap: { name: 'foo' } } },
  { name: 'retainKeys map merge an empty map', original: { retainKeysMap: { name: 'foo', value: 'a' } }, patch: { retainKeysMap: {} }, result: { retainKeysMap: { name: 'foo', value: 'a' } } },
  {
    name: 'retainKeys list can add a field when no retainKeys directive present',
    original: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo' }] },
    patch: { retainKeysMergingList: [{ name: 'foo', value: 'a' }] },
    result: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a' }] },
  },
  {
    name: 'retainKeys list can delete a field when no retainKeys directive present',
    original: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a' }] },
    patch: { retainKeysMergingList: [{ name: 'foo', value: null }] },
    result: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo' }] },
  },
  {
    name: 'preserve the order from the patch in a merging list',
    original: { mergingList: [{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }] },
    patch: { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }, { name: 2, other: 'x' }] },
    result: { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }, { name: 2, value: 'b', other: 'x' }] },
  },
  {
    name: 'preserve the order from the patch in a merging list 2',
    original: { mergingList: [{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }] },
    patch: { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }] },
    result: { mergingList: [{ name: 2, value: 'b' }, { name: 3, value: 'c' }, { name: 1, value: 'a' }] },
  },
  { name: 'preserve the order from the patch in a merging int list', original: { mergingIntList: [1, 2, 3] }, patch: { mergingIntList: [3, 1, 2] }, result: { mergingIntList: [3, 1, 2] } },
  { name: 'preserve the order from the patch in a merging int list 2', original: { mergingIntList: [1, 2, 3] }, patch: { mergingIntList: [3, 1] }, result: { mergingIntList: [2, 3, 1] } },
  {
    name: '$setElementOrder contains item that is not present in the list to be merged',
    original: { mergingList: [{ name: 1 }, { name: 3 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 3 }, { name: 2 }, { name: 1 }], mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
    result: { mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
  },
  {
    name: '$setElementOrder contains item that is not present in the int list to be merged',
    original: { mergingIntList: [1, 3] },
    patch: { '$setElementOrder/mergingIntList': [3, 2, 1] },
    result: { mergingIntList: [3, 1] },
  },
  // --- createStrategicMergePatchTestCaseData (three-way patches applied to current) ---
  { name: 'add field to map', original: { name: 1, other: 'a' }, patch: { value: 1 }, result: { name: 1, other: 'a', value: 1 } },
  { name: 'add field and delete field from map', original: { name: 1, other: 'a' }, patch: { name: null, value: 1 }, result: { other: 'a', value: 1 } },
  {
    name: 'delete field from nested map',
    original: { simpleMap: { key1: 1, key2: 1, other: 'a' } },
    patch: { simpleMap: { key2: null } },
    result: { simpleMap: { key1: 1, other: 'a' } },
  },
  { name: 'replace list of scalars with conflict', original: { nonMergingIntList: [1, 4] }, patch: { nonMergingIntList: [2, 3] }, result: { nonMergingIntList: [2, 3] } },
  {
    name: 'delete all maps from merging list with conflict',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, other: 'b' }] },
    patch: { mergingList: [{ name: 1, $patch: 'delete' }, { name: 2, $patch: 'delete' }] },
    result: { mergingList: [] },
  },
  {
    name: 'delete all maps from empty merging list',
    original: { mergingList: [] },
    patch: { mergingList: [{ name: 1, $patch: 'delete' }, { name: 2, $patch: 'delete' }] },
    result: { mergingList: [] },
  },
  {
    name: 'defined null values should propagate overwrite current fields (with conflict)',
    original: { name: 'a', other: 'a' },
    patch: { name: 1, value: 1, other: null },
    result: { name: 1, value: 1 },
  },
  {
    name: 'delete items in lists of scalars',
    original: { mergingIntList: [1, 2, 3, 4] },
    patch: { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] },
    result: { mergingIntList: [1, 2, 4] },
  },
  {
    name: 'delete all duplicate items in lists of scalars',
    original: { mergingIntList: [1, 2, 3, 3, 4] },
    patch: { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] },
    result: { mergingIntList: [1, 2, 4] },
  },
  {
    name: 'add and delete items in lists of scalars',
    original: { mergingIntList: [1, 2, 3] },
    patch: { '$setElementOrder/mergingIntList': [1, 2, 4], '$deleteFromPrimitiveList/mergingIntList': [3], mergingIntList: [4] },
    result: { mergingIntList: [1, 2, 4] },
  },
  {
    name: 'merge lists of maps',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 4 }, { name: 1 }, { name: 2 }, { name: 3 }],
      mergingList: [{ name: 4, value: 4 }, { name: 3, value: 3 }],
    },
    result: { mergingList: [{ name: 4, value: 4 }, { name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }, { name: 3, value: 3 }] },
  },
  {
    name: 'merge lists of maps with conflict',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 3, other: 'b' }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }, { name: 3 }],
      mergingList: [{ name: 2, value: 2 }, { name: 3, value: 3 }],
    },
    result: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }, { name: 3, value: 3 }] },
  },
  {
    name: 'add field to map in merging list',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }], mergingList: [{ name: 1, value: 1 }] },
    result: { mergingList: [{ name: 1, other: 'a', value: 1 }, { name: 2, value: 2, other: 'b' }] },
  },
  {
    name: 'add map and delete map from merging list',
    original: { mergingList: [{ name: 1 }, { name: 2, other: 'b' }, { name: 4, other: 'c' }] },
    patch: { mergingList: [{ name: 1, $patch: 'delete' }, { name: 3 }] },
    // no $setElementOrder: the new item goes before the server-only ones
    result: { mergingList: [{ name: 3 }, { name: 2, other: 'b' }, { name: 4, other: 'c' }] },
  },
  {
    name: 'retainKeys directive clears unlisted keys of a map',
    original: { retainKeysMap: { name: 'foo', value: 'a', other: 'x' } },
    patch: { retainKeysMap: { $retainKeys: ['name', 'value'], value: 'b' } },
    result: { retainKeysMap: { name: 'foo', value: 'b' } },
  },
  {
    name: 'retainKeys directive inside a merging list element',
    original: { retainKeysMergingList: [{ name: 'foo', value: 'a', other: 'x' }, { name: 'bar', other: 'y' }] },
    patch: { retainKeysMergingList: [{ $retainKeys: ['name', 'other'], name: 'foo', other: 'z', value: null }] },
    result: { retainKeysMergingList: [{ name: 'foo', other: 'z' }, { name: 'bar', other: 'y' }] },
  },
  { name: 'replace strategy replaces a map', original: { replacingItem: { a: 1, b: 2 } }, patch: { replacingItem: { c: 3 } }, result: { replacingItem: { c: 3 } } },
  { name: 'non-merging list of maps is replaced', original: { nonMergingList: [{ name: 1, value: 1 }] }, patch: { nonMergingList: [{ name: 2 }] }, result: { nonMergingList: [{ name: 2 }] } },
  { name: 'nested merging list inside a merging list element', original: { mergingList: [{ name: 1, mergingList: [{ name: 'a' }] }] }, patch: { mergingList: [{ name: 1, mergingList: [{ name: 'b' }] }] }, result: { mergingList: [{ name: 1, mergingList: [{ name: 'b' }, { name: 'a' }] }] } },
  { name: 'null patch leaves the object alone', original: { name: 1 }, patch: null, result: { name: 1 } },
  { name: 'type change replaces the value', original: { simpleMap: { a: 1 } }, patch: { simpleMap: 'x' }, result: { simpleMap: 'x' } },
  { name: 'new map value has its directives applied', original: {}, patch: { simpleMap: { a: null, b: 1, $retainKeys: ['b'] } }, result: { simpleMap: { b: 1 } } },
  { name: 'deleting from a missing primitive list is a no-op', original: {}, patch: { '$deleteFromPrimitiveList/mergingIntList': [1] }, result: {} },
  { name: 'deleting a primitive list with null removes it', original: { mergingIntList: [1] }, patch: { '$deleteFromPrimitiveList/mergingIntList': null }, result: {} },
];

for (const c of cases) {
  test(`strategic merge patch: ${c.name}`, () => {
    const original = structuredClone(c.original);
    const patch = structuredClone(c.patch);
    assert.deepEqual(applyStrategicMergePatch(original, patch, mergeItem), c.result);
    assert.deepEqual(original, c.original, 'original must not be mutated');
    assert.deepEqual(patch, c.patch, 'patch must not be mutated');
  });
}

interface ErrorCase {
  name: string;
  original: Record<string, unknown>;
  patch: unknown;
  code: number;
  reason: string;
  message: string | RegExp;
}

const errorCases: ErrorCase[] = [
  {
    name: 'order in $setElementOrder and patch list must match (maps)',
    original: { mergingList: [{ name: 1 }, { name: 3 }, { name: 2 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }, { name: 3 }], mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
    code: 500,
    reason: '',
    message: "The order in patch list:\n[map[name:3 value:3] map[name:1 value:1]]\n doesn't match $setElementOrder list:\n[map[name:1] map[name:2] map[name:3]]\n",
  },
  {
    name: 'order in $setElementOrder and patch list must match (ints)',
    original: { mergingIntList: [1, 3, 2] },
    patch: { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3, 1] },
    code: 500,
    reason: '',
    message: /doesn't match \$setElementOrder list/,
  },
  {
    name: 'missing merge key',
    original: { mergingList: [{ name: 1, value: 'a' }] },
    patch: { mergingList: [{ value: 'b' }] },
    code: 500,
    reason: '',
    message: 'map: map[value:b] does not contain declared merge key: name',
  },
  {
    name: 'delete directive without merge key',
    original: { mergingList: [{ name: 1 }] },
    patch: { mergingList: [{ $patch: 'delete', value: 1 }] },
    code: 500,
    reason: '',
    message: 'map: map[$patch:delete value:1] does not contain declared merge key: name',
  },
  {
    name: 'unknown $patch on a map',
    original: { simpleMap: { a: 1 } },
    patch: { simpleMap: { $patch: 'remove' } },
    code: 500,
    reason: '',
    message: 'unknown patch type: remove in map: map[$patch:remove]',
  },
  {
    name: 'non-string $patch in a list',
    original: { mergingList: [{ name: 1 }] },
    patch: { mergingList: [{ $patch: 1, name: 1 }] },
    code: 500,
    reason: '',
    message: 'unknown patch type: %!s(int64=1) in map: map[$patch:1 name:1]',
  },
  {
    name: '$patch: merge in a list',
    original: { mergingList: [{ name: 1 }] },
    patch: { mergingList: [{ $patch: 'merge' }] },
    code: 500,
    reason: '',
    message: 'merging lists cannot yet be specified in the patch',
  },
  {
    name: '$retainKeys not a list',
    original: { retainKeysMap: { name: 'a' } },
    patch: { retainKeysMap: { $retainKeys: 'name' } },
    code: 400,
    reason: 'BadRequest',
    message: 'invalid patch format of retainKeys',
  },
  {
    name: 'patch key missing from $retainKeys',
    original: { retainKeysMap: { name: 'a' } },
    patch: { retainKeysMap: { $retainKeys: ['name'], value: 'x' } },
    code: 400,
    reason: 'BadRequest',
    message: 'invalid patch format of retainKeys',
  },
  {
    name: 'malformed $setElementOrder key',
    original: { mergingIntList: [1] },
    patch: { $setElementOrderX: [1] },
    code: 400,
    reason: 'BadRequest',
    message: 'invalid patch format of setElementOrder list',
  },
  {
    name: 'malformed $deleteFromPrimitiveList key',
    original: { mergingIntList: [1] },
    patch: { $deleteFromPrimitiveListX: [1] },
    code: 400,
    reason: 'BadRequest',
    message: 'invalid patch format of primitive list',
  },
  {
    name: 'lists of lists',
    original: { mergingIntList: [[1]] },
    patch: { mergingIntList: [[2]] },
    code: 422,
    reason: 'Invalid',
    message: 'the server rejected our request due to an error in our request',
  },
  {
    name: 'mixed element types',
    original: { mergingIntList: [1] },
    patch: { mergingIntList: ['a'] },
    code: 500,
    reason: '',
    message: 'list element types are not identical: [[1] [a]]',
  },
  {
    name: 'patch that is not an object',
    original: {},
    patch: [1],
    code: 400,
    reason: 'BadRequest',
    message: 'json: cannot unmarshal array into Go value of type map[string]interface {}',
  },
];

for (const c of errorCases) {
  test(`strategic merge patch error: ${c.name}`, () => {
    assert.throws(
      () => applyStrategicMergePatch(c.original, c.patch, mergeItem),
      (err: unknown) => {
        assert.ok(err instanceof StatusError);
        assert.equal(err.code, c.code);
        assert.equal(err.reason, c.reason);
        if (typeof c.message === 'string') assert.equal(err.message, c.message);
        else assert.match(err.message, c.message);
        return true;
      },
    );
  });
}
