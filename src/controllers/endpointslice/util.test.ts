import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Protocol } from '../../api/types/core/index.js';
import type { EndpointSlice } from '../../api/types/discovery/index.js';
import { EndpointSliceTracker, findPort, formatRFC3339Nano, servicesToUpdateOnPodChange, TriggerTimeTracker } from '../shared/index.js';
import { podFixture, svcFixture } from '../shared/testing.js';
import { endpointsEqualBeyondHash, portMapKey } from './endpoint-set.js';
import { sliceToFill } from './slice-meta.js';

test('findPort: numbers as is, names by name and protocol, sidecars too', () => {
  const pod = podFixture('a', { containerPorts: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'dns', containerPort: 5353, protocol: 'UDP' }] });
  pod.spec!.initContainers = [
    { name: 'init', ports: [{ name: 'side', containerPort: 9000 }] },
    { name: 'sidecar', restartPolicy: 'Always', ports: [{ name: 'side2', containerPort: 9001 }] },
  ];
  const cases: [number | string, Protocol, number | undefined][] = [
    [1234, 'TCP', 1234],
    ['http', 'TCP', 8080],
    ['http', 'UDP', undefined],
    ['dns', 'UDP', 5353],
    ['side', 'TCP', undefined],
    ['side2', 'TCP', 9001],
    ['nope', 'TCP', undefined],
  ];
  for (const [targetPort, protocol, want] of cases) assert.equal(findPort(pod, { port: 80, targetPort, protocol }), want, `${targetPort}/${protocol}`);
});

test('servicesToUpdateOnPodChange', () => {
  const a = svcFixture({ name: 'a', selector: { app: 'a' } });
  const b = svcFixture({ name: 'b', selector: { app: 'b' } });
  const none = svcFixture({ name: 'n', selector: null });
  const services = [a, b, none];
  const base = podFixture('p', { ip: '10.0.0.1', labels: { app: 'a' } });
  const bump = (p: typeof base, rv: string) => ({ ...p, metadata: { ...p.metadata, resourceVersion: rv } });
  const names = (o: typeof base, n: typeof base) => servicesToUpdateOnPodChange(services, o, n).map((s) => s.metadata.name).sort();
  assert.deepEqual(names(base, base), [], 'same resourceVersion: a resync');
  assert.deepEqual(names(base, bump(base, '2')), [], 'nothing relevant changed');
  const notReady = bump(podFixture('p', { ip: '10.0.0.1', labels: { app: 'a' }, ready: false }), '2');
  assert.deepEqual(names(base, notReady), ['a']);
  const moved = bump(podFixture('p', { ip: '10.0.0.1', labels: { app: 'b' } }), '2');
  assert.deepEqual(names(base, moved), ['a', 'b'], 'labels changed: both memberships flip');
  const movedAndNotReady = bump(podFixture('p', { ip: '10.0.0.1', labels: { app: 'b' }, ready: false }), '2');
  assert.deepEqual(names(base, movedAndNotReady), ['a', 'b']);
});

test('portMapKey ignores order and defaults; endpoint equality ignores targetRef resourceVersion', () => {
  assert.equal(portMapKey([{ name: 'a', port: 1, protocol: 'TCP' }, { name: 'b', port: 2 }]), portMapKey([{ name: 'b', port: 2, protocol: 'TCP' }, { port: 1, name: 'a' }]));
  assert.equal(portMapKey(null), portMapKey([]));
  assert.notEqual(portMapKey([{ name: 'a', port: 1 }]), portMapKey([{ name: 'a', port: 2 }]));
  const ep = { addresses: ['1.1.1.1'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'p', uid: 'u' } };
  assert.ok(endpointsEqualBeyondHash(ep, { ...ep, targetRef: { ...ep.targetRef, resourceVersion: '9' } }));
  assert.ok(!endpointsEqualBeyondHash(ep, { ...ep, zone: 'z' }));
  assert.ok(!endpointsEqualBeyondHash(ep, { ...ep, conditions: { ready: false } }));
});

test('sliceToFill picks the slice that ends closest to full', () => {
  const s = (name: string, n: number) => ({ metadata: { name }, addressType: 'IPv4', endpoints: Array.from({ length: n }, () => ({ addresses: ['1.1.1.1'] })) }) as EndpointSlice;
  const slices = [s('a', 50), s('b', 90), s('c', 95)];
  assert.equal(sliceToFill(slices, 5, 100)?.metadata.name, 'c');
  assert.equal(sliceToFill(slices, 8, 100)?.metadata.name, 'b');
  assert.equal(sliceToFill(slices, 51, 100), undefined);
});

test('EndpointSliceTracker: own writes are not re-synced, stale caches are noticed', () => {
  const t = new EndpointSliceTracker(() => 'default/web');
  const slice = (uid: string, rv: string) => ({ metadata: { uid, resourceVersion: rv }, addressType: 'IPv4' }) as EndpointSlice;
  assert.ok(t.shouldSync(slice('a', '5')));
  t.update(slice('a', '5'));
  assert.ok(!t.shouldSync(slice('a', '5')));
  assert.ok(t.shouldSync(slice('a', '6')));
  assert.ok(t.staleSlices('default/web', [slice('a', '4')]), 'cache older than our write');
  assert.ok(t.staleSlices('default/web', []), 'our slice missing from the cache');
  assert.ok(!t.staleSlices('default/web', [slice('a', '5')]));
  t.expectDeletion(slice('a', '5'));
  assert.ok(t.staleSlices('default/web', [slice('a', '5')]), 'a slice we deleted is still cached');
  assert.ok(t.handleDeletion(slice('a', '5')), 'expected deletion');
  t.update(slice('b', '7'));
  assert.ok(!t.handleDeletion(slice('b', '7')), 'someone else deleted it');
});

test('TriggerTimeTracker: Service creation first, then the earliest new Pod readiness change', () => {
  const t = new TriggerTimeTracker();
  const svc = svcFixture({ creationTimestamp: '2024-01-01T00:00:00Z' });
  const p1 = podFixture('a', { readySince: '2024-01-01T00:01:00Z' });
  assert.equal(t.compute(svc, [p1]), '2024-01-01T00:00:00Z');
  assert.equal(t.compute(svc, [p1]), undefined, 'nothing new');
  const p2 = podFixture('b', { readySince: '2024-01-01T00:03:00Z' });
  const p1b = podFixture('a', { readySince: '2024-01-01T00:02:00Z' });
  assert.equal(t.compute(svc, [p1b, p2]), '2024-01-01T00:02:00Z');
  assert.equal(formatRFC3339Nano(Date.UTC(2024, 0, 1, 0, 0, 0, 120)), '2024-01-01T00:00:00.12Z');
});
