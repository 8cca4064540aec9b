// RFC 7396 merge patch (evanphx semantics) and RFC 6902 JSON patch error mapping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../errors.js';
import { applyMergePatch } from './json-merge-patch.js';
import { applyJsonPatch } from './json-patch.js';
import { PATCH_CONTENT_TYPES, isPatchContentType } from './index.js';

type Obj = Record<string, unknown>;

// RFC 7396 appendix A, restricted to object targets (Kubernetes objects are always objects).
const mergeCases: { name: string; target: Obj; patch: Obj; result: Obj }[] = [
  { name: 'replace a member', target: { a: 'b' }, patch: { a: 'c' }, result: { a: 'c' } },
  { name: 'add a member', target: { a: 'b' }, patch: { b: 'c' }, result: { a: 'b', b: 'c' } },
  { name: 'null removes', target: { a: 'b' }, patch: { a: null }, result: {} },
  { name: 'null keeps others', target: { a: 'b', b: 'c' }, patch: { a: null }, result: { b: 'c' } },
  { name: 'array replaces a scalar', target: { a: ['b'] }, patch: { a: 'c' }, result: { a: 'c' } },
  { name: 'scalar replaces an array', target: { a: 'c' }, patch: { a: ['b'] }, result: { a: ['b'] } },
  { name: 'nested objects merge', target: { a: { b: 'c' } }, patch: { a: { b: 'd', c: null } }, result: { a: { b: 'd' } } },
  { name: 'arrays replace wholesale', target: { a: [{ b: 'c' }] }, patch: { a: [1] }, result: { a: [1] } },
  { name: 'nested null on a new member is pruned', target: { e: null }, patch: { a: 1, c: { d: null, e: 2 } }, result: { e: null, a: 1, c: { e: 2 } } },
  { name: 'object replaces a scalar, nulls pruned', target: { a: 'x' }, patch: { a: { bb: { ccc: null } } }, result: { a: { bb: {} } } },
  { name: 'empty patch', target: { a: 1 }, patch: {}, result: { a: 1 } },
  { name: 'removing a missing key is fine', target: { a: 1 }, patch: { b: null }, result: { a: 1 } },
];

for (const c of mergeCases) {
  test(`merge patch: ${c.name}`, () => {
    const target = structuredClone(c.target);
    assert.deepEqual(applyMergePatch(target, structuredClone(c.patch)), c.result);
    assert.deepEqual(target, c.target, 'target must not be mutated');
  });
}

test('merge patch: a patch that is not an object is a 400 Invalid JSON Patch', () => {
  for (const patch of [null, 'x', 3, true, [1]]) {
    assert.throws(
      () => applyMergePatch({ a: 1 }, patch),
      (err: unknown) => err instanceof StatusError && err.code === 400 && err.reason === 'BadRequest' && err.message === 'Invalid JSON Patch',
    );
  }
});

const doc = { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1, ports: [{ port: 80 }] } };

test('json patch: operations apply in order', () => {
  const out = applyJsonPatch(doc, [
    { op: 'replace', path: '/spec/replicas', value: 3 },
    { op: 'add', path: '/spec/ports/-', value: { port: 443 } },
    { op: 'add', path: '/metadata/labels/tier', value: 'fe' },
    { op: 'remove', path: '/metadata/labels/app' },
    { op: 'test', path: '/spec/replicas', value: 3 },
    { op: 'copy', from: '/metadata/name', path: '/metadata/generateName' },
    { op: 'move', from: '/metadata/labels/tier', path: '/metadata/labels/role' },
  ]);
  assert.deepEqual(out, {
    metadata: { name: 'web', labels: { role: 'fe' }, generateName: 'web' },
    spec: { replicas: 3, ports: [{ port: 80 }, { port: 443 }] },
  });
  assert.equal((doc.spec as Obj).replicas, 1, 'input must not be mutated');
});

test('json patch: null body applies nothing', () => {
  assert.deepEqual(applyJsonPatch(doc, null), doc);
});

const unprocessable: { name: string; ops: unknown[] }[] = [
  { name: 'remove of a missing path', ops: [{ op: 'remove', path: '/spec/affinity' }] },
  { name: 'replace of a missing path', ops: [{ op: 'replace', path: '/spec/foo', value: 1 }] },
  { name: 'add under a missing parent', ops: [{ op: 'add', path: '/spec/a/b', value: 1 }] },
  { name: 'failed test', ops: [{ op: 'test', path: '/metadata/resourceVersion', value: '5' }] },
  { name: 'unknown op', ops: [{ op: 'bogus', path: '/spec' }] },
  { name: 'null operation', ops: [null] },
  { name: 'move from a missing path', ops: [{ op: 'move', from: '/nope', path: '/spec/x' }] },
  { name: 'root replaced by a scalar', ops: [{ op: 'replace', path: '', value: 1 }] },
];

for (const c of unprocessable) {
  test(`json patch: ${c.name} → 422 with the generic message`, () => {
    assert.throws(
      () => applyJsonPatch(doc, c.ops),
      (err: unknown) => {
        assert.ok(err instanceof StatusError);
        assert.deepEqual(err.toStatus(), {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'the server rejected our request due to an error in our request',
          reason: 'Invalid',
          details: {},
          code: 422,
        });
        return true;
      },
    );
  });
}

test('json patch: undecodable bodies are 400s with the encoding/json message', () => {
  const cases: [unknown, string][] = [
    [{ op: 'add' }, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    ['x', 'json: cannot unmarshal string into Go value of type jsonpatch.Patch'],
    [[1], 'json: cannot unmarshal number into Go value of type jsonpatch.Operation'],
    [[[]], 'json: cannot unmarshal array into Go value of type jsonpatch.Operation'],
  ];
  for (const [ops, message] of cases) {
    assert.throws(
      () => applyJsonPatch(doc, ops),
      (err: unknown) => err instanceof StatusError && err.code === 400 && err.message === message,
    );
  }
});

test('json patch: more than 10000 operations is 413', () => {
  const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/spec/replicas', value: 1 }));
  assert.throws(
    () => applyJsonPatch(doc, ops),
    (err: unknown) =>
      err instanceof StatusError &&
      err.code === 413 &&
      err.message === 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
  );
});

test('PATCH_CONTENT_TYPES lists the four media types', () => {
  assert.deepEqual([...PATCH_CONTENT_TYPES].sort(), [
    'application/apply-patch+yaml',
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/strategic-merge-patch+json',
  ]);
  assert.ok(isPatchContentType('application/merge-patch+json'));
  assert.ok(!isPatchContentType('application/json'));
});
