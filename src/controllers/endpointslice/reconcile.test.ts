import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Service } from '../../api/types/core/index.js';
import type { EndpointSlice } from '../../api/types/discovery/index.js';
import { aggregateMessage, reconcileEndpointSlices, type SliceReconcileInput } from './reconcile.js';
import { FakeSliceStore, nodeFixture, nodeGetter, podFixture, podsFixture, svcFixture } from '../shared/testing.js';

const nodes = nodeGetter(nodeFixture('node-1', 'zone-a'), nodeFixture('node-2', 'zone-b'));

function plan(svc: Service, pods: Pod[], existing: EndpointSlice[] = [], extra: Partial<SliceReconcileInput> = {}) {
  return reconcileEndpointSlices({ service: svc, pods, existingSlices: existing, nodes, triggerTime: '2024-01-01T00:00:10Z', ...extra });
}

/** Runs the reconciler to convergence against a fake store, returning the store. */
function converge(svc: Service, pods: Pod[], store = new FakeSliceStore(), extra: Partial<SliceReconcileInput> = {}) {
  store.apply(plan(svc, pods, store.list(), extra));
  return store;
}

const sizes = (slices: EndpointSlice[]) => slices.map((s) => s.endpoints?.length ?? 0).sort((a, b) => b - a);
const counts = (p: { create: unknown[]; update: unknown[]; delete: unknown[] }) => [p.create.length, p.update.length, p.delete.length];

