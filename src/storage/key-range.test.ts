import assert from 'node:assert/strict';
import { it } from 'node:test';
import { compareKeys, prefixEnd } from './key-range.js';

it('prefixEnd is the first key past every key with the prefix', () => {
  assert.equal(prefixEnd('/registry/pods/'), '/registry/pods0');
  assert.equal(prefixEnd('a\uffff'), 'a\u{10000}');
  assert.equal(prefixEnd('a\ud7ff'), 'a\ue000');
  assert.equal(prefixEnd('a\u{10FFFF}'), 'b');
  assert.equal(prefixEnd(''), undefined);
  assert.equal(prefixEnd('\u{10FFFF}'), undefined);
});

it('compareKeys orders by code point, like UTF-8 bytes', () => {
  const keys = ['/a/\u{1F600}', '/a/\uffff', '/a/b', '/a', '/a/', '/a/ba'];
  const byBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  assert.deepEqual([...keys].sort(compareKeys), byBytes);
  assert.equal(compareKeys('x', 'x'), 0);
});
