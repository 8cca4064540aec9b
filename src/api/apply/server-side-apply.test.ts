import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conflictError } from './conflict.js';
import { schemaFor } from './kind-schemas.js';
import type { ManagedFieldsEntry } from './managed-fields.js';
import { LAST_APPLIED_ANNOTATION, serverSideApply } from './server-side-apply.js';
import type { ApplyResult } from './server-side-apply.js';
import { trackUpdate } from './track-update.js';

type Obj = Record<string, unknown>;
const T0 = new Date('2024-05-01T10:00:00.123Z');
const T1 = new Date('2024-05-01T10:05:00Z');

function deployment(spec: Obj, meta: Obj = {}): Obj {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', ...meta }, spec };
}

function service(ports: Obj[]): Obj {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'dns', namespace: 'default' }, spec: { ports } };
}

function ssa(live: Obj | undefined, applied: Obj, manager: string, opts: { force?: boolean; now?: Date } = {}): ApplyResult {
  const apiVersion = String(applied['apiVersion']);
  return serverSideApply(live, applied, {
    manager,
    force: opts.force ?? false,
    apiVersion,
    schema: schemaFor(apiVersion, String(applied['kind'])),
    now: opts.now ?? T0,
  });
}

function ok(r: ApplyResult): Obj {
  assert.ok('object' in r, `unexpected conflicts: ${JSON.stringify((r as { conflicts: unknown }).conflicts)}`);
  // An existing object carries a uid; the tests' "storage" adds one like the registry would.
  const o = r.object;
  (o['metadata'] as Obj)['uid'] ??= 'uid-1';
  return o;
}

function fields(o: Obj, manager: string): unknown {
  const mf = (o['metadata'] as Obj)['managedFields'] as ManagedFieldsEntry[];
  return mf.find((e) => e.manager === manager)?.fieldsV1;
}

function managers(o: Obj): string[] {
  return (((o['metadata'] as Obj)['managedFields'] ?? []) as ManagedFieldsEntry[]).map((e) => `${e.manager}/${e.operation}`);
}

function update(old: Obj, next: Obj, manager: string, subresource?: string): Obj {
  const apiVersion = String(next['apiVersion']);
  const mf = trackUpdate(old, next, {
    manager,
    operation: 'Update',
    apiVersion,
    schema: schemaFor(apiVersion, String(next['kind'])),
    now: T1,
    ...(subresource ? { subresource } : {}),
  });
  const out = structuredClone(next);
  (out['metadata'] as Obj)['managedFields'] = mf;
  return out;
}

function spec(o: Obj): Obj {
  return o['spec'] as Obj;
}

test('apply creates the object and records an Apply entry shaped like upstream', () => {
  const o = ok(ssa(undefined, deployment({ replicas: 2, selector: { matchLabels: { app: 'web' } } }, { labels: { app: 'web' } }), 'kubectl'));
  assert.equal(spec(o)['replicas'], 2);
  assert.deepEqual((o['metadata'] as Obj)['managedFields'], [
    {
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: '2024-05-01T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:replicas': {}, 'f:selector': {} } },
    },
  ]);
});

