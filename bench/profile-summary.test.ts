import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeProfile } from './profile-summary.js';

const frame = (functionName: string) => ({ functionName, url: 'file:///repo/dist/src/x.js', lineNumber: 0 });

// root → handleList → decode, root → handleCreate; decode sampled 3 ms, handleList 1 ms, handleCreate 2 ms.
const profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 4] },
    { id: 2, callFrame: frame('handleList'), children: [3] },
    { id: 3, callFrame: frame('decode') },
    { id: 4, callFrame: frame('handleCreate') },
  ],
  samples: [3, 3, 2, 4, 3, 4],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
};

test('self and inclusive time add up along the call tree', () => {
  const s = summarizeProfile(profile);
  assert.equal(s.totalMs, 6);
  assert.deepEqual(s.self.map(([k, v]) => [k.split(' ')[0], v]), [['decode', 3], ['handleCreate', 2], ['handleList', 1]]);
  const incl = new Map(s.inclusive.map(([k, v]) => [k.split(' ')[0], v]));
  assert.equal(incl.get('(root)'), 6);
  assert.equal(incl.get('handleList'), 4);
  assert.equal(incl.get('handleCreate'), 2);
});

test('--under keeps only samples whose stack passes through the named function', () => {
  const s = summarizeProfile(profile, 'handleList');
  assert.equal(s.totalMs, 4);
  assert.deepEqual(s.self.map(([k]) => k.split(' ')[0]), ['decode', 'handleList']);
});
