import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setDefaults } from '../defaults/index.js';
import { validate } from './index.js';
import type { Obj } from './common.js';

/** A Service as the registry would validate it: defaulted, clusterIP allocated. */
function svc(spec: Obj, meta: Obj = {}): Obj {
  const s = setDefaults<Obj>('', 'v1', 'Service', { metadata: { name: 'web', namespace: 'default', ...meta }, spec: { ports: [{ port: 80 }], ...spec } });
  const t = s.spec.type;
  if (t !== 'ExternalName' && s.spec.clusterIP === undefined) {
    s.spec.clusterIP = '10.96.0.5';
    s.spec.clusterIPs = ['10.96.0.5'];
  }
  return s;
}

const errs = (o: Obj, old?: Obj) => validate('', 'v1', 'Service', o, old).map(String);

test('valid Services pass', () => {
  assert.deepEqual(errs(svc({ selector: { app: 'web' } })), []);
  assert.deepEqual(errs(svc({ type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'dns', port: 53, protocol: 'UDP' }] })), []);
  assert.deepEqual(errs(svc({ type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/8'] })), []);
  assert.deepEqual(errs(svc({ type: 'ExternalName', externalName: 'example.com.', ports: [] })), []);
  assert.deepEqual(errs(svc({ clusterIP: 'None', clusterIPs: ['None'], ports: [] })), []);
  assert.deepEqual(errs(svc({ sessionAffinity: 'ClientIP' })), []);
});

test('invalid Services give the upstream messages (api.md §2b)', () => {
  const cases: [string, Obj, string[], Obj?][] = [
    [
      'DNS-1035 name',
      {},
      [
        "metadata.name: Invalid value: \"1abc\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      ],
      { name: '1abc' },
    ],
    ['name required', {}, ['metadata.name: Required value: name or generateName is required'], { name: '' }],
    ['namespace required', {}, ['metadata.namespace: Required value'], { namespace: '' }],
    [
      'port 0 gives two causes',
      { ports: [{ port: 0 }] },
      ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive', 'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive'],
    ],
    ['protocol', { ports: [{ port: 80, protocol: 'tcp' }] }, ['spec.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"']],
    ['second port needs a name', { ports: [{ name: 'a', port: 80 }, { port: 81 }] }, ['spec.ports[1].name: Required value']],
    ['duplicate name', { ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }, ['spec.ports[1].name: Duplicate value: "http"']],
    ['named targetPort', { ports: [{ port: 80, targetPort: 'a--b' }] }, ['spec.ports[0].targetPort: Invalid value: "a--b": must not contain consecutive hyphens']],
    ['no ports', { ports: [] }, ['spec.ports: Required value']],
    ['type', { type: 'Foo' }, ['spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    ['nodePort on ClusterIP', { ports: [{ port: 80, nodePort: 30080 }] }, ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
    [
      'duplicate nodePort',
      { type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30080 }, { name: 'b', port: 81, nodePort: 30080 }] },
      ['spec.ports[1].nodePort: Duplicate value: 30080'],
    ],
    [
      'duplicate port',
      { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] },
      [
        'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
      ],
    ],
    ['affinity', { sessionAffinity: 'X' }, ['spec.sessionAffinity: Unsupported value: "X": supported values: "ClientIP", "None"']],
    [
      'affinity timeout',
      { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } },
      ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400'],
    ],
    ['clusterIPs mismatch', { clusterIP: '10.0.0.5', clusterIPs: ['10.0.0.6'] }, ['spec.clusterIPs: Invalid value: []string{"10.0.0.6"}: first value must match `clusterIP`']],
    ['clusterIPs without clusterIP', { clusterIP: '', clusterIPs: ['10.0.0.6'] }, ['spec.clusterIPs: Invalid value: []string{"10.0.0.6"}: must be empty when `clusterIP` is not specified']],
    ['bad clusterIP', { clusterIP: 'x', clusterIPs: ['x'] }, ['spec.clusterIPs[0]: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    [
      'family mismatch',
      { clusterIP: 'fd00::1', clusterIPs: ['fd00::1'], ipFamilies: ['IPv4'] },
      ['spec.clusterIPs[0]: Invalid value: "fd00::1": expected an IPv4 value as indicated by `ipFamilies[0]`'],
    ],
    [
      'two IPv4 clusterIPs',
      { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '10.0.0.2'], ipFamilyPolicy: 'PreferDualStack' },
      ['spec.clusterIPs: Invalid value: []string{"10.0.0.1", "10.0.0.2"}: may specify no more than one IP for each IP family'],
    ],
    ['headless NodePort', { type: 'NodePort', clusterIP: 'None', clusterIPs: ['None'] }, ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"]],
    ['externalIPs loopback', { externalIPs: ['127.0.0.1'] }, ['spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)']],
    ['source ranges on ClusterIP', { loadBalancerSourceRanges: ['10.0.0.0/8'] }, ["spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'"]],
    [
      'bad source range',
      { type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/99'] },
      ['spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/99": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'],
    ],
    ['ETP on ClusterIP', { externalTrafficPolicy: 'Local' }, ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']],
    ['trafficDistribution', { trafficDistribution: 'X' }, ['spec.trafficDistribution: Unsupported value: "X": supported values: "PreferClose"']],
    ['ExternalName without name', { type: 'ExternalName', ports: [] }, ['spec.externalName: Required value']],
    ['loadBalancerClass on ClusterIP', { loadBalancerClass: 'x/y' }, ["spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'"]],
  ];
  for (const [name, spec, want, meta] of cases) assert.deepEqual(errs(svc(spec, meta)), want, name);
});

test('Service update rules', () => {
  const old = svc({}, { resourceVersion: '5', uid: 'u1' });
  const changed = svc({ clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'] }, { resourceVersion: '5', uid: 'u1' });
  assert.deepEqual(errs(changed, old), ['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set']);
  const noRV = svc({}, { uid: 'u1' });
  assert.deepEqual(errs(noRV, old), ['metadata.resourceVersion: Invalid value: "": must be specified for an update']);
  const uid = svc({}, { resourceVersion: '5', uid: 'u2' });
  assert.deepEqual(errs(uid, old), ['metadata.uid: Invalid value: "u2": field is immutable']);
});

test('Service defaults (api.md §1a)', () => {
  const s = setDefaults<Obj>('', 'v1', 'Service', { spec: { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 81, targetPort: 'http' }], sessionAffinity: 'ClientIP' }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { hostname: 'x' }] } } });
  assert.deepEqual(s.spec, {
    type: 'LoadBalancer',
    ports: [
      { port: 80, protocol: 'TCP', targetPort: 80 },
      { port: 81, targetPort: 'http', protocol: 'TCP' },
    ],
    sessionAffinity: 'ClientIP',
    sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    allocateLoadBalancerNodePorts: true,
  });
  assert.deepEqual(s.status.loadBalancer.ingress, [{ ip: '1.2.3.4', ipMode: 'VIP' }, { hostname: 'x' }]);
  const c = setDefaults<Obj>('', 'v1', 'Service', { spec: { ports: [{ port: 80 }], sessionAffinity: 'None', sessionAffinityConfig: { clientIP: {} } } });
  assert.equal(c.spec.type, 'ClusterIP');
  assert.equal(c.spec.sessionAffinityConfig, undefined);
  assert.equal(c.spec.externalTrafficPolicy, undefined, 'not externally accessible');
  const withExt = setDefaults<Obj>('', 'v1', 'Service', { spec: { externalIPs: ['1.2.3.4'] } });
  assert.equal(withExt.spec.externalTrafficPolicy, 'Cluster');
  const en = setDefaults<Obj>('', 'v1', 'Service', { spec: { type: 'ExternalName', externalName: 'x.com' } });
  assert.equal(en.spec.internalTrafficPolicy, undefined);
});
