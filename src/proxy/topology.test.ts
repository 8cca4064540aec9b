// Cases from upstream pkg/proxy/topology_test.go TestCategorizeEndpoints (newest table: hints
// used whenever every ready endpoint carries one; PTE always on).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { categorizeEndpoints, LABEL_TOPOLOGY_ZONE } from './topology.js';
import type { EndpointInfo } from './model/endpoint.js';
import type { ServicePortInfo } from './model/service-port.js';

function sp(o: { internalPolicyLocal?: boolean; externalPolicyLocal?: boolean; nodePort?: number }): ServicePortInfo {
  return {
    name: { namespace: 'ns', name: 'svc', port: '', protocol: 'TCP' },
    nameString: 'ns/svc',
    family: 'IPv4',
    clusterIP: '172.30.0.1',
    port: 80,
    protocol: 'TCP',
    nodePort: o.nodePort ?? 0,
    externalIPs: [],
    loadBalancerVIPs: [],
    loadBalancerSourceRanges: [],
    stickyMaxAgeSeconds: 0,
    externalPolicyLocal: o.externalPolicyLocal ?? false,
    internalPolicyLocal: o.internalPolicyLocal ?? false,
    healthCheckNodePort: 0,
  };
}

function ep(endpoint: string, o: { zones?: string[]; nodes?: string[]; ready?: boolean; serving?: boolean; terminating?: boolean; local?: boolean }): EndpointInfo {
  const [ip, port] = endpoint.split(':');
  const ready = o.ready ?? false;
  return {
    ip: ip!, port: Number(port), endpoint,
    isLocal: o.local ?? false,
    ready,
    serving: o.serving ?? ready,
    terminating: o.terminating ?? false,
    ...(o.zones ? { zoneHints: new Set(o.zones) } : {}),
    ...(o.nodes ? { nodeHints: new Set(o.nodes) } : {}),
  };
}

interface Case {
  name: string;
  zone?: string;
  node?: string;
  svc: ServicePortInfo;
  eps: EndpointInfo[];
  cluster: string[] | undefined;
  local: string[] | undefined;
  all?: string[];
  onlyRemote?: boolean;
}

