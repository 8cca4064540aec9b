// The patches kubectl actually sends (apply's three-way patches, edit, patch, label, annotate,
// scale), applied to real kinds with the upstream patch metadata.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../errors.js';
import { applyMergePatch } from './json-merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { patchMetaFor } from './patch-meta.js';

type Obj = Record<string, unknown>;

function smp(apiVersion: string, kind: string, original: Obj, patch: unknown): Obj {
  return applyStrategicMergePatch({ apiVersion, kind, ...original }, patch, patchMetaFor(apiVersion, kind));
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

test('apply: Service port 80→81 (the patch kubectl sends)', () => {
  const svc = { metadata: { name: 'web' }, spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }], selector: { app: 'web' } } };
  const out = smp('v1', 'Service', svc, {
    spec: { '$setElementOrder/ports': [{ port: 81 }], ports: [{ port: 81, targetPort: 8080 }, { $patch: 'delete', port: 80 }] },
  });
  assert.deepEqual((out.spec as Obj).ports, [{ port: 81, targetPort: 8080 }]);
  assert.deepEqual((out.spec as Obj).selector, { app: 'web' });
});

test('Service ports are keyed by port alone: 53/TCP and 53/UDP collide (upstream quirk)', () => {
  const svc = {
    spec: {
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      ],
    },
  };
  // Changing the TCP port's targetPort lands on the first entry with port 53 (the UDP one).
  const out = smp('v1', 'Service', svc, { spec: { ports: [{ name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 5353 }] } });
  assert.deepEqual((out.spec as Obj).ports, [
    { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 5353 },
    { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
  ]);
  // And deleting "port 53" deletes both.
  const gone = smp('v1', 'Service', svc, { spec: { ports: [{ $patch: 'delete', port: 53 }] } });
  assert.deepEqual((gone.spec as Obj).ports, []);
});

test('apply: Deployment image change keeps live-only fields and updates the annotation', () => {
  const deploy = {
    metadata: { name: 'web', annotations: { [LAST_APPLIED]: '{"old":true}\n', 'deployment.kubernetes.io/revision': '1' } },
    spec: {
      replicas: 2,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'web', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }] },
            { name: 'sidecar', image: 'busybox' },
          ],
        },
      },
    },
  };
  const out = smp('apps/v1', 'Deployment', deploy, {
    metadata: { annotations: { [LAST_APPLIED]: '{"new":true}\n' } },
    spec: {
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }],
          containers: [{ image: 'nginx:1.26', name: 'web' }],
        },
      },
    },
  });
  const meta = out.metadata as Obj;
  assert.deepEqual(meta.annotations, { [LAST_APPLIED]: '{"new":true}\n', 'deployment.kubernetes.io/revision': '1' });
  const spec = (out.spec as Obj).template as Obj;
  assert.deepEqual((spec.spec as Obj).containers, [
    { name: 'web', image: 'nginx:1.26', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }] },
    { name: 'sidecar', image: 'busybox' },
  ]);
  assert.equal((out.spec as Obj).replicas, 2);
});

test('apply: env var removed and another added inside a container, order from $setElementOrder', () => {
  const deploy = {
    spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'C', value: '3' }] }] } } },
  };
  const out = smp('apps/v1', 'Deployment', deploy, {
    spec: {
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'app' }],
          containers: [
            {
              '$setElementOrder/env': [{ name: 'A' }, { name: 'D' }, { name: 'C' }],
              env: [{ name: 'D', value: '4' }, { $patch: 'delete', name: 'B' }],
              name: 'app',
            },
          ],
        },
      },
    },
  });
  const containers = (((out.spec as Obj).template as Obj).spec as Obj).containers as Obj[];
  assert.deepEqual(containers[0]!.env, [{ name: 'A', value: '1' }, { name: 'D', value: '4' }, { name: 'C', value: '3' }]);
});

test('apply: Deployment strategy RollingUpdate→Recreate uses $retainKeys', () => {
  const deploy = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } } };
  const out = smp('apps/v1', 'Deployment', deploy, {
    spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } },
  });
  assert.deepEqual((out.spec as Obj).strategy, { type: 'Recreate' });
});

