// Hand-encoded bodies for kinds kubectl never sends as protobuf (controllers and other typed clients
// do), plus the error paths. Field numbers are written out here from the upstream generated.proto
// files, so a wrong number in the schema fails these tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { StatusError } from '../../api/errors.js';
import { decodeKubernetesProtobuf, PROTOBUF_CONTENT_TYPE } from './index.js';

type Value = string | number | boolean | Uint8Array;
type Field = readonly [number, Value];

/** Encodes fields in order: strings and bytes length-delimited, numbers and booleans as varints. */
function msg(...fields: readonly Field[]): Uint8Array {
  const w = protobuf.Writer.create();
  for (const [id, v] of fields) {
    if (typeof v === 'string') w.uint32((id << 3) | 2).string(v);
    else if (v instanceof Uint8Array) w.uint32((id << 3) | 2).bytes(v);
    else if (typeof v === 'boolean') w.uint32(id << 3).bool(v);
    else w.uint32(id << 3).int64(v);
  }
  return w.finish();
}
const entry = (k: string, v: Value): Uint8Array => msg([1, k], [2, v]);

function body(apiVersion: string, kind: string, raw: Uint8Array, ...extra: readonly Field[]): Buffer {
  const unknown = msg([1, msg([1, apiVersion], [2, kind])], [2, raw], [3, ''], [4, ''], ...extra);
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}

const meta = (name: string, ns = 'default'): Uint8Array => msg([1, name], [3, ns], [8, msg()]);
const JAN1 = 1704067200; // 2024-01-01T00:00:00Z

function badRequest(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof StatusError);
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
    assert.match(err.message, pattern);
    return true;
  });
}

test('content type constant', () => {
  assert.equal(PROTOBUF_CONTENT_TYPE, 'application/vnd.kubernetes.protobuf');
});

test('Service: ports, IntOrString, session affinity, load balancer status', () => {
  const port = msg([1, 'http'], [2, 'TCP'], [3, 80], [4, msg([1, 1], [2, 0], [3, 'web'])], [5, 0]);
  const spec = msg([1, port], [2, entry('app', 'web')], [3, '10.96.0.10'], [4, 'LoadBalancer'], [7, 'ClientIP'],
    [14, msg([1, msg([1, 10800])])], [18, '10.96.0.10'], [17, 'SingleStack'], [19, 'IPv4'], [22, 'Cluster']);
  const status = msg([1, msg([1, msg([1, '192.0.2.7'], [4, msg([1, 80], [2, 'TCP'])])])]);
  const { object } = decodeKubernetesProtobuf(body('v1', 'Service', msg([1, meta('web')], [2, spec], [3, status])));
  assert.deepEqual(object, {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: null },
    spec: {
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'web' }],
      selector: { app: 'web' }, clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], type: 'LoadBalancer',
      sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: { ingress: [{ ip: '192.0.2.7', ports: [{ port: 80, protocol: 'TCP' }] }] } },
  });
});

test('EndpointSlice: pointer bools keep false, nil pointers vanish, required lists print null', () => {
  const ep = msg([1, '10.0.0.5'], [2, msg([1, true], [2, false])], [6, 'node1'], [4, msg([1, 'Pod'], [2, 'default'], [3, 'web-1'])]);
  const port = msg([1, 'http'], [2, 'TCP'], [3, 8080]);
  const raw = msg([1, msg([1, 'web-abc'], [3, 'default'], [11, entry('kubernetes.io/service-name', 'web')])], [4, 'IPv4'], [2, ep], [3, port]);
  const { object } = decodeKubernetesProtobuf(body('discovery.k8s.io/v1', 'EndpointSlice', raw));
  assert.deepEqual(object.endpoints, [{ addresses: ['10.0.0.5'], conditions: { ready: true, serving: false }, targetRef: { kind: 'Pod', namespace: 'default', name: 'web-1' }, nodeName: 'node1' }]);
  assert.deepEqual(object.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }]);
  assert.deepEqual((object.metadata as Record<string, unknown>).labels, { 'kubernetes.io/service-name': 'web' });
  const empty = decodeKubernetesProtobuf(body('discovery.k8s.io/v1', 'EndpointSlice', msg([1, meta('e')], [4, 'IPv4']))).object;
  assert.equal(empty.endpoints, null);
  assert.equal('ports' in empty, false);
});

