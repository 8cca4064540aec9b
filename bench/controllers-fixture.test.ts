import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConvergenceTracker, endpointsAreRight, expectedIPs, podIP, serviceOfPod, slicesAreRight, type Shape } from './controllers-fixture.js';

const shape: Shape = { services: 3, podsPerService: 2, nodes: 2, layout: 'interleaved' };

function slice(name: string, svc: string, ips: string[], extra: { ready?: boolean; port?: number; managedBy?: string } = {}) {
  return {
    metadata: { name, labels: { 'kubernetes.io/service-name': svc, 'endpointslice.kubernetes.io/managed-by': extra.managedBy ?? 'endpointslice-controller.k8s.io' } },
    addressType: 'IPv4',
    ports: [{ name: '', port: extra.port ?? 8080, protocol: 'TCP' }],
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: extra.ready ?? true } })),
  };
}

test('layouts deal Pods to Services round-robin or in runs, and IPs are unique', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((j) => serviceOfPod(shape, j)), [0, 1, 2, 0, 1, 2]);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((j) => serviceOfPod({ ...shape, layout: 'grouped' }, j)), [0, 0, 1, 1, 2, 2]);
  const ips = new Set(Array.from({ length: 10_000 }, (_, j) => podIP(j)));
  assert.equal(ips.size, 10_000);
  assert.ok([...ips].every((ip) => /^10\.244\.\d+\.([1-9]\d*)$/.test(ip) && Number(ip.split('.')[3]) <= 250));
  assert.deepEqual([...expectedIPs(shape).get('s1')!], [podIP(1), podIP(4)]);
});

test('slicesAreRight wants exactly one slice with every IP once, ready, on port 8080', () => {
  const want = new Set(['10.244.0.1', '10.244.0.2']);
  assert.equal(slicesAreRight([slice('a', 's0', ['10.244.0.2', '10.244.0.1'])], want), true);
  assert.equal(slicesAreRight([slice('a', 's0', ['10.244.0.1'])], want), false, 'missing IP');
  assert.equal(slicesAreRight([slice('a', 's0', ['10.244.0.1', '10.244.0.1'])], want), false, 'duplicate IP');
  assert.equal(slicesAreRight([slice('a', 's0', ['10.244.0.1', '10.244.0.2'], { ready: false })], want), false, 'not ready');
  assert.equal(slicesAreRight([slice('a', 's0', ['10.244.0.1', '10.244.0.2'], { port: 80 })], want), false, 'wrong port');
  assert.equal(slicesAreRight([slice('a', 's0', ['10.244.0.1']), slice('b', 's0', ['10.244.0.2'])], want), false, 'two slices');
  assert.equal(slicesAreRight([], want), false);
});

test('endpointsAreRight wants one subset, all addresses ready, port 8080', () => {
  const want = new Set(['10.244.0.1']);
  const ports = [{ port: 8080, protocol: 'TCP' }];
  assert.equal(endpointsAreRight({ subsets: [{ addresses: [{ ip: '10.244.0.1' }], ports }] }, want), true);
  assert.equal(endpointsAreRight({ subsets: [{ addresses: [{ ip: '10.244.0.1' }], notReadyAddresses: [{}], ports }] }, want), false);
  assert.equal(endpointsAreRight({ subsets: [] }, want), false);
  assert.equal(endpointsAreRight(undefined, want), false);
});

test('ConvergenceTracker counts events and records when the last Service became right', () => {
  const t = new ConvergenceTracker('slices', expectedIPs(shape));
  const ev = (type: string, object: object) => JSON.stringify({ type, object });
  for (let i = 0; i < 3; i++) t.observe(ev('ADDED', slice(`s${i}-x`, `s${i}`, [])), i);
  assert.equal(t.rightCount, 0);
  t.observe(ev('MODIFIED', slice('s0-x', 's0', [podIP(0), podIP(3)])), 10);
  t.observe(ev('MODIFIED', slice('s1-x', 's1', [podIP(1), podIP(4)])), 11);
  assert.equal(t.convergedAt, undefined);
  // Not ours: ignored, neither counted nor able to spoil s2.
  assert.equal(t.observe(ev('ADDED', slice('other', 's2', [], { managedBy: 'someone-else' })), 12), false);
  assert.equal(t.observe(JSON.stringify({ type: 'BOOKMARK', object: { metadata: {} } }), 12), false);
  t.observe(ev('MODIFIED', slice('s2-x', 's2', [podIP(2), podIP(5)])), 13);
  assert.equal(t.done, true);
  assert.equal(t.convergedAt, 13);
  // A second slice for s0 makes it wrong again until the extra one goes.
  t.observe(ev('ADDED', slice('s0-y', 's0', [])), 14);
  assert.equal(t.done, false);
  t.observe(ev('DELETED', slice('s0-y', 's0', [])), 15);
  assert.equal(t.convergedAt, 15);
  assert.deepEqual(t.events, { ADDED: 4, MODIFIED: 3, DELETED: 1 });
  assert.equal(t.lastEventAt, 15);
});
