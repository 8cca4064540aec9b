// Field selectors after upstream's fields/selector_test.go, plus per-resource support and values
// from pkg/apis/*/v1 conversion.go and pkg/registry/*/strategy.go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../errors.js';
import { escapeFieldValue, fieldSelectorFromSet, parseFieldSelector } from './field-selector.js';
import { FIELD_SELECTOR_FIELDS, convertFieldSelector, fieldSelectorMatches, fieldsOf } from './selectable-fields.js';

const goodStrings: [input: string, canonical: string][] = [
  ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
  ['', ''],
  ['x!=a,y=b', 'x!=a,y=b'],
  ['x=', 'x='],
  ['x= ', 'x= '],
  ['x=,z= ', 'x=,z= '],
  ['x==a', 'x=a'],
  ['z=c,x=a', 'x=a,z=c'], // terms are sorted
  ['x=a\\,b', 'x=a\\,b'],
  ['x=a\\=b', 'x=a\\=b'],
  ['x=a\\\\b', 'x=a\\\\b'],
  ['x=!a', 'x=!a'],
  ['a,,b=c'.replace('a,', ''), 'b=c'], // empty terms are skipped
];

for (const [input, canonical] of goodStrings) {
  test(`field selector parses ${JSON.stringify(input)}`, () => {
    assert.equal(parseFieldSelector(input).toString(), canonical);
  });
}

const badStrings: [input: string, message: string][] = [
  ['x=a||y=b', "invalid field selector: unescaped character in value: 61"],
  ['x==a==b', 'invalid field selector: unescaped character in value: 61'],
  ['x', "invalid selector: 'x'; can't understand 'x'"],
  ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
  ['x=a\\', 'invalid field selector: invalid escape sequence: \\'],
  ['x=a\\b', 'invalid field selector: invalid escape sequence: \\b'],
];

// "x=a||y=b" splits at the first "=": value "a||y=b" holds an unescaped "=".
for (const [input, message] of badStrings) {
  test(`field selector rejects ${JSON.stringify(input)} with a 400`, () => {
    assert.throws(
      () => parseFieldSelector(input),
      (err: unknown) => err instanceof StatusError && err.code === 400 && err.reason === 'BadRequest' && err.message === message,
    );
  });
}

const matchCases: [selector: string, fields: Record<string, string>, matches: boolean][] = [
  ['x=y', { x: 'y' }, true],
  ['x=y,z=w', { x: 'y', z: 'w' }, true],
  ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
  ['x==y', { x: 'y' }, true],
  ['x=', {}, true], // a missing field reads as ""
  ['', { x: 'y' }, true],
  ['x=a\\,b', { x: 'a,b' }, true],
  ['x=y', { x: 'z' }, false],
  ['x=y,z=w', { x: 'w', z: 'w' }, false],
  ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
  ['x!=', {}, false],
  ['x=y', {}, false],
];

for (const [selector, fields, want] of matchCases) {
  test(`field selector ${JSON.stringify(selector)} ${want ? 'matches' : 'does not match'} ${JSON.stringify(fields)}`, () => {
    assert.equal(parseFieldSelector(selector).matches(fields), want);
  });
}

test('escapeFieldValue round-trips through parsing', () => {
  const value = 'a,b=c\\d';
  assert.equal(escapeFieldValue(value), 'a\\,b\\=c\\\\d');
  assert.equal(parseFieldSelector(`metadata.name=${escapeFieldValue(value)}`).requiresExactMatch('metadata.name'), value);
  assert.equal(fieldSelectorFromSet({ 'metadata.name': 'x' }).toString(), 'metadata.name=x');
});

test('convertFieldSelector: supported labels pass, unsupported ones are 400s with upstream text', () => {
  const cases: [resource: string, selector: string, result: string | { error: string }][] = [
    ['/pods', 'spec.nodeName=n1,status.phase!=Succeeded', 'spec.nodeName=n1,status.phase!=Succeeded'],
    ['/pods', 'spec.host=n1', 'spec.nodeName=n1'],
    ['/pods', 'spec.foo=bar', { error: 'field label not supported: spec.foo' }],
    ['/events', 'involvedObject.name=web,involvedObject.namespace=default,involvedObject.kind=Service,involvedObject.uid=u', 'involvedObject.kind=Service,involvedObject.name=web,involvedObject.namespace=default,involvedObject.uid=u'],
    ['/nodes', 'spec.unschedulable=false', 'spec.unschedulable=false'],
    ['/nodes', 'metadata.namespace=x', { error: 'field label not supported: metadata.namespace' }],
    ['/namespaces', 'status.phase=Active', 'status.phase=Active'],
    ['/services', 'spec.type=NodePort', 'spec.type=NodePort'],
    ['/secrets', 'type=kubernetes.io/tls', 'type=kubernetes.io/tls'],
    ['/configmaps', 'metadata.name=a', 'metadata.name=a'],
    ['/configmaps', 'data.x=a', { error: '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"' }],
    ['apps/replicasets', 'status.replicas=0', { error: '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"' }],
    ['batch/jobs', 'status.successful=1', 'status.successful=1'],
    ['example.com/widgets', 'metadata.namespace=default', 'metadata.namespace=default'],
  ];
  for (const [resource, selector, result] of cases) {
    const parsed = parseFieldSelector(selector);
    if (typeof result === 'string') {
      assert.equal(convertFieldSelector(resource, parsed).toString(), result, `${resource} ${selector}`);
    } else {
      assert.throws(
        () => convertFieldSelector(resource, parsed),
        (err: unknown) => err instanceof StatusError && err.code === 400 && err.message === result.error,
        `${resource} ${selector}`,
      );
    }
  }
});