test('250 Pods make 3 slices of at most 100, labelled and owned by the Service', () => {
  const svc = svcFixture({ labels: { app: 'web', tier: 'fe', 'kubernetes.io/service-name': 'ignored' } });
  const p = plan(svc, podsFixture(250));
  assert.deepEqual(counts(p), [3, 0, 0]);
  assert.deepEqual(sizes(p.create), [100, 100, 50]);
  for (const s of p.create) {
    assert.equal(s.metadata.generateName, 'web-');
    assert.equal(s.metadata.name, undefined);
    assert.equal(s.addressType, 'IPv4');
    assert.deepEqual(s.metadata.labels, { app: 'web', tier: 'fe', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    assert.deepEqual(s.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(s.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.equal(s.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], '2024-01-01T00:00:10Z');
  }
  const all = p.create.flatMap((s) => s.endpoints ?? []);
  assert.equal(new Set(all.map((e) => e.addresses[0])).size, 250, 'every Pod exactly once');
});

test('an endpoint carries conditions, node, zone, targetRef and (subdomain match) hostname', () => {
  const svc = svcFixture();
  const cases: { name: string; pod: Pod; svc?: Service; want: Record<string, unknown> }[] = [
    { name: 'ready', pod: podFixture('a', { ip: '10.0.0.1' }), want: { ready: true, serving: true, terminating: false } },
    { name: 'not ready', pod: podFixture('a', { ip: '10.0.0.1', ready: false }), want: { ready: false, serving: false, terminating: false } },
    { name: 'terminating', pod: podFixture('a', { ip: '10.0.0.1', deleting: true }), want: { ready: false, serving: true, terminating: true } },
    {
      name: 'publishNotReadyAddresses',
      pod: podFixture('a', { ip: '10.0.0.1', ready: false, deleting: true }),
      svc: svcFixture({ publishNotReadyAddresses: true }),
      want: { ready: true, serving: false, terminating: true },
    },
  ];
  for (const c of cases) {
    const [slice] = plan(c.svc ?? svc, [c.pod]).create;
    assert.deepEqual(slice!.endpoints![0]!.conditions, c.want, c.name);
  }
  const pod = podFixture('h', { ip: '10.0.0.9', node: 'node-2', hostname: 'h0', subdomain: 'web' });
  const ep = plan(svc, [pod]).create[0]!.endpoints![0]!;
  assert.deepEqual(ep, {
    addresses: ['10.0.0.9'],
    conditions: { ready: true, serving: true, terminating: false },
    targetRef: { kind: 'Pod', namespace: 'default', name: 'h', uid: 'uid-h' },
    nodeName: 'node-2',
    zone: 'zone-b',
    hostname: 'h0',
  });
  const other = plan(svc, [podFixture('h', { ip: '10.0.0.9', hostname: 'h0', subdomain: 'other' })]).create[0]!.endpoints![0]!;
  assert.equal(other.hostname, undefined, 'hostname only when the subdomain names the Service');
});

test('Pods that are terminal or have no IP are left out; none left gives one placeholder slice', () => {
  const p = plan(svcFixture(), [podFixture('a'), podFixture('b', { ip: '10.0.0.2', phase: 'Succeeded' })]);
  assert.deepEqual(counts(p), [1, 0, 0]);
  assert.deepEqual(p.create[0]!.ports, []);
  assert.deepEqual(p.create[0]!.endpoints, []);
  // The placeholder, once written, is kept as it is.
  const store = converge(svcFixture(), []);
  assert.deepEqual(counts(plan(svcFixture(), [], store.list())), [0, 0, 0]);
});

test('minimal churn: one Pod changing touches one slice', () => {
  const svc = svcFixture();
  const pods = podsFixture(250);
  const store = converge(svc, pods);
  assert.deepEqual(counts(plan(svc, pods, store.list())), [0, 0, 0], 'converged: no writes');

  const cases: { name: string; pods: Pod[]; want: number[]; sizes: number[] }[] = [
    { name: 'one Pod not ready', pods: pods.map((p, i) => (i === 7 ? podFixture(p.metadata.name!, { ip: p.status!.podIP, ready: false }) : p)), want: [0, 1, 0], sizes: [100, 100, 50] },
    { name: 'one Pod gone', pods: pods.filter((_, i) => i !== 7), want: [0, 1, 0], sizes: [100, 99, 50] },
    { name: 'one Pod more goes into the slice that ends closest to full', pods: [...pods, podFixture('new', { ip: '10.9.9.9' })], want: [0, 1, 0], sizes: [100, 100, 51] },
    // 60 more do not fit in any slice (50 + 60 > 100): a new slice, the others untouched.
    { name: '60 Pods more', pods: [...pods, ...Array.from({ length: 60 }, (_, i) => podFixture(`x${i}`, { ip: `10.8.0.${i + 1}` }))], want: [1, 0, 0], sizes: [100, 100, 60, 50] },
  ];
  for (const c of cases) {
    const p = plan(svc, c.pods, store.list());
    assert.deepEqual(counts(p), c.want, c.name);
    const next = store.clone();
    next.apply(p);
    assert.deepEqual(sizes(next.list()), c.sizes, c.name);
  }
});

test('emptied slices are recycled instead of deleted and created', () => {
  const svc = svcFixture();
  const store = converge(svc, podsFixture(150));
  // Replace every Pod: the 100-slice and the 50-slice lose all their endpoints.
  const fresh = podsFixture(150).map((p, i) => podFixture(`new-${i}`, { ip: `10.7.${Math.floor(i / 200)}.${(i % 200) + 1}` }));
  const p = plan(svc, fresh, store.list());
  assert.deepEqual(counts(p), [0, 2, 0]);
  store.apply(p);
  assert.deepEqual(sizes(store.list()), [100, 50]);
});

test('named targetPorts: Pods resolving differently land in different slices', () => {
  const svc = svcFixture({ ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'web' }] });
  const pods = [
    podFixture('a', { ip: '10.0.0.1', containerPorts: [{ name: 'web', containerPort: 8080, protocol: 'TCP' }] }),
    podFixture('b', { ip: '10.0.0.2', containerPorts: [{ name: 'web', containerPort: 9090, protocol: 'TCP' }] }),
    podFixture('c', { ip: '10.0.0.3', containerPorts: [{ name: 'web', containerPort: 8080, protocol: 'UDP' }] }),
    podFixture('d', { ip: '10.0.0.4', containerPorts: [{ name: 'web', containerPort: 8080 }] }),
  ];
  const p = plan(svc, pods);
  const byPort = new Map(p.create.map((s) => [JSON.stringify(s.ports), s.endpoints!.map((e) => e.addresses[0]).sort()]));
  assert.deepEqual(
    byPort,
    new Map([
      [JSON.stringify([{ name: 'http', port: 8080, protocol: 'TCP' }]), ['10.0.0.1', '10.0.0.4']],
      [JSON.stringify([{ name: 'http', port: 9090, protocol: 'TCP' }]), ['10.0.0.2']],
      // c's port has the wrong protocol: no port resolves, but the Pod is still an endpoint.
      [JSON.stringify([]), ['10.0.0.3']],
    ]),
  );
});

test('Pods on missing Nodes are skipped with an error, unless publishNotReadyAddresses', () => {
  const pods = [podFixture('a', { ip: '10.0.0.1' }), podFixture('lost', { ip: '10.0.0.2', node: 'ghost' })];
  const p = plan(svcFixture(), pods);
  assert.deepEqual(p.errors, ['skipping Pod lost for Service default/web: Node ghost Not Found']);
  assert.deepEqual(p.create.flatMap((s) => s.endpoints!.map((e) => e.addresses[0])), ['10.0.0.1']);
  const pub = plan(svcFixture({ publishNotReadyAddresses: true }), pods);
  assert.deepEqual(pub.errors, []);
  assert.equal(pub.create[0]!.endpoints!.length, 2);
  assert.equal(aggregateMessage(['x']), 'x');
  assert.equal(aggregateMessage(['x', 'y', 'x']), '[x, y]');
});

test('address types follow the Service IP families', () => {
  const dual = svcFixture({ ipFamilies: ['IPv4', 'IPv6'] });
  const pods = [podFixture('a', { ip: ['10.0.0.1', 'fd00::0001'] })];
  const p = plan(dual, pods);
  assert.deepEqual(
    p.create.map((s) => [s.addressType, s.endpoints!.map((e) => e.addresses)]),
    [
      ['IPv4', [['10.0.0.1']]],
      ['IPv6', [['fd00::1']]],
    ],
  );
  // Back to IPv4 only: the IPv6 slice is deleted.
  const store = converge(dual, pods);
  const single = plan(svcFixture(), pods, store.list());
  assert.deepEqual(counts(single), [0, 0, 1]);
  assert.equal(single.delete[0]!.addressType, 'IPv6');
});

test('label drift and headless label; slices of another Service UID are replaced', () => {
  const svc = svcFixture({ labels: { a: '1' } });
  const pods = podsFixture(3);
  const store = converge(svc, pods);
  const relabelled = plan(svcFixture({ labels: { a: '2' } }), pods, store.list());
  assert.deepEqual(counts(relabelled), [0, 1, 0]);
  assert.equal(relabelled.update[0]!.metadata.labels!.a, '2');
  const added = plan(svcFixture({ labels: { a: '1', b: 'x' } }), pods, store.list());
  assert.deepEqual(counts(added), [0, 1, 0], 'a label added to the Service counts too');

  const headless = plan(svcFixture({ clusterIP: 'None' }), pods);
  assert.equal(headless.create[0]!.metadata.labels!['service.kubernetes.io/headless'], '');

  // A Service recreated with the same name: old slices are not its own.
  const other = plan(svcFixture({ uid: 'new-uid', labels: { a: '1' } }), pods, store.list());
  assert.deepEqual(counts(other), [1, 0, 1]);
});

test('trafficDistribution PreferClose: ready endpoints get zone hints; turning it off removes them', () => {
  const pods = [podFixture('a', { ip: '10.0.0.1' }), podFixture('b', { ip: '10.0.0.2', node: 'node-2', ready: false })];
  const plain = converge(svcFixture(), pods);
  const close = svcFixture({ trafficDistribution: 'PreferClose' });
  const p = plan(close, pods, plain.list());
  assert.deepEqual(counts(p), [0, 1, 0], 'an unchanged slice without hints is updated');
  const eps = new Map(p.update[0]!.endpoints!.map((e) => [e.addresses[0], e.hints]));
  assert.deepEqual(eps.get('10.0.0.1'), { forZones: [{ name: 'zone-a' }] });
  assert.equal(eps.get('10.0.0.2'), undefined, 'not-ready endpoints get no hint');
  plain.apply(p);
  assert.deepEqual(counts(plan(close, pods, plain.list())), [0, 0, 0]);
  const off = plan(svcFixture(), pods, plain.list());
  assert.deepEqual(counts(off), [0, 1, 0]);
  assert.ok(off.update[0]!.endpoints!.every((e) => e.hints === undefined));
});

test('trigger time annotation is set, or removed when unknown; no creates for a deleting Service', () => {
  const store = converge(svcFixture(), podsFixture(2));
  const p = plan(svcFixture(), [...podsFixture(2), podFixture('c', { ip: '10.1.1.1' })], store.list(), { triggerTime: undefined });
  assert.equal(p.update[0]!.metadata.annotations!['endpoints.kubernetes.io/last-change-trigger-time'], undefined);
  assert.deepEqual(counts(plan(svcFixture({ deleting: true }), podsFixture(2))), [0, 0, 0]);
});

test('maxEndpointsPerSlice is honoured', () => {
  const p = plan(svcFixture(), podsFixture(25), [], { maxEndpointsPerSlice: 10 });
  assert.deepEqual(sizes(p.create), [10, 10, 5]);
});