test('re-applying without a field removes it', () => {
  const o1 = ok(ssa(undefined, deployment({ replicas: 2, minReadySeconds: 5 }, { labels: { app: 'web', tier: 'fe' } }), 'kubectl'));
  const o2 = ok(ssa(o1, deployment({ replicas: 2 }, { labels: { app: 'web' } }), 'kubectl', { now: T1 }));
  assert.equal(spec(o2)['minReadySeconds'], undefined);
  assert.deepEqual((o2['metadata'] as Obj)['labels'], { app: 'web' });
  assert.deepEqual(fields(o2, 'kubectl'), { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:replicas': {} } });
});

test('two appliers owning different fields coexist; one dropping its field leaves the other alone', () => {
  const o1 = ok(ssa(undefined, deployment({ replicas: 2 }), 'alice'));
  const o2 = ok(ssa(o1, deployment({ paused: true }, { annotations: { note: 'x' } }), 'bob'));
  assert.deepEqual(managers(o2), ['alice/Apply', 'bob/Apply']);
  assert.equal(spec(o2)['replicas'], 2);
  const o3 = ok(ssa(o2, deployment({}), 'bob'));
  assert.equal(spec(o3)['paused'], undefined);
  assert.equal(((o3['metadata'] as Obj)['annotations'] as Obj | undefined)?.['note'], undefined);
  assert.equal(spec(o3)['replicas'], 2);
  assert.deepEqual(managers(o3), ['alice/Apply']);
});

const conflictCases: Array<{ name: string; value: number; force: boolean; conflict: boolean; owners: string[] }> = [
  { name: 'a different value conflicts', value: 3, force: false, conflict: true, owners: ['alice'] },
  { name: 'the same value is shared without conflict', value: 2, force: false, conflict: false, owners: ['alice', 'bob'] },
  { name: 'force takes ownership', value: 3, force: true, conflict: false, owners: ['bob'] },
];

for (const c of conflictCases) {
  test(`second applier on .spec.replicas: ${c.name}`, () => {
    const o1 = ok(ssa(undefined, deployment({ replicas: 2, paused: false }), 'alice'));
    const r = ssa(o1, deployment({ replicas: c.value }), 'bob', { force: c.force });
    if (c.conflict) {
      assert.deepEqual(r, { conflicts: [{ manager: 'alice', operation: 'Apply', apiVersion: 'apps/v1', field: '.spec.replicas' }] });
      return;
    }
    const o2 = ok(r);
    assert.equal(spec(o2)['replicas'], c.value);
    const owners = ['alice', 'bob'].filter((m) => JSON.stringify(fields(o2, m) ?? {}).includes('f:replicas'));
    assert.deepEqual(owners, c.owners);
  });
}

test('a shared field survives when one of its appliers stops applying it', () => {
  const o1 = ok(ssa(undefined, deployment({ replicas: 2 }), 'alice'));
  const o2 = ok(ssa(o1, deployment({ replicas: 2 }), 'bob'));
  const o3 = ok(ssa(o2, deployment({}), 'alice'));
  assert.equal(spec(o3)['replicas'], 2);
});

test('Service ports 53/TCP and 53/UDP are two entries; dropping one removes only it', () => {
  const tcp = { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 };
  const udp = { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 };
  const o1 = ok(ssa(undefined, service([udp, tcp]), 'kubectl'));
  const ports = (fields(o1, 'kubectl') as Obj)['f:spec'] as Obj;
  assert.deepEqual(Object.keys(ports['f:ports'] as Obj), ['k:{"port":53,"protocol":"TCP"}', 'k:{"port":53,"protocol":"UDP"}']);
  const o2 = ok(ssa(o1, service([udp]), 'kubectl'));
  assert.deepEqual(spec(o2)['ports'], [udp]);
});

test('kubectl scale (an Update) then apply with other replicas conflicts, naming the updater', () => {
  const o1 = ok(ssa(undefined, deployment({ replicas: 2, minReadySeconds: 1 }), 'kubectl'));
  const scaled = update(o1, { ...o1, spec: { ...spec(o1), replicas: 5 } }, 'kubectl-scale', 'scale');
  assert.deepEqual(managers(scaled), ['kubectl/Apply', 'kubectl-scale/Update']);
  assert.deepEqual(fields(scaled, 'kubectl'), { 'f:spec': { 'f:minReadySeconds': {} } }, 'the applier lost .spec.replicas');
  const r = ssa(scaled, deployment({ replicas: 2, minReadySeconds: 1 }), 'kubectl');
  assert.ok('conflicts' in r);
  const err = conflictError('apps', 'Deployment', 'web', r.conflicts);
  assert.equal(err.code, 409);
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-scale" with subresource "scale" using apps/v1: .spec.replicas');
  assert.deepEqual(err.toStatus().details, {
    causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-scale" with subresource "scale" using apps/v1', field: '.spec.replicas' }],
  });
});

test('client-side apply then server-side apply of changed fields upgrades without conflict', () => {
  const manifest = deployment({ replicas: 2 });
  const created = update(
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: {} },
    deployment({ replicas: 2 }, { annotations: { [LAST_APPLIED_ANNOTATION]: `${JSON.stringify(manifest)}\n` } }),
    'kubectl-client-side-apply',
  );
  (created['metadata'] as Obj)['uid'] = 'uid-1';
  const o = ok(ssa(created, deployment({ replicas: 4 }), 'kubectl'));
  assert.equal(spec(o)['replicas'], 4);
  const last = JSON.parse(((o['metadata'] as Obj)['annotations'] as Obj)[LAST_APPLIED_ANNOTATION] as string) as Obj;
  assert.equal(spec(last)['replicas'], 4, 'kubectl keeps the last-applied annotation in step');
  // Another manager name gets the conflict.
  const r = ssa(created, deployment({ replicas: 4 }), 'other');
  assert.ok('conflicts' in r);
  assert.equal(r.conflicts[0]?.manager, 'kubectl-client-side-apply');
});

test('apply to an object nobody owns yet conflicts with before-first-apply', () => {
  const live = { ...deployment({ replicas: 1 }), metadata: { name: 'web', namespace: 'default', uid: 'u' } };
  const r = ssa(live, deployment({ replicas: 3 }), 'mine');
  assert.ok('conflicts' in r);
  assert.equal(conflictError('apps', 'Deployment', 'web', r.conflicts).message,
    'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
});

test('an unchanged re-apply keeps the object and its time', () => {
  const o1 = ok(ssa(undefined, deployment({ replicas: 2 }), 'kubectl'));
  const o2 = ok(ssa(o1, deployment({ replicas: 2 }), 'kubectl', { now: T1 }));
  assert.deepEqual(o2, o1);
});
