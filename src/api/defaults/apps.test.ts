import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Obj } from '../validation/common.js';
import { validate } from '../validation/index.js';
import { prepareForCreate, setDefaults } from './index.js';

const deployment = (spec: Obj = {}, meta: Obj = {}): Obj =>
  setDefaults<Obj>('apps', 'v1', 'Deployment', {
    metadata: { name: 'web', namespace: 'default', ...meta },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      ...spec,
    },
  });

test('Deployment and ReplicaSet defaults', () => {
  const d = deployment();
  assert.equal(d.spec.replicas, 1);
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.equal(d.spec.progressDeadlineSeconds, 600);
  const t = d.spec.template.spec;
  assert.equal(t.restartPolicy, 'Always');
  assert.equal(t.containers[0].imagePullPolicy, 'Always');
  assert.equal(t.enableServiceLinks, undefined, 'templates do not get SetDefaults_Pod');
  const recreate = deployment({ strategy: { type: 'Recreate' } });
  assert.deepEqual(recreate.spec.strategy, { type: 'Recreate' });
  const rs = setDefaults<Obj>('apps', 'v1', 'ReplicaSet', { spec: { template: { spec: { containers: [{ name: 'c', image: 'x:1' }] } } } });
  assert.equal(rs.spec.replicas, 1);
  assert.equal(rs.spec.template.spec.dnsPolicy, 'ClusterFirst');
  prepareForCreate('apps', 'v1', 'ReplicaSet', rs);
  assert.deepEqual([rs.status, rs.metadata.generation], [{}, 1]);
});

test('Deployment validation messages', () => {
  const errs = (o: Obj, old?: Obj) => validate('apps', 'v1', 'Deployment', o, old).map(String);
  assert.deepEqual(errs(deployment()), []);
  const cases: [string, Obj, string[]][] = [
    ['replicas', { replicas: -1 }, ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
    [
      'selector required (a nil selector also matches nothing)',
      { selector: undefined },
      ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
    ],
    [
      'selector mismatch',
      { selector: { matchLabels: { app: 'other' } } },
      ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
    ],
    [
      'empty selector',
      { selector: {} },
      ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
    ],
    [
      'maxSurge and maxUnavailable both 0',
      { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } },
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0'],
    ],
    ['restartPolicy', { template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } }, ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']],
  ];
  for (const [name, spec, want] of cases) assert.deepEqual(errs(deployment(spec)), want, name);
  const old = deployment({}, { resourceVersion: '1', uid: 'u' });
  const moved = deployment({ selector: { matchLabels: { app: 'nginx2' } }, template: { metadata: { labels: { app: 'nginx2' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } }, { resourceVersion: '1', uid: 'u' });
  assert.deepEqual(errs(moved, old), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"nginx2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
});
