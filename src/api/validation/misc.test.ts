import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareForCreate, setDefaults } from '../defaults/index.js';
import type { Obj } from './common.js';
import { validate } from './index.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';

const s = (errs: readonly unknown[]) => errs.map(String);

test('ObjectMeta create rules', () => {
  const v = (meta: Obj, namespaced = true) => s(validateObjectMeta(meta, { namespaced, nameFn: 'dns1123Subdomain' }));
  assert.deepEqual(v({ name: 'a', namespace: 'default' }), []);
  assert.deepEqual(v({ namespace: 'default' }), ['metadata.name: Required value: name or generateName is required']);
  assert.deepEqual(v({ name: 'a' }), ['metadata.namespace: Required value']);
  assert.deepEqual(v({ name: 'a', namespace: 'x' }, false), ['metadata.namespace: Forbidden: not allowed on this type']);
  assert.deepEqual(v({ name: 'a', namespace: 'default', annotations: { a: 'x'.repeat(262144) } }), ['metadata.annotations: Too long: may not be more than 262144 bytes']);
  assert.deepEqual(v({ name: 'a', namespace: 'default', labels: { a: 'b c' } }).length, 1);
  assert.ok(v({ name: 'a', namespace: 'default', labels: { 'a/b/c': 'x' } })[0]!.startsWith('metadata.labels: Invalid value: "a/b/c": a qualified name must consist of'));
  assert.deepEqual(v({ name: 'a', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: '', uid: 'u' }] }), [
    'metadata.ownerReferences.name: Invalid value: "": must not be empty',
  ]);
  assert.deepEqual(v({ name: 'a', namespace: 'default', finalizers: ['example.com/f', 'kubernetes', 'custom'] }), [
    'metadata.finalizers[2]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
  ]);
});

test('ObjectMeta update rules', () => {
  const old = { name: 'a', namespace: 'ns', uid: 'u1', resourceVersion: '7', creationTimestamp: '2024-01-02T03:04:05Z' };
  assert.deepEqual(s(validateObjectMetaUpdate({ ...old }, old)), []);
  assert.deepEqual(s(validateObjectMetaUpdate({ ...old, resourceVersion: '' }, old)), ['metadata.resourceVersion: Invalid value: "": must be specified for an update']);
  assert.deepEqual(s(validateObjectMetaUpdate({ ...old, name: 'b', namespace: 'other' }, old)), [
    'metadata.name: Invalid value: "b": field is immutable',
    'metadata.namespace: Invalid value: "other": field is immutable',
  ]);
  assert.deepEqual(s(validateObjectMetaUpdate({ ...old, creationTimestamp: '2025-01-01T00:00:00Z' }, old)), [
    'metadata.creationTimestamp: Invalid value: 2025-01-01 00:00:00 +0000 UTC: field is immutable',
  ]);
});

test('Namespace defaults, PrepareForCreate and validation', () => {
  const ns = setDefaults<Obj>('', 'v1', 'Namespace', { metadata: { name: 'team-a', labels: { x: 'y' } } });
  assert.deepEqual(ns.metadata.labels, { x: 'y', 'kubernetes.io/metadata.name': 'team-a' });
  prepareForCreate('', 'v1', 'Namespace', ns);
  assert.deepEqual(ns.spec.finalizers, ['kubernetes']);
  assert.deepEqual(ns.status, { phase: 'Active' });
  assert.deepEqual(s(validate('', 'v1', 'Namespace', ns)), []);
  assert.deepEqual(s(validate('', 'v1', 'Namespace', { metadata: { name: 'a.b' } })), ['metadata.name: Invalid value: "a.b": must not contain dots']);
});

test('ConfigMap, Endpoints, EndpointSlice, Node, Lease, Event', () => {
  assert.deepEqual(s(validate('', 'v1', 'ConfigMap', { metadata: { name: 'c', namespace: 'd' }, data: { 'good.key': 'v' } })), []);
  assert.deepEqual(s(validate('', 'v1', 'ConfigMap', { metadata: { name: 'c', namespace: 'd' }, data: { 'bad key': 'v' } })), [
    "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
  ]);
  assert.deepEqual(s(validate('', 'v1', 'ConfigMap', { metadata: { name: 'c', namespace: 'd' }, data: { k: 'x'.repeat(1048577) } })), [': Too long: may not be more than 1048576 bytes']);

  const ep = setDefaults<Obj>('', 'v1', 'Endpoints', { metadata: { name: 'web', namespace: 'd' }, subsets: [{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 80 }] }] });
  assert.equal(ep.subsets[0].ports[0].protocol, 'TCP');
  assert.deepEqual(s(validate('', 'v1', 'Endpoints', ep)), []);
  assert.deepEqual(s(validate('', 'v1', 'Endpoints', { metadata: { name: 'web', namespace: 'd' }, subsets: [{ ports: [{ port: 80, protocol: 'TCP' }] }] })), [
    'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
  ]);

  const slice = setDefaults<Obj>('discovery.k8s.io', 'v1', 'EndpointSlice', {
    metadata: { name: 'web-abc', namespace: 'd' },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.244.1.5'] }],
    ports: [{ port: 80 }],
  });
  assert.deepEqual(slice.ports, [{ port: 80, name: '', protocol: 'TCP' }]);
  assert.deepEqual(s(validate('discovery.k8s.io', 'v1', 'EndpointSlice', slice)), []);
  const bad = { ...slice, addressType: 'IPv5', endpoints: [{ addresses: [] }] };
  assert.deepEqual(s(validate('discovery.k8s.io', 'v1', 'EndpointSlice', bad)), [
    'addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"',
    'endpoints[0].addresses: Required value: must contain at least 1 address',
  ]);
  const changed = { ...slice, metadata: { ...slice.metadata, resourceVersion: '2' }, addressType: 'IPv6', endpoints: [] };
  assert.deepEqual(s(validate('discovery.k8s.io', 'v1', 'EndpointSlice', changed, { ...slice, metadata: { ...slice.metadata, resourceVersion: '2' } })), [
    'addressType: Invalid value: "IPv6": field is immutable',
  ]);

  const node = setDefaults<Obj>('', 'v1', 'Node', { metadata: { name: 'n1' }, spec: { podCIDR: '10.244.1.0/24' }, status: { capacity: { cpu: '4' } } });
  assert.deepEqual(node.spec.podCIDRs, ['10.244.1.0/24']);
  assert.deepEqual(node.status.allocatable, { cpu: '4' });
  assert.deepEqual(s(validate('', 'v1', 'Node', node)), []);
  assert.deepEqual(s(validate('', 'v1', 'Node', { metadata: { name: 'n1', namespace: 'x' } })), ['metadata.namespace: Forbidden: not allowed on this type']);

  assert.deepEqual(s(validate('coordination.k8s.io', 'v1', 'Lease', { metadata: { name: 'l', namespace: 'd' }, spec: { leaseDurationSeconds: 0 } })), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
  ]);
  assert.deepEqual(s(validate('', 'v1', 'Event', { metadata: { name: 'e.1', namespace: 'd' }, involvedObject: { namespace: 'other' } })), [
    'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
  ]);
  // Unknown kinds and Events still get the generic path-segment name check.
  assert.deepEqual(s(validate('', 'v1', 'Event', { metadata: { name: 'a/b', namespace: 'd' }, involvedObject: { namespace: 'd' } })), [
    "metadata.name: Invalid value: \"a/b\": may not contain '/'",
  ]);
});