test('apply: volume source switch emptyDir→configMap uses $retainKeys on the element', () => {
  const pod = { spec: { containers: [{ name: 'c' }], volumes: [{ name: 'data', emptyDir: {} }, { name: 'other', hostPath: { path: '/x' } }] } };
  const out = smp('v1', 'Pod', pod, {
    spec: {
      '$setElementOrder/volumes': [{ name: 'data' }, { name: 'other' }],
      volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' }, emptyDir: null, name: 'data' }],
    },
  });
  assert.deepEqual((out.spec as Obj).volumes, [{ name: 'data', configMap: { name: 'cm' } }, { name: 'other', hostPath: { path: '/x' } }]);
});

test('kubectl patch (no $setElementOrder): a new container goes first', () => {
  const pod = { spec: { containers: [{ name: 'a', image: 'x' }] } };
  const out = smp('v1', 'Pod', pod, { spec: { containers: [{ name: 'b', image: 'y' }] } });
  assert.deepEqual((out.spec as Obj).containers, [{ name: 'b', image: 'y' }, { name: 'a', image: 'x' }]);
});

test('finalizers: union on patch, $deleteFromPrimitiveList removes', () => {
  const ns = { metadata: { name: 'n', finalizers: ['a', 'b'] } };
  const added = smp('v1', 'Namespace', ns, { metadata: { finalizers: ['c'] } });
  assert.deepEqual((added.metadata as Obj).finalizers, ['c', 'a', 'b']);
  const ordered = smp('v1', 'Namespace', ns, { metadata: { '$setElementOrder/finalizers': ['a', 'b', 'c'], finalizers: ['c'] } });
  assert.deepEqual((ordered.metadata as Obj).finalizers, ['a', 'b', 'c']);
  const removed = smp('v1', 'Namespace', ns, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } });
  assert.deepEqual((removed.metadata as Obj).finalizers, ['b']);
});

test('ownerReferences merge by uid', () => {
  const rs = { metadata: { ownerReferences: [{ uid: 'u1', kind: 'Deployment', name: 'd' }] } };
  const out = smp('apps/v1', 'ReplicaSet', rs, { metadata: { ownerReferences: [{ uid: 'u1', controller: true }, { uid: 'u2', kind: 'X', name: 'x' }] } });
  assert.deepEqual((out.metadata as Obj).ownerReferences, [
    { uid: 'u1', kind: 'Deployment', name: 'd', controller: true },
    { uid: 'u2', kind: 'X', name: 'x' },
  ]);
});

test('Pod status patch merges conditions by type (kubelet style)', () => {
  const pod = {
    status: {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False' }],
      podIPs: [{ ip: '10.244.1.5' }],
    },
  };
  const out = smp('v1', 'Pod', pod, {
    status: {
      '$setElementOrder/conditions': [{ type: 'PodScheduled' }, { type: 'Initialized' }, { type: 'Ready' }],
      conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
      phase: 'Running',
    },
  });
  assert.deepEqual((out.status as Obj).conditions, [
    { type: 'PodScheduled', status: 'True' },
    { type: 'Initialized', status: 'True' },
    { type: 'Ready', status: 'True' },
  ]);
  assert.equal((out.status as Obj).phase, 'Running');
});

test('Node addresses merge by type; taints are replaced', () => {
  const node = {
    spec: { taints: [{ key: 'a', effect: 'NoSchedule' }], podCIDRs: ['10.244.1.0/24'] },
    status: { addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'n1' }] },
  };
  const out = smp('v1', 'Node', node, {
    spec: { taints: [{ key: 'b', effect: 'NoExecute' }], podCIDRs: ['fd00::/64'] },
    status: { addresses: [{ type: 'InternalIP', address: '172.18.0.3' }] },
  });
  assert.deepEqual((out.spec as Obj).taints, [{ key: 'b', effect: 'NoExecute' }]);
  assert.deepEqual((out.spec as Obj).podCIDRs, ['fd00::/64', '10.244.1.0/24']);
  assert.deepEqual((out.status as Obj).addresses, [{ type: 'InternalIP', address: '172.18.0.3' }, { type: 'Hostname', address: 'n1' }]);
});