test('Endpoints: subsets with addresses and ports', () => {
  const subset = msg([1, msg([1, '10.0.0.5'], [4, 'node1'])], [2, msg([1, '10.0.0.6'])], [3, msg([1, 'http'], [2, 8080], [3, 'TCP'])]);
  const { object } = decodeKubernetesProtobuf(body('v1', 'Endpoints', msg([1, meta('web')], [2, subset])));
  assert.deepEqual(object.subsets, [{ addresses: [{ ip: '10.0.0.5', nodeName: 'node1' }], notReadyAddresses: [{ ip: '10.0.0.6' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]);
});

test('Lease: MicroTime keeps microseconds, pointer ints are kept', () => {
  const spec = msg([1, 'node1'], [2, 40], [4, msg([1, JAN1], [2, 123456789])], [5, 0]);
  const { object } = decodeKubernetesProtobuf(body('coordination.k8s.io/v1', 'Lease', msg([1, meta('node1', 'kube-node-lease')], [2, spec])));
  assert.deepEqual(object.spec, { holderIdentity: 'node1', leaseDurationSeconds: 40, renewTime: '2024-01-01T00:00:00.123456Z', leaseTransitions: 0 });
});

test('Deployment status, ownerReferences and metav1.Time', () => {
  const owner = msg([5, 'apps/v1'], [1, 'ReplicaSet'], [3, 'web-1'], [4, 'uid-1'], [6, true]);
  const metadata = msg([1, 'web'], [3, 'default'], [5, 'uid-d'], [6, '42'], [7, 3], [8, msg([1, JAN1 + 61])], [13, owner], [14, 'example.com/f'], [12, entry('a', 'b')]);
  const cond = msg([1, 'Available'], [2, 'True'], [6, msg([1, JAN1])], [7, msg([1, JAN1])], [4, 'MinimumReplicasAvailable'], [5, 'ok']);
  const status = msg([1, 3], [2, 2], [3, 2], [7, 2], [4, 2], [6, cond]);
  const spec = msg([1, 2], [2, msg([1, entry('app', 'web')])], [3, msg([1, msg()], [2, msg([2, msg([1, 'web'], [2, 'nginx'])])])], [4, msg([1, 'RollingUpdate'], [2, msg([1, msg([1, 1], [3, '25%'])])])]);
  const { object } = decodeKubernetesProtobuf(body('apps/v1', 'Deployment', msg([1, metadata], [2, spec], [3, status])));
  assert.deepEqual(object.metadata, {
    name: 'web', namespace: 'default', uid: 'uid-d', resourceVersion: '42', generation: 3, creationTimestamp: '2024-01-01T00:01:01Z',
    annotations: { a: 'b' }, finalizers: ['example.com/f'],
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'uid-1', controller: true }],
  });
  assert.deepEqual((object.spec as Record<string, unknown>).strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } });
  assert.deepEqual(object.status, {
    observedGeneration: 3, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2,
    conditions: [{ type: 'Available', status: 'True', lastUpdateTime: '2024-01-01T00:00:00Z', lastTransitionTime: '2024-01-01T00:00:00Z', reason: 'MinimumReplicasAvailable', message: 'ok' }],
  });
});

test('core Event: unset times print null, required strings print even when empty', () => {
  const raw = msg([1, meta('web.1')], [2, msg([1, 'Pod'], [3, 'web'])], [3, 'Started'], [6, msg([1, JAN1])], [7, msg([1, JAN1])], [8, 1], [9, 'Normal'], [10, msg()], [5, msg([1, 'kubelet'])]);
  const { object } = decodeKubernetesProtobuf(body('v1', 'Event', raw));
  assert.equal(object.eventTime, null);
  assert.equal(object.firstTimestamp, '2024-01-01T00:00:00Z');
  assert.equal(object.reportingComponent, '');
  assert.deepEqual(object.source, { component: 'kubelet' });
});