const A = (z: string, local = false) => ({ zones: [z], ready: true, local });
const cases: Case[] = [
  { name: 'topology used: all hinted, zone label, endpoints for the zone', zone: 'zone-a', svc: sp({}),
    eps: [ep('10.1.2.3:80', A('zone-a')), ep('10.1.2.4:80', A('zone-b')), ep('10.1.2.5:80', A('zone-c')), ep('10.1.2.6:80', A('zone-a'))],
    cluster: ['10.1.2.3:80', '10.1.2.6:80'], local: undefined },
  { name: 'externalTrafficPolicy: Local, topology ignored for Local endpoints', zone: 'zone-a', svc: sp({ externalPolicyLocal: true, nodePort: 8080 }),
    eps: [ep('10.1.2.3:80', A('zone-a', true)), ep('10.1.2.4:80', A('zone-b', true)), ep('10.1.2.5:80', A('zone-c')), ep('10.1.2.6:80', A('zone-a'))],
    cluster: ['10.1.2.3:80', '10.1.2.6:80'], local: ['10.1.2.3:80', '10.1.2.4:80'], all: ['10.1.2.3:80', '10.1.2.4:80', '10.1.2.6:80'] },
  { name: 'internalTrafficPolicy: Local, topology ignored for Local endpoints', zone: 'zone-a', svc: sp({ internalPolicyLocal: true, nodePort: 8080 }),
    eps: [ep('10.1.2.3:80', A('zone-a', true)), ep('10.1.2.4:80', A('zone-b', true)), ep('10.1.2.5:80', A('zone-c')), ep('10.1.2.6:80', A('zone-a'))],
    cluster: ['10.1.2.3:80', '10.1.2.6:80'], local: ['10.1.2.3:80', '10.1.2.4:80'], all: ['10.1.2.3:80', '10.1.2.4:80', '10.1.2.6:80'] },
  { name: 'empty node labels', svc: sp({}), eps: [ep('10.1.2.3:80', A('zone-a'))], cluster: ['10.1.2.3:80'], local: undefined },
  { name: 'empty zone label', zone: '', svc: sp({}), eps: [ep('10.1.2.3:80', A('zone-a'))], cluster: ['10.1.2.3:80'], local: undefined },
  { name: 'node in different zone, no endpoint filtering', zone: 'zone-b', svc: sp({}), eps: [ep('10.1.2.3:80', A('zone-a'))], cluster: ['10.1.2.3:80'], local: undefined },
  { name: 'unready endpoint', zone: 'zone-a', svc: sp({}),
    eps: [ep('10.1.2.3:80', A('zone-a')), ep('10.1.2.4:80', A('zone-b')), ep('10.1.2.5:80', A('zone-c')), ep('10.1.2.6:80', { zones: ['zone-a'], ready: false })],
    cluster: ['10.1.2.3:80'], local: undefined },
  { name: 'only unready endpoints in same zone (should not filter)', zone: 'zone-a', svc: sp({}),
    eps: [ep('10.1.2.3:80', { zones: ['zone-a'] }), ep('10.1.2.4:80', A('zone-b')), ep('10.1.2.5:80', A('zone-c')), ep('10.1.2.6:80', { zones: ['zone-a'] })],
    cluster: ['10.1.2.4:80', '10.1.2.5:80'], local: undefined },
  { name: 'missing hints, no filtering applied', zone: 'zone-a', svc: sp({}),
    eps: [ep('10.1.2.3:80', A('zone-a')), ep('10.1.2.4:80', A('zone-b')), ep('10.1.2.5:80', { ready: true }), ep('10.1.2.6:80', A('zone-a'))],
    cluster: ['10.1.2.3:80', '10.1.2.4:80', '10.1.2.5:80', '10.1.2.6:80'], local: undefined },
  { name: 'multiple hints per endpoint, filtering includes any endpoint with zone included', zone: 'zone-c', svc: sp({}),
    eps: [ep('10.1.2.3:80', { zones: ['zone-a', 'zone-b', 'zone-c'], ready: true }), ep('10.1.2.4:80', { zones: ['zone-b', 'zone-c'], ready: true }),
      ep('10.1.2.5:80', { zones: ['zone-b', 'zone-d'], ready: true }), ep('10.1.2.6:80', A('zone-c'))],
    cluster: ['10.1.2.3:80', '10.1.2.4:80', '10.1.2.6:80'], local: undefined },
  { name: 'conflicting topology and localness require merging allEndpoints', zone: 'zone-a', svc: sp({ externalPolicyLocal: true, nodePort: 8080 }),
    eps: [ep('10.0.0.0:80', A('zone-a', true)), ep('10.0.0.1:80', A('zone-b', true)), ep('10.0.0.2:80', A('zone-a')), ep('10.0.0.3:80', A('zone-b'))],
    cluster: ['10.0.0.0:80', '10.0.0.2:80'], local: ['10.0.0.0:80', '10.0.0.1:80'], all: ['10.0.0.0:80', '10.0.0.1:80', '10.0.0.2:80'] },
  { name: 'internalTrafficPolicy: Local, with empty endpoints', svc: sp({ internalPolicyLocal: true }), eps: [], cluster: undefined, local: [] },
  { name: 'internalTrafficPolicy: Local, but all endpoints are remote', svc: sp({ internalPolicyLocal: true }),
    eps: [ep('10.0.0.0:80', { ready: true }), ep('10.0.0.1:80', { ready: true })], cluster: undefined, local: [], onlyRemote: true },
  { name: 'internalTrafficPolicy: Local, all endpoints are local', svc: sp({ internalPolicyLocal: true }),
    eps: [ep('10.0.0.0:80', { ready: true, local: true }), ep('10.0.0.1:80', { ready: true, local: true })], cluster: undefined, local: ['10.0.0.0:80', '10.0.0.1:80'] },
  { name: 'Cluster traffic policy, endpoints not Ready', svc: sp({}), eps: [ep('10.0.0.0:80', {}), ep('10.0.0.1:80', {})], cluster: [], local: undefined },
  { name: 'Cluster traffic policy, some endpoints are Ready', svc: sp({}), eps: [ep('10.0.0.0:80', {}), ep('10.0.0.1:80', { ready: true })], cluster: ['10.0.0.1:80'], local: undefined },
  { name: 'Cluster traffic policy, all endpoints are terminating', svc: sp({}),
    eps: [ep('10.0.0.0:80', { serving: true, terminating: true, local: true }), ep('10.0.0.1:80', { serving: true, terminating: true })],
    cluster: ['10.0.0.0:80', '10.0.0.1:80'], local: undefined },
  { name: 'iTP: Local, eTP: Local, all endpoints remote', svc: sp({ internalPolicyLocal: true, externalPolicyLocal: true, nodePort: 8080 }),
    eps: [ep('10.0.0.0:80', { ready: true }), ep('10.0.0.1:80', { ready: true })], cluster: ['10.0.0.0:80', '10.0.0.1:80'], local: [], all: ['10.0.0.0:80', '10.0.0.1:80'] },
  { name: 'iTP: Local, eTP: Local, all endpoints remote and terminating', svc: sp({ internalPolicyLocal: true, externalPolicyLocal: true, nodePort: 8080 }),
    eps: [ep('10.0.0.0:80', { serving: true, terminating: true }), ep('10.0.0.1:80', { serving: true, terminating: true })],
    cluster: ['10.0.0.0:80', '10.0.0.1:80'], local: [], all: ['10.0.0.0:80', '10.0.0.1:80'], onlyRemote: true },
  { name: 'iTP: Cluster, eTP: Local, with terminating endpoints', svc: sp({ externalPolicyLocal: true, nodePort: 8080 }),
    eps: [ep('10.0.0.0:80', { ready: true }), ep('10.0.0.1:80', { serving: false, local: true }), ep('10.0.0.2:80', { serving: true, terminating: true, local: true }), ep('10.0.0.3:80', { serving: true, terminating: true })],
    cluster: ['10.0.0.0:80'], local: ['10.0.0.2:80'], all: ['10.0.0.0:80', '10.0.0.2:80'] },
  { name: 'externalTrafficPolicy ignored if not externally accessible', svc: sp({ externalPolicyLocal: true }),
    eps: [ep('10.0.0.0:80', { ready: true }), ep('10.0.0.1:80', { ready: true, local: true })], cluster: ['10.0.0.0:80', '10.0.0.1:80'], local: undefined },
  { name: 'no cluster endpoints for iTP:Local internal-only service', svc: sp({ internalPolicyLocal: true }),
    eps: [ep('10.0.0.0:80', { ready: true }), ep('10.0.0.1:80', { ready: true, local: true })], cluster: undefined, local: ['10.0.0.1:80'] },
  // PreferSameNode (KEP-3015): every ready endpoint has a node hint and one is for this node.
  { name: 'node hints for this node win over zone hints', zone: 'zone-a', node: 'node-1', svc: sp({}),
    eps: [ep('10.0.0.1:80', { ready: true, zones: ['zone-a'], nodes: ['node-1'] }), ep('10.0.0.2:80', { ready: true, zones: ['zone-a'], nodes: ['node-2'] })],
    cluster: ['10.0.0.1:80'], local: undefined },
];

const names = (eps: readonly EndpointInfo[] | undefined) => (eps === undefined ? undefined : eps.map((e) => e.endpoint).sort());

describe('categorizeEndpoints (upstream TestCategorizeEndpoints)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const labels: Record<string, string> = c.zone === undefined ? {} : { [LABEL_TOPOLOGY_ZONE]: c.zone };
      const got = categorizeEndpoints(c.eps, c.svc, { nodeName: c.node ?? 'test-node', nodeLabels: labels });
      assert.deepEqual(names(got.clusterEndpoints), c.cluster === undefined ? undefined : [...c.cluster].sort(), 'cluster endpoints');
      // An empty input returns nothing categorized; upstream treats nil and empty alike there.
      if (c.eps.length > 0) assert.deepEqual(names(got.localEndpoints), c.local === undefined ? undefined : [...c.local].sort(), 'local endpoints');
      const all = c.all ?? (c.cluster !== undefined && c.local === undefined ? c.cluster : c.local ?? []);
      assert.deepEqual(names(got.allReachableEndpoints), [...all].sort(), 'all reachable');
      assert.equal(got.hasAnyEndpoints, all.length > 0 || c.onlyRemote === true, 'hasAnyEndpoints');
    });
  }
});