test('lists without a strategy are replaced: Endpoints subsets, Pod tolerations, Service externalIPs', () => {
  const ep = smp('v1', 'Endpoints', { subsets: [{ addresses: [{ ip: '1.1.1.1' }] }] }, { subsets: [{ addresses: [{ ip: '2.2.2.2' }] }] });
  assert.deepEqual(ep.subsets, [{ addresses: [{ ip: '2.2.2.2' }] }]);
  const pod = smp('v1', 'Pod', { spec: { tolerations: [{ key: 'a' }] } }, { spec: { tolerations: [{ key: 'b' }] } });
  assert.deepEqual((pod.spec as Obj).tolerations, [{ key: 'b' }]);
  const svc = smp('v1', 'Service', { spec: { externalIPs: ['1.2.3.4'] } }, { spec: { externalIPs: ['5.6.7.8'] } });
  assert.deepEqual((svc.spec as Obj).externalIPs, ['5.6.7.8']);
});

test('unknown kinds replace every list but still merge maps', () => {
  const out = smp('example.com/v1', 'Widget', { spec: { items: [{ name: 'a' }], cfg: { x: 1 } } }, { spec: { items: [{ name: 'b' }], cfg: { y: 2 } } });
  assert.deepEqual(out.spec, { items: [{ name: 'b' }], cfg: { x: 1, y: 2 } });
});

test('kubectl edit removing a label and a container port', () => {
  const pod = { metadata: { labels: { app: 'a', tier: 'fe' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }, { containerPort: 443 }] }] } };
  const out = smp('v1', 'Pod', pod, {
    metadata: { labels: { tier: null } },
    spec: {
      '$setElementOrder/containers': [{ name: 'c' }],
      containers: [{ '$setElementOrder/ports': [{ containerPort: 80 }], name: 'c', ports: [{ $patch: 'delete', containerPort: 443 }] }],
    },
  });
  assert.deepEqual((out.metadata as Obj).labels, { app: 'a' });
  assert.deepEqual(((out.spec as Obj).containers as Obj[])[0]!.ports, [{ containerPort: 80 }]);
});

test('missing merge key in kubectl patch: Error from server: map: ... does not contain declared merge key', () => {
  assert.throws(
    () => smp('apps/v1', 'DaemonSet', { spec: { template: { spec: { volumes: [{ name: 'v', emptyDir: {} }] } } } }, {
      spec: { template: { spec: { volumes: [{ hostPath: { path: '/var/lib/kubelet/pods' } }] } } },
    }),
    (err: unknown) =>
      err instanceof StatusError &&
      err.code === 500 &&
      err.message === 'map: map[hostPath:map[path:/var/lib/kubelet/pods]] does not contain declared merge key: name',
  );
});

// label, annotate and scale use JSON merge patch.
test('kubectl label / annotate / scale merge patches', () => {
  const pod = { metadata: { name: 'p', labels: { app: 'a', old: 'x' }, annotations: { note: 'n' } } };
  const labelled = applyMergePatch(pod, { metadata: { labels: { env: 'prod', old: null } } });
  assert.deepEqual((labelled.metadata as Obj).labels, { app: 'a', env: 'prod' });
  const annotated = applyMergePatch(pod, { metadata: { annotations: { note: 'changed' }, resourceVersion: '7' } });
  assert.deepEqual(annotated.metadata, { name: 'p', labels: { app: 'a', old: 'x' }, annotations: { note: 'changed' }, resourceVersion: '7' });
  const scale = { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web' }, spec: { replicas: 1 }, status: { replicas: 1, selector: 'app=web' } };
  const scaled = applyMergePatch(scale, { spec: { replicas: 3 } });
  assert.deepEqual(scaled.spec, { replicas: 3 });
  assert.deepEqual(scaled.status, scale.status);
});
