import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoints } from '../../api/types/core/index.js';
import { FakeSliceStore } from '../shared/testing.js';
import { shouldMirror } from './controller.js';
import { reconcileMirroredSlices } from './reconcile.js';

function endpoints(subsets: Endpoints['subsets'], meta: Partial<Endpoints['metadata']> = {}): Endpoints {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ext', namespace: 'default', uid: 'ep-uid', ...meta }, subsets };
}

test('mirrors each subset into a slice per address type, owned by the Endpoints', () => {
  const ep = endpoints(
    [
      {
        addresses: [{ ip: '192.168.1.10', nodeName: 'n1', hostname: 'h' }, { ip: 'fd00:0:0::5' }],
        notReadyAddresses: [{ ip: '192.168.1.11' }],
        ports: [{ name: 'http', port: 80 }],
      },
    ],
    { labels: { team: 'x' }, annotations: { note: 'y', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
  );
  const p = reconcileMirroredSlices({ endpoints: ep, existingSlices: [] });
  assert.equal(p.create.length, 2);
  const v4 = p.create.find((s) => s.addressType === 'IPv4')!;
  const v6 = p.create.find((s) => s.addressType === 'IPv6')!;
  assert.equal(v4.metadata.generateName, 'ext-');
  assert.deepEqual(v4.metadata.labels, { team: 'x', 'kubernetes.io/service-name': 'ext', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' });
  assert.deepEqual(v4.metadata.annotations, { note: 'y' });
  assert.deepEqual(v4.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Endpoints', name: 'ext', uid: 'ep-uid', controller: true, blockOwnerDeletion: true }]);
  assert.deepEqual(v4.ports, [{ name: 'http', port: 80, protocol: 'TCP' }]);
  assert.deepEqual(
    v4.endpoints!.map((e) => [e.addresses[0], e.conditions]),
    [
      ['192.168.1.10', { ready: true }],
      ['192.168.1.11', { ready: false }],
    ],
  );
  assert.equal(v4.endpoints![0]!.nodeName, 'n1');
  assert.equal(v4.endpoints![0]!.hostname, 'h');
  assert.deepEqual(v6.endpoints!.map((e) => e.addresses), [['fd00::5']], 'IPs written canonically');
});

test('converges, then only real changes write; removed subsets delete their slice', () => {
  const store = new FakeSliceStore();
  const ep = endpoints([{ addresses: [{ ip: '10.1.0.1' }, { ip: '10.1.0.2' }], ports: [{ port: 80 }] }]);
  store.apply(reconcileMirroredSlices({ endpoints: ep, existingSlices: [] }));
  const again = reconcileMirroredSlices({ endpoints: ep, existingSlices: store.list() });
  assert.deepEqual([again.create.length, again.update.length, again.delete.length], [0, 0, 0]);

  const changed = endpoints([{ addresses: [{ ip: '10.1.0.1' }, { ip: '10.1.0.3' }], ports: [{ port: 80 }] }]);
  const upd = reconcileMirroredSlices({ endpoints: changed, existingSlices: store.list() });
  assert.deepEqual([upd.create.length, upd.update.length, upd.delete.length], [0, 1, 0]);
  assert.equal(upd.update[0]!.metadata.name, store.list()[0]!.metadata.name, 'rewritten in place');

  const relabelled = reconcileMirroredSlices({ endpoints: endpoints(ep.subsets, { labels: { a: 'b' } }), existingSlices: store.list() });
  assert.equal(relabelled.update.length, 1, 'label changes are mirrored');

  // A different port: the old slice is recycled for the new key.
  const newPort = reconcileMirroredSlices({ endpoints: endpoints([{ addresses: [{ ip: '10.1.0.1' }], ports: [{ port: 81 }] }]), existingSlices: store.list() });
  assert.deepEqual([newPort.create.length, newPort.update.length, newPort.delete.length], [0, 1, 0]);
  assert.equal(newPort.update[0]!.ports![0]!.port, 81);

  const gone = reconcileMirroredSlices({ endpoints: endpoints([]), existingSlices: store.list() });
  assert.deepEqual([gone.create.length, gone.update.length, gone.delete.length], [0, 0, 1]);

  // Duplicate slices for one key: the first is kept, the rest deleted.
  const dup = structuredClone(store.list()[0]!);
  dup.metadata.name = 'ext-dup';
  const dedup = reconcileMirroredSlices({ endpoints: ep, existingSlices: [...store.list(), dup] });
  assert.deepEqual(dedup.delete.map((s) => s.metadata.name), ['ext-dup']);
});

test('invalid IPs and addresses over the per-subset limit are counted', () => {
  const p = reconcileMirroredSlices({
    endpoints: endpoints([{ addresses: [{ ip: '0-not-an-ip' }, { ip: '10.0.0.1' }, { ip: '10.0.0.2' }], notReadyAddresses: [{ ip: '10.0.0.3' }], ports: [{ port: 80 }] }]),
    existingSlices: [],
    maxEndpointsPerSubset: 2,
  });
  // Repacking sorts addresses by their text first, so the invalid one comes first here.
  assert.equal(p.invalidAddresses, 1);
  assert.equal(p.skippedAddresses, 2);
  assert.deepEqual(p.create[0]!.endpoints!.map((e) => e.addresses[0]).sort(), ['10.0.0.1', '10.0.0.2']);
});

test('shouldMirror honours skip-mirror and leader-election', () => {
  assert.ok(shouldMirror(endpoints([])));
  assert.ok(!shouldMirror(endpoints([], { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } })));
  assert.ok(!shouldMirror(endpoints([], { annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } })));
  assert.ok(!shouldMirror(undefined));
});