test('Node: Quantity maps and taints', () => {
  const spec = msg([1, '10.244.0.0/24'], [7, '10.244.0.0/24'], [5, msg([1, 'dedicated'], [2, 'gpu'], [3, 'NoSchedule'])]);
  const status = msg([1, entry('cpu', msg([1, '4']))], [1, entry('memory', msg([1, '8Gi']))], [5, msg([1, 'InternalIP'], [2, '192.0.2.1'])]);
  const { object } = decodeKubernetesProtobuf(body('v1', 'Node', msg([1, msg([1, 'node1'])], [2, spec], [3, status])));
  assert.deepEqual((object.spec as Record<string, unknown>).taints, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
  const st = object.status as Record<string, unknown>;
  assert.deepEqual(st.capacity, { cpu: '4', memory: '8Gi' });
  assert.deepEqual(st.addresses, [{ type: 'InternalIP', address: '192.0.2.1' }]);
  assert.deepEqual(st.daemonEndpoints, { kubeletEndpoint: { Port: 0 } });
});

test('autoscaling/v1 Scale', () => {
  const { object } = decodeKubernetesProtobuf(body('autoscaling/v1', 'Scale', msg([1, meta('web')], [2, msg([1, 5])], [3, msg([1, 2], [2, 'app=web'])])));
  assert.deepEqual(object.spec, { replicas: 5 });
  assert.deepEqual(object.status, { replicas: 2, selector: 'app=web' });
});

test('DeleteOptions in any group version; an explicit zero grace period is kept', () => {
  const raw = msg([1, 0], [4, 'Foreground'], [5, 'All'], [2, msg([1, 'uid-1'])]);
  const decoded = decodeKubernetesProtobuf(body('apps/v1', 'DeleteOptions', raw));
  assert.deepEqual(decoded.object, { apiVersion: 'apps/v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid: 'uid-1' }, propagationPolicy: 'Foreground', dryRun: ['All'] });
});

test('unknown fields: zero values from newer clients are skipped, anything else is rejected', () => {
  const ns = (extra: Field) => body('v1', 'Namespace', msg([1, meta('foo', '')], extra));
  assert.deepEqual(decodeKubernetesProtobuf(ns([99, ''])).object.metadata, { name: 'foo', creationTimestamp: null });
  assert.deepEqual(decodeKubernetesProtobuf(ns([99, 0])).object.metadata, { name: 'foo', creationTimestamp: null });
  badRequest(() => decodeKubernetesProtobuf(ns([99, 'x'])), /unknown field 99 .*k8s\.io\.api\.core\.v1\.Namespace/);
  badRequest(() => decodeKubernetesProtobuf(ns([98, 7])), /unknown field 98/);
});

test('malformed bodies are 400 BadRequest', () => {
  badRequest(() => decodeKubernetesProtobuf(Buffer.from('{"kind":"Namespace"}')), /missing the "k8s\\x00" prefix/);
  badRequest(() => decodeKubernetesProtobuf(body('v1', 'Frobnicator', msg())), /no protobuf schema for kind "Frobnicator" in version "v1"/);
  badRequest(() => decodeKubernetesProtobuf(body('', '', msg())), /apiVersion and kind must be set/);
  badRequest(() => decodeKubernetesProtobuf(body('v1', 'Namespace', msg(), [3, 'gzip'])), /unsupported contentEncoding "gzip"/);
  const good = body('v1', 'Namespace', msg([1, meta('foo', '')]));
  badRequest(() => decodeKubernetesProtobuf(good.subarray(0, good.length - 3)), /truncated/);
  // metadata (field 1) sent as a varint instead of a message
  badRequest(() => decodeKubernetesProtobuf(body('v1', 'Namespace', msg([1, 5]))), /wrong wire type 0 for message field metadata/);
});