test('FIELD_SELECTOR_FIELDS lists what each resource accepts', () => {
  assert.ok(FIELD_SELECTOR_FIELDS['/pods']!.includes('status.nominatedNodeName'));
  assert.ok(FIELD_SELECTOR_FIELDS['/events']!.includes('reportingComponent'));
  assert.deepEqual(FIELD_SELECTOR_FIELDS['/nodes'], ['metadata.name', 'spec.unschedulable']);
  assert.deepEqual(FIELD_SELECTOR_FIELDS['discovery.k8s.io/endpointslices'], ['metadata.name', 'metadata.namespace']);
});

test('fieldsOf: pods', () => {
  const pod = {
    metadata: { name: 'p', namespace: 'ns' },
    spec: { nodeName: 'n1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default' },
    status: { phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }, { ip: 'fd00::5' }] },
  };
  assert.deepEqual(fieldsOf('/pods', pod), {
    'metadata.name': 'p',
    'metadata.namespace': 'ns',
    'spec.nodeName': 'n1',
    'spec.restartPolicy': 'Always',
    'spec.schedulerName': 'default-scheduler',
    'spec.serviceAccountName': 'default',
    'spec.hostNetwork': 'false',
    'status.phase': 'Running',
    'status.podIP': '10.244.1.5',
    'status.nominatedNodeName': '',
  });
  const sel = convertFieldSelector('/pods', parseFieldSelector('spec.nodeName=n1,status.phase=Running'));
  assert.equal(fieldSelectorMatches('/pods', sel, pod), true);
  assert.equal(fieldSelectorMatches('/pods', convertFieldSelector('/pods', parseFieldSelector('spec.host=n2')), pod), false);
});

test('fieldsOf: events take source from source.component, else reportingComponent', () => {
  const ev = {
    metadata: { name: 'web.1', namespace: 'default' },
    involvedObject: { kind: 'Service', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'v1', resourceVersion: '5' },
    reason: 'Type',
    type: 'Normal',
    reportingComponent: 'service-controller',
  };
  const f = fieldsOf('/events', ev);
  assert.equal(f['source'], 'service-controller');
  assert.equal(f['involvedObject.fieldPath'], '');
  assert.equal(f['involvedObject.uid'], 'u1');
  assert.equal(fieldsOf('/events', { ...ev, source: { component: 'kubelet' } })['source'], 'kubelet');
  // The field selector `kubectl describe svc web` sends.
  const sel = convertFieldSelector('/events', parseFieldSelector('involvedObject.name=web,involvedObject.namespace=default,involvedObject.kind=Service,involvedObject.uid=u1'));
  assert.equal(fieldSelectorMatches('/events', sel, ev), true);
  assert.equal(fieldSelectorMatches('/events', sel, { ...ev, involvedObject: { ...ev.involvedObject, uid: 'u2' } }), false);
});

test('fieldsOf: cluster-scoped kinds have no metadata.namespace; other kinds', () => {
  assert.deepEqual(fieldsOf('/nodes', { metadata: { name: 'n1' }, spec: { unschedulable: true } }), {
    'metadata.name': 'n1',
    'spec.unschedulable': 'true',
  });
  assert.deepEqual(fieldsOf('/namespaces', { metadata: { name: 'ns' }, status: { phase: 'Terminating' } }), {
    'metadata.name': 'ns',
    name: 'ns',
    'status.phase': 'Terminating',
  });
  assert.deepEqual(fieldsOf('/services', { metadata: { name: 's', namespace: 'd' }, spec: { clusterIP: '10.96.0.1', type: 'ClusterIP' } }), {
    'metadata.name': 's',
    'metadata.namespace': 'd',
    'spec.clusterIP': '10.96.0.1',
    'spec.type': 'ClusterIP',
  });
  assert.deepEqual(fieldsOf('/secrets', { metadata: { name: 's', namespace: 'd' }, type: 'Opaque' }), {
    'metadata.name': 's',
    'metadata.namespace': 'd',
    type: 'Opaque',
  });
  assert.equal(fieldsOf('apps/replicasets', { metadata: { name: 'r' }, status: { replicas: 3 } })['status.replicas'], '3');
  assert.deepEqual(fieldsOf('/configmaps', { metadata: { name: 'c', namespace: 'd' } }), { 'metadata.name': 'c', 'metadata.namespace': 'd' });
});

test('the list/watch --wait selector: metadata.name on any resource', () => {
  const sel = convertFieldSelector('discovery.k8s.io/endpointslices', parseFieldSelector('metadata.name=web-abc'));
  assert.equal(sel.requiresExactMatch('metadata.name'), 'web-abc');
  assert.equal(fieldSelectorMatches('discovery.k8s.io/endpointslices', sel, { metadata: { name: 'web-abc', namespace: 'd' } }), true);
  assert.equal(fieldSelectorMatches('discovery.k8s.io/endpointslices', sel, { metadata: { name: 'other' } }), false);
});
