import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTable, defaultPrinter, printerFor } from './index.js';
import { NOW, ago } from './test-helpers.js';

const svc = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name: 'web',
    namespace: 'default',
    uid: 'u-1',
    resourceVersion: '42',
    creationTimestamp: ago(5_000),
    labels: { app: 'web' },
    managedFields: [{ manager: 'kubectl-create', operation: 'Update' }],
  },
  spec: { type: 'ClusterIP', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'web' } },
};

test('printerFor covers the served kinds and nothing else', () => {
  for (const [group, kind] of [
    ['', 'Namespace'],
    ['', 'Service'],
    ['', 'Endpoints'],
    ['', 'Pod'],
    ['', 'Node'],
    ['', 'Event'],
    ['', 'ConfigMap'],
    ['', 'ServiceAccount'],
    ['discovery.k8s.io', 'EndpointSlice'],
    ['apps', 'Deployment'],
    ['apps', 'ReplicaSet'],
    ['coordination.k8s.io', 'Lease'],
  ] as const) {
    const p = printerFor(group, kind);
    assert.ok(p, `${group}/${kind}`);
    assert.equal(p.columns[0]?.name === 'Name' || kind === 'Event', true);
  }
  assert.equal(printerFor('', 'Secret'), undefined);
  assert.equal(printerFor('apps', 'Service'), undefined);
});

test('every printer returns one cell per column', () => {
  const samples: [string, string, object][] = [
    ['', 'Pod', { metadata: { name: 'p' } }],
    ['', 'Service', svc],
    ['', 'Event', { metadata: { name: 'e' } }],
    ['', 'Node', { metadata: { name: 'n' } }],
    ['apps', 'Deployment', { metadata: { name: 'd' } }],
    ['apps', 'ReplicaSet', { metadata: { name: 'r' } }],
    ['discovery.k8s.io', 'EndpointSlice', { metadata: { name: 's' } }],
    ['', 'Endpoints', { metadata: { name: 'ep' } }],
  ];
  for (const [group, kind, obj] of samples) {
    const p = printerFor(group, kind)!;
    assert.equal(p.cells(obj, NOW).length, p.columns.length, kind);
  }
});

test('buildTable with Metadata rows: PartialObjectMetadata carries the full metadata', () => {
  const table = buildTable(printerFor('', 'Service')!, [svc], { now: NOW, includeObject: 'Metadata', resourceVersion: '99' });
  assert.equal(table.kind, 'Table');
  assert.equal(table.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(table.metadata, { resourceVersion: '99' });
  assert.deepEqual(
    table.columnDefinitions?.map((c) => c.name),
    ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector'],
  );
  assert.deepEqual(table.rows, [
    {
      cells: ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '5s', 'app=web'],
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: svc.metadata },
    },
  ]);
  // Key order matches what kube-apiserver writes.
  assert.ok(
    JSON.stringify(table).startsWith('{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"99"},"columnDefinitions":['),
  );
});

test('buildTable with Object and None rows, list metadata and suppressed headers', () => {
  const withObject = buildTable(printerFor('', 'Service')!, [svc], {
    now: NOW,
    includeObject: 'Object',
    resourceVersion: '7',
    continue: 'tok',
    remainingItemCount: 3,
  });
  assert.equal(withObject.rows[0]?.object, svc);
  assert.deepEqual(withObject.metadata, { resourceVersion: '7', continue: 'tok', remainingItemCount: 3 });

  const none = buildTable(printerFor('', 'Service')!, [svc], { now: NOW, includeObject: 'None' }, false);
  assert.equal(none.rows[0]?.object, null);
  assert.equal(none.columnDefinitions, null);
  assert.deepEqual(none.metadata, {});

  const empty = buildTable(printerFor('', 'Pod')!, [], { now: NOW, includeObject: 'Metadata' });
  assert.deepEqual(empty.rows, []);
});

test('buildTable puts pod row conditions between cells and object', () => {
  const pod = { metadata: { name: 'done' }, spec: { containers: [{}] }, status: { phase: 'Succeeded' } };
  const table = buildTable(printerFor('', 'Pod')!, [pod], { now: NOW, includeObject: 'None' });
  assert.deepEqual(Object.keys(table.rows[0]!), ['cells', 'conditions', 'object']);
  assert.equal(table.rows[0]?.conditions?.[0]?.reason, 'Succeeded');
});

test('defaultPrinter: Name and Created At (RFC3339, Go zero time when unset)', () => {
  assert.deepEqual(
    defaultPrinter.columns.map((c) => [c.name, c.type, c.format]),
    [
      ['Name', 'string', 'name'],
      ['Created At', 'date', ''],
    ],
  );
  assert.deepEqual(defaultPrinter.cells({ metadata: { name: 's', creationTimestamp: '2024-03-04T05:06:07Z' } }, NOW), ['s', '2024-03-04T05:06:07Z']);
  assert.deepEqual(defaultPrinter.cells({ metadata: { name: 'x' } }, NOW), ['x', '0001-01-01T00:00:00Z']);
});
