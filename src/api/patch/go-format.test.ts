// Go fmt renderings that end up in strategic-merge-patch error messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goPercentS, goTypeString, goValue, jsonKind } from './go-format.js';

test('goValue renders like fmt %v', () => {
  const cases: [unknown, string][] = [
    [{ b: 1, a: 'x' }, 'map[a:x b:1]'],
    [{ hostPath: { path: '/var/lib/kubelet/pods' } }, 'map[hostPath:map[path:/var/lib/kubelet/pods]]'],
    [{}, 'map[]'],
    [[1, 'a', true, null], '[1 a true <nil>]'],
    [[], '[]'],
    [0.5, '0.5'],
    [1234567.5, '1.2345675e+06'],
    [0.00001, '1e-05'],
    [123456.5, '123456.5'],
    [null, '<nil>'],
  ];
  for (const [v, want] of cases) assert.equal(goValue(v), want, JSON.stringify(v));
});

test('goPercentS, goTypeString and jsonKind', () => {
  assert.equal(goPercentS('delete'), 'delete');
  assert.equal(goPercentS(1), '%!s(int64=1)');
  assert.equal(goPercentS(1.5), '%!s(float64=1.5)');
  assert.equal(goPercentS(true), '%!s(bool=true)');
  assert.equal(goPercentS(null), '%!s(<nil>)');
  assert.equal(goTypeString([1]), '[]interface {}');
  assert.equal(goTypeString({}), 'map[string]interface {}');
  assert.equal(goTypeString('s'), 'string');
  assert.equal(goTypeString(undefined), '%!s(<nil>)');
  assert.deepEqual([[], {}, 'x', 1, true, null].map(jsonKind), ['array', 'object', 'string', 'number', 'bool', 'null']);
});
