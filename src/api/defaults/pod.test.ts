import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Obj } from '../validation/common.js';
import { validate } from '../validation/index.js';
import { admitDefaultTolerationSeconds, admitPodServiceAccount, computePodQOS, prepareForCreate, setDefaults } from './index.js';
import { imageTag } from './pod.js';

const pod = (spec: Obj, meta: Obj = {}): Obj =>
  setDefaults<Obj>('', 'v1', 'Pod', { metadata: { name: 'p1', namespace: 'default', ...meta }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }], ...spec } });

test('Pod defaults (SetDefaults_Pod, SetDefaults_PodSpec, containers, probes, volumes)', () => {
  const p = pod({
    containers: [
      {
        name: 'c',
        image: 'nginx',
        ports: [{ containerPort: 80 }],
        env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        livenessProbe: { httpGet: { port: 80 } },
        readinessProbe: { grpc: { port: 9000 } },
        resources: { limits: { cpu: '1' } },
      },
    ],
    volumes: [{ name: 'v' }, { name: 'cm', configMap: { name: 'x' } }, { name: 'h', hostPath: { path: '/tmp' } }],
  });
  const s = p.spec;
  assert.equal(s.restartPolicy, 'Always');
  assert.equal(s.dnsPolicy, 'ClusterFirst');
  assert.equal(s.terminationGracePeriodSeconds, 30);
  assert.equal(s.schedulerName, 'default-scheduler');
  assert.deepEqual(s.securityContext, {});
  assert.equal(s.enableServiceLinks, true);
  const c = s.containers[0];
  assert.equal(c.imagePullPolicy, 'Always');
  assert.equal(c.terminationMessagePath, '/dev/termination-log');
  assert.equal(c.terminationMessagePolicy, 'File');
  assert.deepEqual(c.ports, [{ containerPort: 80, protocol: 'TCP' }]);
  assert.equal(c.env[0].valueFrom.fieldRef.apiVersion, 'v1');
  assert.deepEqual(c.livenessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.equal(c.readinessProbe.grpc.service, '');
  assert.deepEqual(c.resources.requests, { cpu: '1' }, 'requests default to limits for Pods');
  assert.deepEqual(s.volumes, [
    { name: 'v', emptyDir: {} },
    { name: 'cm', configMap: { name: 'x', defaultMode: 420 } },
    { name: 'h', hostPath: { path: '/tmp', type: '' } },
  ]);
  assert.deepEqual(validate('', 'v1', 'Pod', p).map(String), []);
});

test('imagePullPolicy follows the tag', () => {
  const cases: [string, string][] = [
    ['nginx', 'latest'],
    ['nginx:latest', 'latest'],
    ['nginx:1.25', '1.25'],
    ['localhost:5000/nginx', 'latest'],
    ['registry.k8s.io/e2e-test-images/agnhost:2.47', '2.47'],
    ['nginx@sha256:abc', ''],
  ];
  for (const [image, tag] of cases) assert.equal(imageTag(image), tag, image);
  assert.equal(pod({ containers: [{ name: 'c', image: 'nginx:1.25' }] }).spec.containers[0].imagePullPolicy, 'IfNotPresent');
});

test('QoS class (qos.ComputePodQOS)', () => {
  const qos = (resources: Obj[]) => computePodQOS(pod({ containers: resources.map((r, i) => ({ name: `c${i}`, image: 'x', resources: r })) }));
  assert.equal(qos([{}]), 'BestEffort');
  assert.equal(qos([{ limits: { cpu: '100m', memory: '64Mi' } }]), 'Guaranteed');
  assert.equal(qos([{ limits: { cpu: '0.1', memory: '64Mi' }, requests: { cpu: '100m', memory: '67108864' } }]), 'Guaranteed');
  assert.equal(qos([{ requests: { cpu: '100m' } }]), 'Burstable');
  assert.equal(qos([{ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } }]), 'Burstable');
  assert.equal(qos([{ limits: { cpu: '1', memory: '1Gi' } }, {}]), 'Burstable');
  const p = pod({});
  prepareForCreate('', 'v1', 'Pod', p);
  assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'BestEffort' });
});

test('admission: service account and default toleration seconds', () => {
  const p = pod({});
  admitPodServiceAccount(p);
  assert.equal(p.spec.serviceAccountName, 'default');
  assert.equal(p.spec.serviceAccount, 'default');
  const q = pod({ serviceAccount: 'legacy' });
  admitPodServiceAccount(q);
  assert.equal(q.spec.serviceAccountName, 'legacy');
  admitDefaultTolerationSeconds(p);
  assert.deepEqual(p.spec.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
  const t = pod({ tolerations: [{ operator: 'Exists' }] });
  admitDefaultTolerationSeconds(t);
  assert.equal(t.spec.tolerations.length, 1, 'a wildcard toleration already covers both taints');
});

test('Pod validation messages', () => {
  const errs = (o: Obj, old?: Obj) => validate('', 'v1', 'Pod', o, old).map(String);
  const cases: [string, Obj, string[]][] = [
    ['no containers', { containers: [] }, ['spec.containers: Required value']],
    ['no image', { containers: [{ name: 'c' }] }, ['spec.containers[0].image: Required value']],
    [
      'bad container name',
      { containers: [{ name: 'C', image: 'x' }] },
      [
        "spec.containers[0].name: Invalid value: \"C\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      ],
    ],
    ['duplicate container', { containers: [{ name: 'c', image: 'x' }, { name: 'c', image: 'y' }] }, ['spec.containers[1].name: Duplicate value: "c"']],
    ['restartPolicy', { restartPolicy: 'Sometimes' }, ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']],
    ['dnsPolicy', { dnsPolicy: 'foo' }, ['spec.dnsPolicy: Unsupported value: "foo": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"']],
    ['containerPort', { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 70000 }] }] }, ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    ['port protocol', { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, protocol: 'ICMP' }] }] }, ['spec.containers[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"']],
    ['volume mount', { containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'nope', mountPath: '/x' }] }] }, ['spec.containers[0].volumeMounts[0].name: Not found: "nope"']],
    ['toleration', { tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }, ['spec.tolerations[0].operator: Invalid value: "v": value must be empty when `operator` is \'Exists\'']],
  ];
  for (const [name, spec, want] of cases) assert.deepEqual(errs(pod(spec)), want, name);

  const old = pod({}, { resourceVersion: '3', uid: 'u' });
  const newImage = pod({ containers: [{ name: 'c', image: 'nginx:1.26' }] }, { resourceVersion: '3', uid: 'u' });
  assert.deepEqual(errs(newImage, old), [], 'image updates are allowed');
  const changed = pod({ restartPolicy: 'Never' }, { resourceVersion: '3', uid: 'u' });
  const e = errs(changed, old);
  assert.equal(e.length, 1);
  assert.ok(
    e[0]!.startsWith(
      'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n',
    ),
    e[0],
  );
  assert.ok(e[0]!.includes('restartPolicy'));
  const added = pod({ containers: [{ name: 'c', image: 'x' }, { name: 'd', image: 'y' }] }, { resourceVersion: '3', uid: 'u' });
  assert.deepEqual(errs(added, old), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
});
