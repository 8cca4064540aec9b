import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressTypeFamily, endpointReady, endpointServing, endpointTerminating, hasHeadlessLabel, isManagedBy, serviceNameOf } from './endpointslice.js';
import type { Endpoint, EndpointSlice } from './types/discovery/v1.js';
import { ENDPOINTSLICE_CONTROLLER_NAME } from './types/discovery/v1.js';

test('headless label follows !IsServiceIPSet', () => {
  const cases: [string | undefined, string | undefined, boolean][] = [
    ['10.96.0.1', 'ClusterIP', false],
    ['None', 'ClusterIP', true],
    ['', 'ClusterIP', true],
    [undefined, 'ExternalName', true],
  ];
  for (const [clusterIP, type, want] of cases) {
    assert.equal(hasHeadlessLabel({ spec: { clusterIP, type: type as 'ClusterIP' } }), want, `${clusterIP}/${type}`);
  }
});

test('endpoint conditions: nil ready/serving are true, nil terminating false', () => {
  const ep = (conditions?: Endpoint['conditions']): Endpoint => ({ addresses: ['10.244.0.5'], conditions });
  // [conditions, ready, serving, terminating]
  const cases: [Endpoint['conditions'], boolean, boolean, boolean][] = [
    [undefined, true, true, false],
    [{}, true, true, false],
    [{ ready: false, serving: true, terminating: true }, false, true, true],
    [{ ready: false, serving: false, terminating: true }, false, false, true],
    [{ ready: true }, true, true, false],
  ];
  for (const [c, r, s, t] of cases) assert.deepEqual([endpointReady(ep(c)), endpointServing(ep(c)), endpointTerminating(ep(c))], [r, s, t], JSON.stringify(c));
});

test('slice labels and address types', () => {
  const slice: EndpointSlice = {
    metadata: { name: 'web-abc', labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': ENDPOINTSLICE_CONTROLLER_NAME } },
    addressType: 'IPv4',
    endpoints: null,
  };
  assert.equal(serviceNameOf(slice), 'web');
  assert.equal(isManagedBy(slice, ENDPOINTSLICE_CONTROLLER_NAME), true);
  assert.equal(isManagedBy(slice, 'someone-else'), false);
  assert.equal(serviceNameOf({ metadata: {} }), undefined);
  assert.equal(addressTypeFamily('IPv6'), 'IPv6');
  assert.equal(addressTypeFamily('FQDN'), undefined);
});
