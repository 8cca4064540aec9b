import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLabelSelector, formatLabels, labelSelectorString } from './labels.js';
import { deploymentPrinter, replicaSetPrinter } from './workloads.js';
import { MINUTE, NOW, ago } from './test-helpers.js';

const containers = [
  { name: 'fake-container1', image: 'fake-image1' },
  { name: 'fake-container2', image: 'fake-image2' },
];

// TestPrintDeployment. Cells: Name, Ready, Up-to-date, Available, Age, Containers, Images, Selector.
test('printDeployment', () => {
  const dep = {
    metadata: { name: 'test1', creationTimestamp: ago(-1900) },
    spec: { replicas: 5, template: { spec: { containers } }, selector: { matchLabels: { foo: 'bar' } } },
    status: { replicas: 10, updatedReplicas: 2, availableReplicas: 1, unavailableReplicas: 4 },
  };
  assert.deepEqual(deploymentPrinter.cells(dep, NOW), [
    'test1',
    '0/5',
    2,
    1,
    '0s',
    'fake-container1,fake-container2',
    'fake-image1,fake-image2',
    'foo=bar',
  ]);
  // An empty selector prints "" for Deployments (selector.String(), no "<none>").
  const bare = { metadata: { name: 'bare' }, spec: { replicas: 0, selector: {} }, status: {} };
  assert.deepEqual(deploymentPrinter.cells(bare, NOW), ['bare', '0/0', 0, 0, '<unknown>', '', '', '']);
  const bad = { metadata: { name: 'bad' }, spec: { selector: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] } } };
  assert.equal(deploymentPrinter.cells(bad, NOW)[7], '<invalid>');
});

test('printReplicaSet', () => {
  const rs = {
    metadata: { name: 'web-7d4b9c8f5d', creationTimestamp: ago(5 * MINUTE) },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d4b9c8f5d' } },
      template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
    },
    status: { replicas: 3, readyReplicas: 2 },
  };
  assert.deepEqual(replicaSetPrinter.cells(rs, NOW), [
    'web-7d4b9c8f5d',
    3,
    3,
    2,
    '5m',
    'nginx',
    'nginx:1.27',
    'app=web,pod-template-hash=7d4b9c8f5d',
  ]);
  // FormatLabelSelector: "<none>" when empty, and readyReplicas missing counts as 0.
  const empty = { metadata: { name: 'rs' }, spec: { replicas: 1, selector: {} }, status: { replicas: 1 } };
  assert.deepEqual(replicaSetPrinter.cells(empty, NOW), ['rs', 1, 1, 0, '<unknown>', '', '', '<none>']);
});

test('label selector formatting follows labels.Selector.String()', () => {
  assert.equal(formatLabels({ b: '2', a: '1' }), 'a=1,b=2');
  assert.equal(formatLabels({}), '<none>');
  assert.equal(formatLabels(undefined), '<none>');
  assert.equal(
    labelSelectorString({
      matchLabels: { tier: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'dev'] },
        { key: 'zone', operator: 'NotIn', values: ['b'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'app', operator: 'Exists' },
      ],
    }),
    'app,!canary,env in (dev,prod),tier=web,zone notin (b)',
  );
  assert.equal(labelSelectorString(null), '');
  assert.equal(formatLabelSelector(null), '<none>');
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), '<error>');
  assert.equal(formatLabelSelector({ matchLabels: { 'bad key!': 'x' } }), '<error>');
});
