// The real kubectl against a freshly started svcnet API server: the everyday commands, with the
// output a user of a real cluster would see.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './helpers/apiserver.js';
import { kubectlBinary } from './helpers/kubectl.js';

const MANIFEST = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: registry.k8s.io/e2e-test-images/agnhost:2.47
        args: ["netexec", "--http-port=8080"]
---
apiVersion: v1
kind: Pod
metadata:
  name: client
  namespace: shop
  labels:
    role: client
spec:
  containers:
  - name: c
    image: registry.k8s.io/pause:3.9
`;

const skip = kubectlBinary() ? false : 'kubectl is not installed';

describe('kubectl against svcnet', { skip }, () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s?.stop();
  });

  it('applies a multi-document manifest', async () => {
    const file = s.kubectl.writeManifest('app.yaml', MANIFEST);
    const out = await s.kubectl.ok(['apply', '-f', file]);
    assert.equal(
      out,
      'namespace/shop created\nservice/web created\ndeployment.apps/web created\npod/client created\n',
    );
    // A second apply changes nothing.
    const again = await s.kubectl.ok(['apply', '-f', file]);
    assert.equal(again, 'namespace/shop unchanged\nservice/web unchanged\ndeployment.apps/web unchanged\npod/client unchanged\n');
  });

  it('gets with the upstream columns', async () => {
    const ns = await s.kubectl.ok(['get', 'namespaces']);
    const lines = ns.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME\s+STATUS\s+AGE$/);
    for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'shop']) {
      assert.ok(lines.some((l) => new RegExp(`^${n}\\s+Active\\s+\\d+s$`).test(l)), `namespace ${n} in\n${ns}`);
    }
    const pods = await s.kubectl.ok(['get', 'pods', '-n', 'shop']);
    assert.match(pods, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nclient\s+0\/1\s+Pending\s+0\s+\d+s\n$/);
    const wide = await s.kubectl.ok(['get', 'pods', '-n', 'shop', '-o', 'wide']);
    assert.match(wide, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n/);
    const deploy = await s.kubectl.ok(['get', 'deploy', '-n', 'shop', '-o', 'wide']);
    assert.match(deploy, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\n/);
    assert.match(deploy, /\nweb\s+0\/2\s+0\s+0\s+\d+s\s+web\s+registry\.k8s\.io\/e2e-test-images\/agnhost:2\.47\s+app=web\n/);
  });

  it('prints -o yaml, -o json and -o jsonpath', async () => {
    const y = await s.kubectl.ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'yaml']);
    assert.match(y, /^apiVersion: apps\/v1\nkind: Deployment\n/);
    assert.match(y, /\n {2}generation: 1\n/);
    assert.match(y, /\n {2}uid: [0-9a-f-]{36}\n/);
    assert.match(y, /\n {4}type: RollingUpdate\n/);
    const j = JSON.parse(await s.kubectl.ok(['get', 'pod', 'client', '-n', 'shop', '-o', 'json'])) as {
      spec: { restartPolicy: string; dnsPolicy: string; containers: { terminationMessagePath: string; imagePullPolicy: string }[] };
      status: { phase: string };
    };
    assert.equal(j.spec.restartPolicy, 'Always');
    assert.equal(j.spec.dnsPolicy, 'ClusterFirst');
    assert.equal(j.spec.containers[0]!.terminationMessagePath, '/dev/termination-log');
    assert.equal(j.spec.containers[0]!.imagePullPolicy, 'IfNotPresent');
    assert.equal(j.status.phase, 'Pending');
    const names = await s.kubectl.ok(['get', 'ns', '-o', 'jsonpath={.items[*].metadata.name}']);
    assert.deepEqual(names.split(' ').sort(), ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'shop']);
  });

  it('lists across namespaces, by label, with labels shown', async () => {
    const all = await s.kubectl.ok(['get', 'pods', '-A']);
    assert.match(all, /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nshop\s+client\s+/);
    const byLabel = await s.kubectl.ok(['get', 'pods', '-A', '-l', 'role=client', '-o', 'name']);
    assert.equal(byLabel, 'pod/client\n');
    const none = await s.kubectl.run(['get', 'pods', '-n', 'shop', '-l', 'role=server']);
    assert.equal(none.code, 0);
    assert.equal(none.stderr, 'No resources found in shop namespace.\n');
    const shown = await s.kubectl.ok(['get', 'pods', '-n', 'shop', '--show-labels']);
    assert.match(shown, /LABELS\n/);
    assert.match(shown, /\srole=client\n$/);
  });

  it('reports errors in the upstream words', async () => {
    const r = await s.kubectl.run(['get', 'pod', 'nope', '-n', 'shop']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (NotFound): pods "nope" not found\n');
    // kubectl looks the namespace up after a 404 and names it when it is the missing piece.
    const ns = await s.kubectl.run(['get', 'svc', 'x', '-n', 'missing']);
    assert.equal(ns.stderr, 'Error from server (NotFound): namespaces "missing" not found\n');
    const dup = await s.kubectl.run(['create', 'namespace', 'shop']);
    assert.equal(dup.stderr, 'Error from server (AlreadyExists): namespaces "shop" already exists\n');
  });

  it('labels, annotates and patches in all three types', async () => {
    assert.equal(await s.kubectl.ok(['label', 'svc', 'web', '-n', 'shop', 'tier=frontend']), 'service/web labeled\n');
    assert.equal(await s.kubectl.ok(['annotate', 'svc', 'web', '-n', 'shop', 'note=hello']), 'service/web annotated\n');
    assert.equal(
      await s.kubectl.ok(['patch', 'svc', 'web', '-n', 'shop', '-p', '{"spec":{"ports":[{"name":"metrics","port":9090}]}}']),
      'service/web patched\n',
    );
    let ports = await s.kubectl.ok(['get', 'svc', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.ports[*].port}']);
    assert.equal(ports, '9090 80', 'strategic merge patch merges ports by port');
    await s.kubectl.ok(['patch', 'svc', 'web', '-n', 'shop', '--type=json', '-p', '[{"op":"remove","path":"/spec/ports/0"}]']);
    ports = await s.kubectl.ok(['get', 'svc', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.ports[*].port}']);
    assert.equal(ports, '80');
    await s.kubectl.ok(['patch', 'svc', 'web', '-n', 'shop', '--type=merge', '-p', '{"metadata":{"labels":{"tier":null}}}']);
    const labels = await s.kubectl.ok(['get', 'svc', 'web', '-n', 'shop', '-o', 'jsonpath={.metadata.labels}']);
    assert.equal(labels, '{"app":"web"}');
    const bad = await s.kubectl.run(['patch', 'svc', 'web', '-n', 'shop', '--type=json', '-p', '[{"op":"remove","path":"/spec/nothere"}]']);
    assert.equal(bad.code, 1);
    // A JSON patch that cannot apply is a 422 without causes; kubectl prints its generic text.
    assert.equal(bad.stderr, 'The request is invalid: the server rejected our request due to an error in our request\n');
  });

  it('edits with a non-interactive EDITOR', async () => {
    const r = await s.kubectl.run(['edit', 'deploy', 'web', '-n', 'shop'], {
      env: { EDITOR: `sed -i -e 's/replicas: 2/replicas: 3/'`, KUBE_EDITOR: `sed -i -e 's/replicas: 2/replicas: 3/'` },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'deployment.apps/web edited\n');
    const replicas = await s.kubectl.ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}']);
    assert.equal(replicas, '3 2');
  });

  it('scales a deployment through the scale subresource', async () => {
    assert.equal(await s.kubectl.ok(['scale', 'deploy', 'web', '-n', 'shop', '--replicas=5']), 'deployment.apps/web scaled\n');
    assert.equal(await s.kubectl.ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.replicas}']), '5');
    const stale = await s.kubectl.run(['scale', 'deploy', 'web', '-n', 'shop', '--replicas=1', '--resource-version=1']);
    assert.equal(stale.code, 1);
    // kubectl checks --resource-version against the scale subresource it read first.
    assert.match(stale.stderr, /^error: Expected resource version to be 1, was \d+\n$/);
  });

  it('creates with the typed generators (protobuf bodies)', async () => {
    assert.equal(await s.kubectl.ok(['create', 'namespace', 'tools']), 'namespace/tools created\n');
    assert.equal(
      await s.kubectl.ok(['create', 'deployment', 'echo', '-n', 'tools', '--image=registry.k8s.io/e2e-test-images/agnhost:2.47', '--replicas=2', '--port=8080']),
      'deployment.apps/echo created\n',
    );
    assert.equal(await s.kubectl.ok(['expose', 'deployment', 'echo', '-n', 'tools', '--port=80', '--target-port=8080']), 'service/echo exposed\n');
    const sel = await s.kubectl.ok(['get', 'svc', 'echo', '-n', 'tools', '-o', 'jsonpath={.spec.selector.app} {.spec.ports[0].port} {.spec.ports[0].targetPort}']);
    assert.equal(sel, 'echo 80 8080');
    assert.equal(await s.kubectl.ok(['run', 'one', '-n', 'tools', '--image=nginx', '--labels=run=one']), 'pod/one created\n');
    assert.equal(await s.kubectl.ok(['create', 'configmap', 'cfg', '-n', 'tools', '--from-literal=a=b']), 'configmap/cfg created\n');
  });

  it('describes a service', async () => {
    const d = await s.kubectl.ok(['describe', 'svc', 'web', '-n', 'shop']);
    assert.match(d, /^Name:\s+web\nNamespace:\s+shop\nLabels:\s+app=web\nAnnotations:\s+note: hello\nSelector:\s+app=web\nType:\s+ClusterIP\n/);
    assert.match(d, /\nPort:\s+http {2}80\/TCP\nTargetPort:\s+8080\/TCP\n/);
    assert.match(d, /\nSession Affinity:\s+None\n/);
  });

  it('applies server-side, with field-manager conflicts', async () => {
    const cm = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  color: blue
`;
    const f1 = s.kubectl.writeManifest('cm1.yaml', cm);
    assert.equal(await s.kubectl.ok(['apply', '--server-side', '-f', f1]), 'configmap/settings serverside-applied\n');
    const f2 = s.kubectl.writeManifest('cm2.yaml', cm.replace('blue', 'red'));
    const conflict = await s.kubectl.run(['apply', '--server-side', '--field-manager=other', '-f', f2]);
    assert.equal(conflict.code, 1);
    assert.match(conflict.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl": \.data\.color\nPlease review the fields above--they currently have other managers/);
    assert.equal(await s.kubectl.ok(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', f2]), 'configmap/settings serverside-applied\n');
    assert.equal(await s.kubectl.ok(['get', 'cm', 'settings', '-n', 'shop', '-o', 'jsonpath={.data.color}']), 'red');
  });

  it('reads metrics through get --raw', async () => {
    const m = await s.kubectl.ok(['get', '--raw', '/metrics']);
    assert.match(m, /^# HELP apiserver_request_total /m);
    assert.match(m, /apiserver_request_total\{[^}]*verb="LIST"[^}]*resource="pods"[^}]*code="200"[^}]*\} \d+/);
  });

  it('deletes by name, by label and --all', async () => {
    assert.equal(await s.kubectl.ok(['delete', 'pod', 'client', '-n', 'shop']), 'pod "client" deleted\n');
    await s.kubectl.ok(['run', 'a', '-n', 'tools', '--image=nginx', '--labels=group=x']);
    await s.kubectl.ok(['run', 'b', '-n', 'tools', '--image=nginx', '--labels=group=x']);
    assert.equal(await s.kubectl.ok(['delete', 'pods', '-n', 'tools', '-l', 'group=x']), 'pod "a" deleted\npod "b" deleted\n');
    const rest = await s.kubectl.ok(['delete', 'configmaps', '-n', 'tools', '--all']);
    assert.match(rest, /configmap "cfg" deleted\n/);
    const gone = await s.kubectl.run(['get', 'pod', 'a', '-n', 'tools']);
    assert.equal(gone.stderr, 'Error from server (NotFound): pods "a" not found\n');
  });
});
