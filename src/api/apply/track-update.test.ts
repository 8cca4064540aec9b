import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conflictMessage } from './conflict.js';
import { schemaFor } from './kind-schemas.js';
import type { ManagedFieldsEntry } from './managed-fields.js';
import { managerFromUserAgent, trackUpdate } from './track-update.js';

type Obj = Record<string, unknown>;
const schema = schemaFor('v1', 'Service');

function svc(spec: Obj, meta: Obj = {}, managedFields?: ManagedFieldsEntry[]): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', ...meta, ...(managedFields ? { managedFields } : {}) },
    spec,
  };
}

function track(old: Obj | undefined, next: Obj, manager: string, now = new Date('2024-01-01T00:00:00Z')): ManagedFieldsEntry[] {
  return trackUpdate(old, next, { manager, operation: 'Update', apiVersion: 'v1', schema, now });
}

test('a create by client-side apply owns what upstream records', () => {
  const next = svc({ ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'web' } }, { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } });
  assert.deepEqual(track(undefined, next, 'kubectl-client-side-apply'), [
    {
      manager: 'kubectl-client-side-apply',
      operation: 'Update',
      apiVersion: 'v1',
      time: '2024-01-01T00:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} } },
        'f:spec': {
          'f:ports': { '.': {}, 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} } },
          'f:selector': {},
        },
      },
    },
  ]);
});

test('other managers lose the fields a write changes; empty entries disappear; order is Apply, then by time', () => {
  const created = svc({ selector: { app: 'web' }, type: 'ClusterIP' });
  const mf1 = track(undefined, created, 'creator');
  const v2 = svc({ selector: { app: 'web' }, type: 'NodePort' }, {}, mf1);
  const mf2 = track({ ...created, metadata: { ...(created['metadata'] as Obj), managedFields: mf1 } }, v2, 'kubectl-edit', new Date('2024-01-02T00:00:00Z'));
  assert.deepEqual(mf2.map((e) => [e.manager, e.fieldsV1]), [
    ['creator', { 'f:spec': { 'f:selector': {} } }],
    ['kubectl-edit', { 'f:spec': { 'f:type': {} } }],
  ]);
  const v3 = svc({ selector: { app: 'api' }, type: 'NodePort' }, {}, mf2);
  const mf3 = track({ ...v2, metadata: { ...(v2['metadata'] as Obj), managedFields: mf2 } }, v3, 'kubectl-edit', new Date('2024-01-03T00:00:00Z'));
  assert.deepEqual(mf3.map((e) => e.manager), ['kubectl-edit']);
  assert.deepEqual(mf3[0]?.fieldsV1, { 'f:spec': { 'f:selector': {}, 'f:type': {} } });
});

test('managedFields: [{}] clears them, and an existing unowned object stays untracked', () => {
  const old = svc({ type: 'ClusterIP' }, {}, track(undefined, svc({ type: 'ClusterIP' }), 'creator'));
  assert.deepEqual(track(old, { ...svc({ type: 'NodePort' }), metadata: { name: 'web', uid: 'u1', managedFields: [{}] } }, 'x'), []);
  assert.deepEqual(track(svc({ type: 'ClusterIP' }), svc({ type: 'NodePort' }), 'x'), []);
});

test('status is not owned through the main resource', () => {
  const mf = track(undefined, { ...svc({ type: 'ClusterIP' }), status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } }, 'creator');
  assert.deepEqual(mf[0]?.fieldsV1, { 'f:spec': { 'f:type': {} } });
});

const agents: Array<[string, string]> = [
  ['kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9', 'kubectl'],
  ['kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/abc/system:serviceaccount:kube-system:deployment-controller', 'kube-controller-manager'],
  ['curl/8.5.0', 'curl'],
  ['', ''],
  ['a\tb/1', 'ab'],
  ['x'.repeat(200), 'x'.repeat(128)],
];

for (const [ua, want] of agents) {
  test(`managerFromUserAgent(${JSON.stringify(ua.slice(0, 30))})`, () => {
    assert.equal(managerFromUserAgent(ua), want);
  });
}

test('several conflicts are grouped by manager, as upstream words them', () => {
  const msg = conflictMessage([
    { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'v1', field: '.spec.type' },
    { manager: 'alice', operation: 'Apply', apiVersion: 'v1', field: '.spec.selector' },
    { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'v1', field: '.spec.ports[port=80,protocol="TCP"].targetPort' },
  ]);
  assert.equal(
    msg,
    'Apply failed with 3 conflicts: conflicts with "alice":\n- .spec.selector\n' +
      'conflicts with "kubectl-edit" using v1:\n- .spec.type\n- .spec.ports[port=80,protocol="TCP"].targetPort',
  );
});
