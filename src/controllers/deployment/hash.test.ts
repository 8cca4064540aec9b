import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJSON, computeHash, fnv32a, safeEncodeString } from './hash.js';

describe('pod-template-hash', () => {
  it('fnv32a matches the FNV-1a reference vectors', () => {
    assert.equal(fnv32a(Buffer.from('')), 0x811c9dc5);
    assert.equal(fnv32a(Buffer.from('a')), 0xe40c292c);
    assert.equal(fnv32a(Buffer.from('foobar')), 0xbf9cf968);
  });

  it('SafeEncodeString maps decimal digits onto the 10 characters real hashes use', () => {
    assert.equal(safeEncodeString('0123456789'), '456789bcdf');
    assert.match(computeHash({ metadata: { labels: { app: 'web' } } }), /^[456789bcdf]+$/);
  });

  it('is stable under key order and empty values, and changes with the template and collisionCount', () => {
    const a = { metadata: { labels: { app: 'web', tier: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const b = { spec: { containers: [{ image: 'nginx', name: 'c' }], volumes: [] }, metadata: { annotations: {}, labels: { tier: 'x', app: 'web' } } };
    assert.equal(canonicalJSON(a), canonicalJSON(b));
    assert.equal(computeHash(a), computeHash(b));
    assert.notEqual(computeHash(a), computeHash({ ...a, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } }));
    assert.notEqual(computeHash(a), computeHash(a, 1));
    assert.notEqual(computeHash(a, 1), computeHash(a, 2));
    assert.equal(computeHash(a, 1), computeHash(b, 1));
  });
});
