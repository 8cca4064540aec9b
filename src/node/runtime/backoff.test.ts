import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CrashLoopBackoff, formatDuration } from './backoff.js';

describe('CrashLoopBackoff (kubelet flowcontrol.Backoff)', () => {
  it('first restart is immediate, then 10s, 20s, 40s … capped at 5m', () => {
    const b = new CrashLoopBackoff();
    let t = 1_000_000;
    assert.equal(b.remaining('k', t, t), 0);
    b.next('k', t);
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      t += 1000; // crashed again a second after starting
      const wait = b.remaining('k', t, t);
      delays.push(wait);
      t += wait;
      assert.equal(b.remaining('k', t - wait, t), 0);
      b.next('k', t - wait);
    }
    assert.deepEqual(delays, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });
  it('resets after 10 minutes without a failure', () => {
    const b = new CrashLoopBackoff({ initialMs: 100, maxMs: 1000 });
    b.next('k', 0);
    b.next('k', 10);
    assert.equal(b.current('k'), 200);
    assert.equal(b.remaining('k', 2011, 2011), 0);
    b.next('k', 2011);
    assert.equal(b.current('k'), 100);
  });
  it('formats like Go durations', () => {
    assert.equal(formatDuration(10_000), '10s');
    assert.equal(formatDuration(80_000), '1m20s');
    assert.equal(formatDuration(300_000), '5m0s');
  });
});
