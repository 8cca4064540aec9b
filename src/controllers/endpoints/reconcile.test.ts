import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointAddress, Endpoints, EndpointSubset } from '../../api/types/core/index.js';
import { podFixture, podsFixture, svcFixture } from '../shared/testing.js';
import { desiredSubsets, reconcileEndpoints, truncateSubsets } from './reconcile.js';
import { repackSubsets } from './repack.js';

const addr = (ip: string, uid = `u-${ip}`): EndpointAddress => ({ ip, targetRef: { kind: 'Pod', name: `p-${ip}`, uid } });
const ips = (a: EndpointAddress[] | undefined) => (a ?? []).map((x) => x.ip);

test('repackSubsets: dedupes, groups by port set, not-ready wins, sorts', () => {
  const p80 = { name: 'http', port: 80, protocol: 'TCP' } as const;
  const p443 = { name: 'https', port: 443, protocol: 'TCP' } as const;
  const cases: { name: string; input: EndpointSubset[]; want: { addresses: string[]; notReady: string[]; ports: number[] }[] }[] = [
    {
      name: 'one address per subset, same port: merged and sorted by IP text',
      input: [{ addresses: [addr('10.0.0.9')], ports: [p80] }, { addresses: [addr('10.0.0.10')], ports: [p80] }],
      want: [{ addresses: ['10.0.0.10', '10.0.0.9'], notReady: [], ports: [80] }],
    },
    {
      name: 'duplicates collapse',
      input: [{ addresses: [addr('1.1.1.1'), addr('1.1.1.1')], ports: [p80] }],
      want: [{ addresses: ['1.1.1.1'], notReady: [], ports: [80] }],
    },
    {
      name: 'not ready on one occurrence wins',
      input: [{ addresses: [addr('1.1.1.1')], ports: [p80] }, { notReadyAddresses: [addr('1.1.1.1')], ports: [p80] }],
      want: [{ addresses: [], notReady: ['1.1.1.1'], ports: [80] }],
    },
    {
      name: 'addresses serving both ports share a subset; one serving only one port gets its own',
      input: [
        { addresses: [addr('1.1.1.1'), addr('2.2.2.2')], ports: [p80, p443] },
        { addresses: [addr('3.3.3.3')], ports: [p80] },
      ],
      want: [
        { addresses: ['1.1.1.1', '2.2.2.2', '3.3.3.3'], notReady: [], ports: [80] },
        { addresses: ['1.1.1.1', '2.2.2.2'], notReady: [], ports: [443] },
      ],
    },
    {
      name: 'no ports: addresses kept',
      input: [{ addresses: [addr('1.1.1.1')] }],
      want: [{ addresses: ['1.1.1.1'], notReady: [], ports: [] }],
    },
  ];
  for (const c of cases) {
    const got = repackSubsets(c.input).map((s) => ({ addresses: ips(s.addresses), notReady: ips(s.notReadyAddresses), ports: (s.ports ?? []).map((p) => p.port) }));
    const sortKey = (x: { ports: number[]; addresses: string[] }) => JSON.stringify([x.ports, x.addresses]);
    assert.deepEqual(got.sort((a, b) => sortKey(a).localeCompare(sortKey(b))), [...c.want].sort((a, b) => sortKey(a).localeCompare(sortKey(b))), c.name);
    assert.deepEqual(repackSubsets(c.input), repackSubsets([...c.input].reverse()), `${c.name}: order-independent`);
  }
});

test('desiredSubsets: ready and not-ready Pods, terminating ones out unless publishNotReadyAddresses', () => {
  const pods = [
    podFixture('a', { ip: '10.0.0.1' }),
    podFixture('b', { ip: '10.0.0.2', ready: false }),
    podFixture('c', { ip: '10.0.0.3', deleting: true }),
    podFixture('d', { ip: '10.0.0.4', phase: 'Failed' }),
    podFixture('e', { hostname: 'e', subdomain: 'web', ip: '10.0.0.5' }),
  ];
  const [s] = desiredSubsets(svcFixture(), pods);
  assert.deepEqual(ips(s!.addresses), ['10.0.0.1', '10.0.0.5']);
  assert.deepEqual(ips(s!.notReadyAddresses), ['10.0.0.2']);
  assert.deepEqual(s!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  assert.deepEqual(s!.addresses![1], { ip: '10.0.0.5', hostname: 'e', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'e', uid: 'uid-e' } });
  const [pub] = desiredSubsets(svcFixture({ publishNotReadyAddresses: true }), pods);
  assert.deepEqual(ips(pub!.addresses), ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.5']);
  // Primary family only; headless without ports keeps addresses.
  const dual = desiredSubsets(svcFixture({ ipFamilies: ['IPv6', 'IPv4'] }), [podFixture('x', { ip: ['10.0.0.1', 'fd00::1'] })]);
  assert.deepEqual(ips(dual[0]!.addresses), ['fd00::1']);
  const headless = desiredSubsets(svcFixture({ clusterIP: 'None', ports: [] }), [podFixture('x', { ip: '10.0.0.1' })]);
  assert.deepEqual(headless, [{ addresses: [{ ip: '10.0.0.1', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'x', uid: 'uid-x' } }] }]);
});

