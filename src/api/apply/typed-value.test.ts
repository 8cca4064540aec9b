import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaFor } from './kind-schemas.js';
import { compareObjects, fieldSetOf, mergeObjects, removeItems } from './typed-value.js';
import { FieldSet } from './field-set.js';

const svc = schemaFor('v1', 'Service').root;
const deploy = schemaFor('apps/v1', 'Deployment').root;

test('Service ports are keyed by port and protocol (defaulting protocol to TCP)', () => {
  const set = fieldSetOf(
    { spec: { ports: [{ port: 53, protocol: 'UDP', name: 'dns' }, { port: 53, name: 'dns-tcp' }], selector: { app: 'dns' } } },
    svc,
  );
  assert.deepEqual(set.toFieldsV1(), {
    'f:spec': {
      'f:ports': {
        'k:{"port":53,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {} },
        'k:{"port":53,"protocol":"UDP"}': { '.': {}, 'f:name': {}, 'f:port': {}, 'f:protocol': {} },
      },
      'f:selector': {},
    },
  });
});

test('an applied Deployment owns what upstream shows for it', () => {
  const applied = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] } },
    },
  };
  const v1 = fieldSetOf(applied, deploy).toFieldsV1();
  assert.deepEqual(v1['f:spec'], {
    'f:replicas': {},
    'f:selector': {},
    'f:template': {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"nginx"}': {
            '.': {},
            'f:image': {},
            'f:name': {},
            'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
          },
        },
      },
    },
  });
});

test('compare marks newly added maps and lists themselves, but not always-present structs', () => {
  const c = compareObjects(
    { metadata: { name: 'x' }, spec: {} },
    { metadata: { name: 'x', labels: { a: '1' } }, spec: { ports: [{ port: 80 }], selector: { a: '1' } } },
    svc,
  );
  assert.deepEqual(c.added.toFieldsV1(), {
    'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } },
    'f:spec': { 'f:ports': { '.': {}, 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} } }, 'f:selector': {} },
  });
  assert.ok(c.modified.isEmpty());
  assert.ok(c.removed.isEmpty());
});

test('merge: configuration wins, associative lists merge by key and keep live-only items', () => {
  const live = { spec: { ports: [{ port: 80, name: 'http', nodePort: 30080 }, { port: 443, name: 'https' }], selector: { a: '1', b: '2' } } };
  const cfg = { spec: { ports: [{ port: 80, targetPort: 8080 }], selector: { c: '3' } } };
  assert.deepEqual(mergeObjects(live, cfg, svc), {
    spec: {
      ports: [{ port: 80, name: 'http', nodePort: 30080, targetPort: 8080 }, { port: 443, name: 'https' }],
      selector: { c: '3' }, // atomic map: replaced whole
    },
  });
});

test('removeItems drops members with their subtrees and empty containers', () => {
  const obj = { metadata: { labels: { a: '1' } }, spec: { ports: [{ port: 80 }, { port: 81 }] } };
  const rm = FieldSet.fromFieldsV1({ 'f:metadata': { 'f:labels': { 'f:a': {} } }, 'f:spec': { 'f:ports': { 'k:{"port":81,"protocol":"TCP"}': {} } } });
  assert.deepEqual(removeItems(obj, rm, svc), { metadata: {}, spec: { ports: [{ port: 80 }] } });
});

test('unknown kinds: typed metadata, maps granular (keys owned themselves), lists atomic', () => {
  const root = schemaFor('example.com/v1', 'Widget').root;
  const set = fieldSetOf({ metadata: { name: 'w', finalizers: ['a', 'b'] }, spec: { sizes: [1, 2], opts: { x: 1 } } }, root);
  assert.deepEqual(set.toFieldsV1(), {
    'f:metadata': { 'f:finalizers': { 'v:"a"': {}, 'v:"b"': {} }, 'f:name': {} },
    'f:spec': { 'f:opts': { '.': {}, 'f:x': {} }, 'f:sizes': {} },
  });
});
