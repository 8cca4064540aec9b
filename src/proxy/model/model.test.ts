// Service ports, endpoint merging and the change trackers (pkg/proxy servicechangetracker.go,
// endpointslicecache.go, endpointschangetracker.go behaviour).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { servicePortsFromService, usesClusterEndpoints, usesLocalEndpoints } from './service-port.js';
import { endpointsFromSlices } from './endpoint.js';
import { ServiceChangeTracker, ServicePortMap } from './service-change-tracker.js';
import { EndpointsChangeTracker, EndpointsMap } from './endpoints-change-tracker.js';
import { svc, slice } from '../testdata/fixtures.js';

describe('servicePortsFromService', () => {
  it('skips headless, ExternalName and unallocated Services', () => {
    assert.deepEqual(servicePortsFromService(svc('ns', 'h', { clusterIP: 'None', ports: [{ port: 80 }] }), 'IPv4'), []);
    assert.deepEqual(servicePortsFromService(svc('ns', 'e', { type: 'ExternalName', externalName: 'x.example' }), 'IPv4'), []);
    assert.deepEqual(servicePortsFromService(svc('ns', 'u', { ports: [{ port: 80 }] }), 'IPv4'), []);
    // Single-stack IPv4 Service: nothing for the IPv6 proxier.
    assert.deepEqual(servicePortsFromService(svc('ns', 's', { clusterIP: '10.0.0.1', ports: [{ port: 80 }] }), 'IPv6'), []);
  });

  it('resolves addresses per family, VIP-mode ingress only, trimmed ranges, affinity default', () => {
    const s = svc(
      'ns', 'lb',
      {
        type: 'LoadBalancer', clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', 'fd00::1'], externalIPs: ['192.0.2.1', '2001:db8::1'],
        loadBalancerSourceRanges: [' 203.0.113.0/25', '2001:db8::/64', 'bogus'], sessionAffinity: 'ClientIP', externalTrafficPolicy: 'Local', healthCheckNodePort: 31000,
        ports: [{ name: 'a', port: 80, nodePort: 30001 }, { name: 'b', port: 53, protocol: 'UDP', nodePort: 30002 }],
      },
      { loadBalancer: { ingress: [{ ip: '198.51.100.1' }, { ip: '198.51.100.2', ipMode: 'Proxy' }, { hostname: 'lb.example' }, { ip: '2001:db8::9', ipMode: 'VIP' }] } },
    );
    const [a, b] = servicePortsFromService(s, 'IPv4');
    assert.equal(a!.nameString, 'ns/lb:a');
    assert.equal(a!.protocol, 'TCP');
    assert.equal(b!.protocol, 'UDP');
    assert.deepEqual(a!.externalIPs, ['192.0.2.1']);
    assert.deepEqual(a!.loadBalancerVIPs, ['198.51.100.1']);
    assert.deepEqual(a!.loadBalancerSourceRanges, ['203.0.113.0/25']);
    assert.equal(a!.stickyMaxAgeSeconds, 10800);
    assert.equal(a!.healthCheckNodePort, 31000);
    assert.equal(a!.externalPolicyLocal, true);
    const [a6] = servicePortsFromService(s, 'IPv6');
    assert.equal(a6!.clusterIP, 'fd00::1');
    assert.deepEqual(a6!.loadBalancerVIPs, ['2001:db8::9']);
    assert.deepEqual(a6!.loadBalancerSourceRanges, ['2001:db8::/64']);
  });

  it('healthCheckNodePort only for LoadBalancer + Local; eTP ignored without external access', () => {
    const [np] = servicePortsFromService(svc('ns', 'n', { type: 'NodePort', externalTrafficPolicy: 'Local', healthCheckNodePort: 31000, clusterIP: '10.0.0.2', ports: [{ port: 80, nodePort: 30003 }] }), 'IPv4');
    assert.equal(np!.healthCheckNodePort, 0);
    const [ci] = servicePortsFromService(svc('ns', 'c', { externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Local', clusterIP: '10.0.0.3', ports: [{ port: 80 }] }), 'IPv4');
    assert.equal(ci!.externalPolicyLocal, false);
    assert.equal(usesClusterEndpoints(ci!), false);
    assert.equal(usesLocalEndpoints(ci!), true);
  });
});

describe('endpointsFromSlices', () => {
  const ports = [{ name: 'p', port: 8080, protocol: 'TCP' as const }];
  it('merges slices, dedupes by ip:port preferring the local copy, sorts by endpoint string', () => {
    const { byPort } = endpointsFromSlices(
      [
        slice('ns', 's', 1, [{ addresses: ['10.0.0.9'] }, { addresses: ['10.0.0.10'], nodeName: 'other' }], ports),
        slice('ns', 's', 2, [{ addresses: ['10.0.0.10'], nodeName: 'me', conditions: { ready: false, serving: true, terminating: true } }], ports),
      ],
      'IPv4', 'me',
    );
    const eps = byPort.get('ns/s:p/TCP')!.endpoints;
    assert.deepEqual(eps.map((e) => e.endpoint), ['10.0.0.10:8080', '10.0.0.9:8080']);
    assert.equal(eps[0]!.isLocal, true);
    assert.equal(eps[0]!.terminating, true);
    assert.equal(eps[1]!.ready, true, 'nil ready reads as true');
  });

  it('ignores ports without a name or number, other families, and special addresses', () => {
    const { byPort, skipped } = endpointsFromSlices(
      [
        slice('ns', 's', 1, [{ addresses: ['10.0.0.1'] }, { addresses: ['169.254.1.1'] }, { addresses: ['10.96.0.1'] }, { addresses: [] }], [{ port: 80 }, { name: 'zero', port: 0 }, { name: '', port: 81 }]),
        slice('ns', 's', 2, [{ addresses: ['fd00::1'] }], [{ name: '', port: 81 }], 'IPv6'),
      ],
      'IPv4', 'me', new Set(['10.96.0.1']),
    );
    assert.deepEqual([...byPort.keys()], ['ns/s/TCP']);
    assert.deepEqual(byPort.get('ns/s/TCP')!.endpoints.map((e) => e.endpoint), ['10.0.0.1:81']);
    assert.deepEqual(skipped.map((s) => s.address).sort(), ['10.96.0.1', '169.254.1.1']);
  });

  it('brackets IPv6 endpoints', () => {
    const { byPort } = endpointsFromSlices([slice('ns', 's', 1, [{ addresses: ['FD00::0001'] }], ports, 'IPv6')], 'IPv6', 'me');
    assert.equal(byPort.get('ns/s:p/TCP')!.endpoints[0]!.endpoint, '[fd00::1]:8080');
  });
});

describe('change trackers', () => {
  const s1 = svc('ns', 'a', { clusterIP: '10.0.0.1', ports: [{ port: 80 }] });
  const s1b = svc('ns', 'a', { clusterIP: '10.0.0.1', ports: [{ port: 81 }] });

  it('folds updates per Service and drops a change that returns to the synced state', () => {
    const t = new ServiceChangeTracker('IPv4');
    const m = new ServicePortMap();
    assert.equal(t.update(undefined, s1), true);
    assert.deepEqual([...m.update(t).updatedServices], ['ns/a']);
    assert.equal(t.update(s1, s1b), true);
    assert.equal(t.update(s1b, s1), false, 'back to the applied state: nothing pending');
    assert.equal(m.update(t).updatedServices.size, 0);
    t.update(s1, s1b);
    t.update(undefined, svc('ns', 'udp', { clusterIP: '10.0.0.2', ports: [{ port: 53, protocol: 'UDP' }] }));
    const r = m.update(t);
    assert.deepEqual([...r.updatedServices].sort(), ['ns/a', 'ns/udp']);
    assert.equal(r.udpChanged, true);
    assert.equal(m.ports.get('ns/a/TCP')!.port, 81);
    t.update(s1b, undefined);
    m.update(t);
    assert.equal(m.ports.has('ns/a/TCP'), false);
  });

  it('ignores slice updates that change nothing the proxy reads, and reports real changes', () => {
    const ports = [{ name: '', port: 80, protocol: 'TCP' as const }];
    const t = new EndpointsChangeTracker('IPv4', 'me');
    const m = new EndpointsMap();
    const sl = slice('ns', 'a', 1, [{ addresses: ['10.0.0.5'] }], ports);
    assert.equal(t.endpointSliceUpdate(sl, false), true);
    assert.deepEqual([...m.update(t).updatedServices], ['ns/a']);
    const sameButNewRV = { ...sl, metadata: { ...sl.metadata, resourceVersion: '99' } };
    assert.equal(t.endpointSliceUpdate(sameButNewRV, false), false);
    assert.equal(t.endpointSliceUpdate(slice('ns', 'a', 1, [{ addresses: ['10.0.0.6'] }], ports), false), true);
    assert.deepEqual([...m.update(t).updatedServices], ['ns/a']);
    assert.deepEqual(m.byPort.get('ns/a/TCP')!.map((e) => e.endpoint), ['10.0.0.6:80']);
    assert.equal(t.endpointSliceUpdate({ ...sl, addressType: 'IPv6' }, false), false, 'other family ignored');
    t.endpointSliceUpdate(slice('ns', 'a', 1, [], ports), true);
    m.update(t);
    assert.equal(m.byPort.has('ns/a/TCP'), false);
  });
});
