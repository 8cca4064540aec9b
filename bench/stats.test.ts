import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentile, runPool, summarize } from './stats.js';

test('percentile is nearest-rank over an ascending array', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
  assert.equal(percentile(xs, 50), 50);
  assert.equal(percentile(xs, 99), 99);
  assert.equal(percentile(xs, 100), 100);
  assert.equal(percentile([7], 99), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('summarize sorts its input and reports p50, p99, max and mean', () => {
  const s = summarize([5, 1, 4, 2, 3]);
  assert.deepEqual(s, { count: 5, p50: 3, p99: 5, max: 5, mean: 3 });
});

test('runPool runs every task once and never more than `concurrency` at a time', async () => {
  let inFlight = 0;
  let peak = 0;
  const seen: number[] = [];
  await runPool(50, 4, async (i) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setImmediate(r));
    seen.push(i);
    inFlight--;
  });
  assert.equal(peak, 4);
  assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
});
