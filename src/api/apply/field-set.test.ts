import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet } from './field-set.js';
import { comparePE, fieldPE, keyPE, pathToString, valuePE } from './path-element.js';

const f = fieldPE;

test('FieldsV1 round-trips with `.` marking items that are members and have children', () => {
  const v1 = {
    'f:metadata': { 'f:labels': { 'f:app': {} } },
    'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} } } },
  };
  const s = FieldSet.fromFieldsV1(v1);
  assert.ok(s.has([f('metadata'), f('labels'), f('app')]));
  assert.ok(s.has([f('spec'), f('ports'), keyPE({ protocol: 'TCP', port: 80 })]));
  assert.ok(!s.has([f('spec'), f('ports')]));
  assert.ok(!s.has([f('metadata')]));
  assert.deepEqual(s.toFieldsV1(), v1);
  assert.equal(JSON.stringify(s.toFieldsV1()), JSON.stringify(v1));
});

test('FieldsV1 keys are emitted in upstream order: `.` first, fields, then keys, then values', () => {
  const s = FieldSet.fromPaths([
    [f('spec'), f('b')],
    [f('spec'), f('a')],
    [f('metadata'), f('finalizers'), valuePE('b')],
    [f('metadata'), f('finalizers'), valuePE('a')],
    [f('metadata'), f('finalizers')],
    [f('spec'), f('ports'), keyPE({ port: 443, protocol: 'TCP' })],
    [f('spec'), f('ports'), keyPE({ port: 53, protocol: 'UDP' })],
    [f('spec'), f('ports'), keyPE({ port: 53, protocol: 'TCP' })],
  ]);
  assert.equal(
    JSON.stringify(s.toFieldsV1()),
    '{"f:metadata":{"f:finalizers":{".":{},"v:\\"a\\"":{},"v:\\"b\\"":{}}},' +
      '"f:spec":{"f:a":{},"f:b":{},"f:ports":{"k:{\\"port\\":53,\\"protocol\\":\\"TCP\\"}":{},' +
      '"k:{\\"port\\":53,\\"protocol\\":\\"UDP\\"}":{},"k:{\\"port\\":443,\\"protocol\\":\\"TCP\\"}":{}}}}',
  );
});

test('path elements compare like PathElement.Compare and print like Path.String', () => {
  assert.ok(comparePE(f('z'), keyPE({ a: 1 })) < 0);
  assert.ok(comparePE(keyPE({ port: 9 }), keyPE({ port: 10 })) < 0, 'numbers compare numerically');
  assert.ok(comparePE(valuePE(1), valuePE('a')) < 0, 'numbers sort before strings');
  assert.equal(
    pathToString([f('spec'), f('ports'), keyPE({ port: 80, protocol: 'TCP' }), f('targetPort')]),
    '.spec.ports[port=80,protocol="TCP"].targetPort',
  );
  assert.equal(pathToString([f('metadata'), f('finalizers'), valuePE('x')]), '.metadata.finalizers[="x"]');
});

const cases: Array<{ name: string; a: string[][]; b: string[][]; op: 'union' | 'intersection' | 'difference' | 'recursiveDifference'; want: string[][] }> = [
  { name: 'union', a: [['f:a']], b: [['f:b', 'f:c']], op: 'union', want: [['f:a'], ['f:b', 'f:c']] },
  { name: 'intersection', a: [['f:a'], ['f:b', 'f:c'], ['f:b', 'f:d']], b: [['f:b', 'f:c'], ['f:a', 'f:x']], op: 'intersection', want: [['f:b', 'f:c']] },
  { name: 'difference keeps children of removed members', a: [['f:a'], ['f:a', 'f:b']], b: [['f:a']], op: 'difference', want: [['f:a', 'f:b']] },
  { name: 'recursiveDifference drops the subtree', a: [['f:a'], ['f:a', 'f:b'], ['f:c']], b: [['f:a']], op: 'recursiveDifference', want: [['f:c']] },
];

for (const c of cases) {
  test(`set ${c.name}`, () => {
    const got = FieldSet.fromPaths(c.a)[c.op](FieldSet.fromPaths(c.b));
    assert.deepEqual(got.paths(), c.want);
  });
}

test('isEmpty and invalid FieldsV1', () => {
  assert.ok(FieldSet.empty().isEmpty());
  assert.ok(FieldSet.fromPaths([['f:a']]).difference(FieldSet.fromPaths([['f:a']])).isEmpty());
  assert.throws(() => FieldSet.fromFieldsV1({ 'x:bad': {} }));
});