test('truncateSubsets keeps ready addresses first, proportionally', () => {
  const many = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => addr(`${prefix}.${Math.floor(i / 250)}.${i % 250}`));
  const cases: { name: string; subsets: EndpointSubset[]; max: number; truncated: boolean; want: [number, number][] }[] = [
    { name: 'under capacity', subsets: [{ addresses: many('10.0', 5) }], max: 10, truncated: false, want: [[5, 0]] },
    {
      name: 'not-ready trimmed to the room left, per subset share',
      subsets: [{ addresses: many('10.0', 4), notReadyAddresses: many('10.1', 6) }, { addresses: many('10.2', 2), notReadyAddresses: many('10.3', 2) }],
      max: 10,
      truncated: true,
      want: [[4, 3], [2, 1]],
    },
    {
      name: 'ready over capacity: not-ready dropped, ready trimmed',
      subsets: [{ addresses: many('10.0', 15), notReadyAddresses: many('10.1', 3) }, { addresses: many('10.2', 5) }],
      max: 10,
      truncated: true,
      want: [[8, 0], [2, 0]],
    },
  ];
  for (const c of cases) {
    assert.equal(truncateSubsets(c.subsets, c.max), c.truncated, c.name);
    assert.deepEqual(c.subsets.map((s) => [s.addresses?.length ?? 0, s.notReadyAddresses?.length ?? 0]), c.want, c.name);
  }
});

test('reconcileEndpoints: create, no-op when unchanged, labels, capacity annotation', () => {
  const svc = svcFixture({ labels: { app: 'web' } });
  const pods = podsFixture(3);
  const created = reconcileEndpoints({ service: svc, pods, triggerTime: '2024-01-01T00:00:10Z' });
  assert.ok(created.action === 'create');
  const ep = created.endpoints;
  assert.equal(ep.metadata.name, 'web');
  assert.deepEqual(ep.metadata.labels, { app: 'web' });
  assert.equal(ep.metadata.annotations!['endpoints.kubernetes.io/last-change-trigger-time'], '2024-01-01T00:00:10Z');
  const stored: Endpoints = { ...structuredClone(ep), metadata: { ...ep.metadata, resourceVersion: '5', uid: 'x' } };
  assert.equal(reconcileEndpoints({ service: svc, pods, current: stored, triggerTime: '2024-01-01T00:09:00Z' }).action, 'none', 'only the trigger time differs');
  const relabelled = reconcileEndpoints({ service: svcFixture({ labels: { app: 'web', v: '2' } }), pods, current: stored });
  assert.equal(relabelled.action, 'update');
  const headless = reconcileEndpoints({ service: svcFixture({ clusterIP: 'None' }), pods });
  assert.equal(headless.action !== 'none' && headless.endpoints.metadata.labels!['service.kubernetes.io/headless'], '');

  const big = podsFixture(1001);
  const over = reconcileEndpoints({ service: svc, pods: big });
  assert.ok(over.action === 'create');
  const total = (over.endpoints.subsets ?? []).reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
  assert.equal(total, 1000);
  assert.equal(over.endpoints.metadata.annotations!['endpoints.kubernetes.io/over-capacity'], 'truncated');
  const overStored = { ...structuredClone(over.endpoints), metadata: { ...over.endpoints.metadata, resourceVersion: '7' } };
  assert.equal(reconcileEndpoints({ service: svc, pods: big, current: overStored }).action, 'none', 'truncated and annotated already');
  const back = reconcileEndpoints({ service: svc, pods: big.slice(0, 1000), current: overStored });
  assert.ok(back.action === 'update');
  assert.equal(back.endpoints.metadata.annotations!['endpoints.kubernetes.io/over-capacity'], undefined);
});
