import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Allocations } from './allocations.js';
import { parsePool } from './pool.js';
import { quoteIPs, rebuildAllocations, reconcileLoadBalancer, type LBConfig, type LBDecision } from './reconcile.js';
import type { Service, ServiceSpec } from '../../api/types/core/index.js';
import { ingressFor, requestedIPs } from './service.js';

const cfg: LBConfig = { pool: parsePool('172.18.255.200-172.18.255.201') };
const POOL = 'default (172.18.255.200-172.18.255.201)';

function svc(name: string, extra: { spec?: Service['spec']; annotations?: Record<string, string>; ingress?: string[]; created?: string } = {}): Service {
  return {
    metadata: { name, namespace: 'default', annotations: extra.annotations, creationTimestamp: extra.created ?? '2026-01-01T00:00:00Z' },
    spec: { type: 'LoadBalancer', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', clusterIP: '10.96.0.50', ...extra.spec },
    status: { loadBalancer: extra.ingress ? { ingress: ingressFor(extra.ingress) } : {} },
  };
}

/** Syncs and, like a successful status write, puts the decided ingress into the object. */
function sync(s: Service, state: Allocations, c: LBConfig = cfg): LBDecision {
  const d = reconcileLoadBalancer(`default/${s.metadata.name}`, s, state, c);
  if (d.ingress) s.status = { loadBalancer: d.ingress.length ? { ingress: ingressFor(d.ingress) } : {} };
  return d;
}

test('assigns the lowest free address, once, with an IPAllocated event', () => {
  const state = new Allocations();
  const a = svc('a');
  const d = sync(a, state);
  assert.deepEqual(d.ingress, ['172.18.255.200']);
  assert.deepEqual(d.events, [{ type: 'Normal', reason: 'IPAllocated', message: 'Assigned IP ["172.18.255.200"]' }]);
  assert.equal(d.pending, false);
  assert.deepEqual(a.status?.loadBalancer?.ingress, [{ ip: '172.18.255.200', ipMode: 'VIP' }]);
  // Synced again with the status in place: nothing to write, nothing to say.
  assert.deepEqual(sync(a, state), { events: [], released: [], pending: false });
});

test('an exhausted pool leaves the third Service pending with an AllocationFailed warning; a delete frees its address', () => {
  const state = new Allocations();
  const [a, b, c] = [svc('a'), svc('b'), svc('c')];
  assert.deepEqual(sync(a, state).ingress, ['172.18.255.200']);
  assert.deepEqual(sync(b, state).ingress, ['172.18.255.201']);
  const dc = sync(c, state);
  assert.equal(dc.ingress, undefined, 'an empty status is left alone');
  assert.equal(dc.pending, true);
  assert.deepEqual(dc.events, [
    { type: 'Warning', reason: 'AllocationFailed', message: `Failed to allocate IP for "default/c": no available IPs in pool ${POOL} for IPv4 IPFamily` },
  ]);
  const del = reconcileLoadBalancer('default/a', undefined, state, cfg);
  assert.deepEqual(del.released, ['172.18.255.200']);
  assert.deepEqual(sync(c, state).ingress, ['172.18.255.200']);
});

test('never gives one address to two Services', () => {
  const state = new Allocations();
  const seen = new Set<string>();
  for (const name of ['a', 'b', 'c', 'd']) for (const ip of sync(svc(name), state).ingress ?? []) {
    assert.ok(!seen.has(ip), ip);
    seen.add(ip);
  }
  assert.equal(seen.size, 2);
});

test('Services of another loadBalancerClass, and non-LoadBalancer Services, are left alone', () => {
  const state = new Allocations();
  const other = svc('o', { spec: { loadBalancerClass: 'other.example/lb' } });
  assert.deepEqual(sync(other, state), { ingress: undefined, events: [], released: [], pending: false });
  assert.equal(sync(svc('n', { spec: { type: 'NodePort' } }), state).ingress, undefined);
  assert.equal(state.size, 0);
  // A controller running for that class takes it, and ignores class-less Services.
  const mine: LBConfig = { ...cfg, loadBalancerClass: 'other.example/lb' };
  assert.deepEqual(sync(other, state, mine).ingress, ['172.18.255.200']);
  assert.equal(sync(svc('plain'), state, mine).ingress, undefined);
});

test('switching away from LoadBalancer releases the address and clears our status', () => {
  const state = new Allocations();
  const a = svc('a');
  sync(a, state);
  a.spec = { ...a.spec, type: 'ClusterIP' };
  const d = sync(a, state);
  assert.deepEqual(d.ingress, []);
  assert.deepEqual(d.released, ['172.18.255.200']);
  assert.deepEqual(a.status, { loadBalancer: {} });
  // A status that shows someone else's addresses is not ours to clear.
  const state2 = new Allocations();
  const foreign = svc('f', { spec: { type: 'ClusterIP' }, ingress: ['203.0.113.9'] });
  assert.equal(sync(foreign, state2).ingress, undefined);
});

test('a requested address is honoured: spec.loadBalancerIP, our annotation, MetalLB annotations', () => {
  const extras: Parameters<typeof svc>[1][] = [
    { spec: { loadBalancerIP: '172.18.255.201' } },
    { annotations: { 'svcnet.io/loadBalancerIPs': '172.18.255.201' } },
    { annotations: { 'metallb.io/loadBalancerIPs': '172.18.255.201' } },
    { annotations: { 'metallb.universe.tf/loadBalancerIPs': '172.18.255.201' } },
  ];
  for (const extra of extras) {
    const state = new Allocations();
    assert.deepEqual(sync(svc('r', extra), state).ingress, ['172.18.255.201'], JSON.stringify(extra));
  }
});

test('a request for a taken or outside address fails; the holder keeps it', () => {
  const state = new Allocations();
  sync(svc('a'), state); // .200
  const taken = sync(svc('b', { spec: { loadBalancerIP: '172.18.255.200' } }), state);
  assert.equal(taken.pending, true);
  assert.equal(taken.events[0]?.message, 'Failed to allocate IP for "default/b": requested IP "172.18.255.200" is already in use by Service default/a');
  assert.equal(state.holder('172.18.255.200'), 'default/a');
  const outside = sync(svc('c', { spec: { loadBalancerIP: '10.1.2.3' } }), state);
  assert.equal(outside.events[0]?.message, `Failed to allocate IP for "default/c": requested IP "10.1.2.3" is not in pool ${POOL}`);
});

test('changing the requested address moves the Service and frees the old one', () => {
  const state = new Allocations();
  const a = svc('a');
  sync(a, state);
  a.metadata.annotations = { 'svcnet.io/loadBalancerIPs': '172.18.255.201' };
  const d = sync(a, state);
  assert.deepEqual(d.ingress, ['172.18.255.201']);
  assert.deepEqual(d.released, ['172.18.255.200']);
  assert.equal(d.events[0]?.message, 'Assigned IP ["172.18.255.201"]');
});

test('invalid requests: LoadBalancerFailed, and an address already shown is taken back', () => {
  const state = new Allocations();
  const a = svc('a');
  sync(a, state);
  a.metadata.annotations = { 'svcnet.io/loadBalancerIPs': 'nope' };
  const d = sync(a, state);
  assert.deepEqual(d.ingress, []);
  assert.deepEqual(d.events, [{ type: 'Warning', reason: 'LoadBalancerFailed', message: 'invalid requested loadbalancer IPs: invalid svcnet.io/loadBalancerIPs: "nope"' }]);
  assert.equal(d.pending, false, 'a release elsewhere cannot fix a bad request');
  assert.equal(state.size, 0);
  const both = svc('b', { spec: { loadBalancerIP: '172.18.255.200' }, annotations: { 'metallb.io/loadBalancerIPs': '172.18.255.201' } });
  assert.deepEqual(requestedIPs(both), { error: 'service can not have both metallb.io/loadBalancerIPs and spec.loadBalancerIP' });
  const wrongFamily = sync(svc('c', { annotations: { 'svcnet.io/loadBalancerIPs': '2001:db8::1' } }), state);
  assert.match(wrongFamily.events[0]!.message, /requested loadBalancer IP\(s\) \["2001:db8::1"\] does not match the ipFamily of the service/);
});

test('dual-stack: one address per family; PreferDualStack settles for what the pool has', () => {
  const dual: LBConfig = { pool: parsePool(['172.18.255.200-172.18.255.200', '2001:db8::/126']) };
  const state = new Allocations();
  const spec: ServiceSpec = { ipFamilies: ['IPv6', 'IPv4'], ipFamilyPolicy: 'RequireDualStack' };
  assert.deepEqual(sync(svc('a', { spec }), state, dual).ingress, ['2001:db8::', '172.18.255.200']);
  // IPv4 is gone: RequireDualStack fails (and holds nothing), PreferDualStack takes IPv6 only.
  const req = sync(svc('b', { spec }), state, dual);
  assert.equal(req.pending, true);
  assert.match(req.events[0]!.message, /no available IPs in pool .* for IPv4 IPFamily/);
  assert.deepEqual(state.ipsOf('default/b'), []);
  assert.deepEqual(sync(svc('c', { spec: { ...spec, ipFamilyPolicy: 'PreferDualStack' } }), state, dual).ingress, ['2001:db8::1']);
  const v6only = sync(svc('d', { spec: { ipFamilies: ['IPv6'] } }), new Allocations(), cfg);
  assert.match(v6only.events[0]!.message, /pool default \(172.18.255.200-172.18.255.201\) has no IPv6 addresses/);
});

test('a restart rebuilds from status without reassigning; the older claim wins a duplicate', () => {
  const services = [
    svc('late', { ingress: ['172.18.255.200'], created: '2026-01-02T00:00:00Z' }),
    svc('early', { ingress: ['172.18.255.200'], created: '2026-01-01T00:00:00Z' }),
    svc('b', { ingress: ['172.18.255.201'] }),
    svc('outside', { ingress: ['10.9.9.9'] }),
    svc('other-class', { ingress: ['172.18.255.201'], spec: { loadBalancerClass: 'x.example/lb' } }),
  ];
  const state = rebuildAllocations(services, cfg);
  assert.deepEqual(Object.fromEntries(state.entries()), { 'default/early': ['172.18.255.200'], 'default/b': ['172.18.255.201'] });
  // Syncing the kept ones writes nothing; the losers are pending (the pool is full).
  assert.deepEqual(sync(services[1]!, state), { events: [], released: [], pending: false });
  assert.deepEqual(sync(services[2]!, state), { events: [], released: [], pending: false });
  const late = sync(services[0]!, state);
  assert.equal(late.pending, true);
  assert.deepEqual(late.ingress, [], 'the duplicate address is taken off its status');
});

test('quoteIPs prints as Go %q of a slice', () => {
  assert.equal(quoteIPs(['1.2.3.4', '2001:db8::1']), '["1.2.3.4" "2001:db8::1"]');
});
