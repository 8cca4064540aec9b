import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPodActive, isPodAvailable, isPodReady, isPodTerminal, isPodTerminating, podIPs, type PodLike } from './pod.js';
import type { PodPhase } from './types/core/v1.js';

const pod = (phase: PodPhase | undefined, deleting: boolean, ready?: 'True' | 'False' | 'Unknown', since = '2024-01-01T00:00:00Z'): PodLike => ({
  metadata: deleting ? { deletionTimestamp: '2024-01-01T00:01:00Z' } : {},
  spec: { containers: [{ name: 'c' }] },
  status: { phase, conditions: ready ? [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: ready, lastTransitionTime: since }] : [] },
});

test('Pod lifecycle predicates', () => {
  // [phase, deleting, ready, isPodReady, isPodTerminal, isPodActive, isPodTerminating]
  const cases: [PodPhase | undefined, boolean, 'True' | 'False' | 'Unknown' | undefined, boolean, boolean, boolean, boolean][] = [
    [undefined, false, undefined, false, false, true, false],
    ['Pending', false, undefined, false, false, true, false],
    ['Running', false, 'True', true, false, true, false],
    ['Running', false, 'False', false, false, true, false],
    ['Running', false, 'Unknown', false, false, true, false],
    ['Running', true, 'True', true, false, false, true],
    ['Succeeded', false, 'False', false, true, false, false],
    ['Failed', true, 'False', false, true, false, false],
    ['Unknown', true, undefined, false, false, false, true],
  ];
  for (const [phase, deleting, ready, r, term, active, terminating] of cases) {
    const p = pod(phase, deleting, ready);
    assert.deepEqual([isPodReady(p), isPodTerminal(p), isPodActive(p), isPodTerminating(p)], [r, term, active, terminating], JSON.stringify([phase, deleting, ready]));
  }
  assert.equal(isPodReady({}), false);
  assert.equal(isPodReady({ status: { conditions: null } }), false);
});

test('isPodAvailable counts minReadySeconds from the Ready transition', () => {
  const t0 = Date.parse('2024-01-01T00:00:00Z');
  const p = pod('Running', false, 'True');
  assert.equal(isPodAvailable(p, 0, t0), true);
  assert.equal(isPodAvailable(p, 10, t0 + 9_999), false);
  assert.equal(isPodAvailable(p, 10, t0 + 10_000), true);
  assert.equal(isPodAvailable(pod('Running', false, 'False'), 0, t0), false);
  assert.equal(isPodAvailable(pod('Running', false, 'True', ''), 10, t0 + 60_000), false);
});

test('podIPs prefers podIPs and falls back to podIP', () => {
  assert.deepEqual(podIPs({ status: { podIP: '10.244.0.5', podIPs: [{ ip: '10.244.0.5' }, { ip: 'fd00::5' }] } }), ['10.244.0.5', 'fd00::5']);
  assert.deepEqual(podIPs({ status: { podIP: '10.244.0.5' } }), ['10.244.0.5']);
  assert.deepEqual(podIPs({ status: { podIP: '10.244.0.5', podIPs: null } }), ['10.244.0.5']);
  assert.deepEqual(podIPs({ status: {} }), []);
});
