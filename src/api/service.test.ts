import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  collectServiceNodePorts,
  collectServiceNodePortsForRepair,
  externallyAccessible,
  internalTrafficPolicyLocal,
  isClusterIPNone,
  isHeadlessByClusterIPs,
  isHeadlessForAllocation,
  isServiceIPSet,
  needsHealthCheck,
  requestsOnlyLocalTraffic,
  requestsOnlyLocalTrafficForInternal,
  serviceExternalTrafficPolicyLocal,
  shouldAllocateNodePorts,
} from './service.js';
import type { ServiceSpec } from './types/core/v1.js';

const svc = (spec: ServiceSpec | undefined) => ({ metadata: { name: 's' }, spec });

test('ClusterIP set / headless variants, each rule as upstream states it', () => {
  // [spec, isServiceIPSet, isClusterIPNone, isHeadlessByClusterIPs, isHeadlessForAllocation]
  const cases: [string, ServiceSpec | undefined, boolean, boolean, boolean, boolean][] = [
    ['no spec', undefined, false, false, false, false],
    ['empty clusterIP (not allocated yet)', { clusterIP: '' }, false, false, false, false],
    ['allocated', { clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5'] }, true, false, false, false],
    ['dual-stack', { clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5', 'fd00::5'] }, true, false, false, false],
    ['headless, defaulted', { clusterIP: 'None', clusterIPs: ['None'] }, false, true, true, true],
    ['headless, clusterIP only (before normalization)', { clusterIP: 'None' }, false, true, false, true],
    ['headless, clusterIPs only', { clusterIPs: ['None'] }, false, false, true, true],
    ['None first of two (invalid)', { clusterIPs: ['None', '10.96.0.1'] }, false, false, false, true],
    ['clusterIP None but clusterIPs disagree', { clusterIP: 'None', clusterIPs: ['10.96.0.1'] }, false, true, false, false],
    ['ExternalName', { type: 'ExternalName', externalName: 'example.com' }, false, false, false, false],
    ['lower-case none is an address attempt, not headless', { clusterIP: 'none' }, true, false, false, false],
  ];
  for (const [name, spec, set, none, byIPs, forAlloc] of cases) {
    const s = svc(spec);
    assert.deepEqual([isServiceIPSet(s), isClusterIPNone(s), isHeadlessByClusterIPs(s), isHeadlessForAllocation(s)], [set, none, byIPs, forAlloc], name);
  }
});

test('traffic policies and health checks', () => {
  // [spec, externallyAccessible, ExternalPolicyLocal, RequestsOnlyLocalTraffic, NeedsHealthCheck]
  const cases: [ServiceSpec, boolean, boolean, boolean, boolean][] = [
    [{ type: 'ClusterIP' }, false, false, false, false],
    [{ type: 'ClusterIP', externalTrafficPolicy: 'Local' }, false, false, false, false],
    [{ type: 'ClusterIP', externalIPs: ['192.0.2.1'], externalTrafficPolicy: 'Local' }, true, true, false, false],
    [{ type: 'ClusterIP', externalIPs: ['192.0.2.1'], externalTrafficPolicy: 'Cluster' }, true, false, false, false],
    [{ type: 'NodePort', externalTrafficPolicy: 'Local' }, true, true, true, false],
    [{ type: 'NodePort' }, true, false, false, false],
    [{ type: 'LoadBalancer', externalTrafficPolicy: 'Local' }, true, true, true, true],
    [{ type: 'LoadBalancer', externalTrafficPolicy: 'Cluster' }, true, false, false, false],
    [{ type: 'ExternalName', externalTrafficPolicy: 'Local' }, false, false, false, false],
  ];
  for (const [spec, ext, local, older, hc] of cases) {
    const s = svc(spec);
    assert.deepEqual([externallyAccessible(s), serviceExternalTrafficPolicyLocal(s), requestsOnlyLocalTraffic(s), needsHealthCheck(s)], [ext, local, older, hc], JSON.stringify(spec));
  }
  assert.equal(internalTrafficPolicyLocal(svc({ internalTrafficPolicy: 'Local' })), true);
  assert.equal(internalTrafficPolicyLocal(svc({ internalTrafficPolicy: 'Cluster' })), false);
  assert.equal(internalTrafficPolicyLocal(svc({})), false);
  assert.equal(requestsOnlyLocalTrafficForInternal(svc({ internalTrafficPolicy: 'Local' })), true);
});

test('node ports: allocation and the two upstream collectors', () => {
  assert.equal(shouldAllocateNodePorts(svc({ type: 'NodePort' })), true);
  assert.equal(shouldAllocateNodePorts(svc({ type: 'LoadBalancer' })), true);
  assert.equal(shouldAllocateNodePorts(svc({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: false })), false);
  assert.equal(shouldAllocateNodePorts(svc({ type: 'ClusterIP' })), false);

  const dns: ServiceSpec = {
    type: 'LoadBalancer',
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 },
      { name: 'dns-tcp', port: 53, protocol: 'TCP', nodePort: 30053 },
      { name: 'web', port: 80, nodePort: 30080 },
      { name: 'web-dup', port: 81, protocol: 'TCP', nodePort: 30080 },
      { name: 'unallocated', port: 82 },
      { name: 'zero', port: 83, nodePort: 0 },
    ],
    healthCheckNodePort: 30100,
  };
  // REST storage: every non-zero nodePort, duplicates kept, no health check port.
  assert.deepEqual(collectServiceNodePorts(svc(dns)), [30053, 30053, 30080, 30080]);
  // Repair: once per protocol-shared port, twice for a same-protocol duplicate, plus the health check port.
  assert.deepEqual(collectServiceNodePortsForRepair(svc(dns)), [30053, 30080, 30080, 30100]);
  // A health check port equal to a TCP node port is a duplicate; equal to a UDP-only one, it shares it.
  assert.deepEqual(collectServiceNodePortsForRepair(svc({ ports: [{ port: 80, nodePort: 30080 }], healthCheckNodePort: 30080 })), [30080, 30080]);
  assert.deepEqual(collectServiceNodePortsForRepair(svc({ ports: [{ port: 53, protocol: 'UDP', nodePort: 30053 }], healthCheckNodePort: 30053 })), [30053]);
  assert.deepEqual(collectServiceNodePorts(svc(undefined)), []);
  assert.deepEqual(collectServiceNodePortsForRepair(svc({ ports: null })), []);
});
