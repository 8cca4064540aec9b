// The oldest and newest kubectl we support (1.27 and 1.33, installed beside the default one)
// run the everyday commands against svcnet. 1.27 predates some discovery and apply behaviour,
// 1.33 is newer than the version the server reports; both must work.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './helpers/apiserver.js';
import { Kubectl, kubectlBinary } from './helpers/kubectl.js';

const MANIFEST = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
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
        image: nginx:1.27
`;

for (const version of ['1.27', '1.33']) {
  const bin = kubectlBinary(version);
  describe(`kubectl ${version}`, { skip: bin ? false : `kubectl.${version} is not installed` }, () => {
    let s: TestServer;
    let k: Kubectl;
    before(async () => {
      s = await startTestServer();
      k = new Kubectl(s.cp.kubeconfigPath, bin);
    });
    after(async () => {
      k?.cleanup();
      await s?.stop();
    });

    it('reports its own version against ours', async () => {
      const v = JSON.parse(await k.ok(['version', '-o', 'json'])) as { clientVersion: { minor: string }; serverVersion: { minor: string } };
      assert.equal(v.clientVersion.minor, version.split('.')[1]);
      assert.equal(v.serverVersion.minor, '32');
    });

    it('applies, gets, patches and describes', async () => {
      const file = k.writeManifest('app.yaml', MANIFEST);
      assert.equal(await k.ok(['apply', '-f', file]), 'service/web created\ndeployment.apps/web created\n');
      assert.equal(await k.ok(['apply', '-f', file]), 'service/web unchanged\ndeployment.apps/web unchanged\n');
      const svc = await k.ok(['get', 'svc', 'web', '-o', 'wide']);
      assert.match(svc, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR\nweb\s+ClusterIP\s+\S*\s+<none>\s+80\/TCP\s+\d+s\s+app=web\n$/);
      const edited = MANIFEST.replace('replicas: 1', 'replicas: 2');
      assert.equal(await k.ok(['apply', '-f', k.writeManifest('app2.yaml', edited)]), 'service/web unchanged\ndeployment.apps/web configured\n');
      assert.equal(await k.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '2');
      await k.ok(['patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}']);
      assert.equal(await k.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.metadata.generation}']), 'nginx:1.28 3');
      const d = await k.ok(['describe', 'deploy', 'web']);
      assert.match(d, /^Name:\s+web\nNamespace:\s+default\n/);
      assert.match(d, /\nReplicas:\s+2 desired \| 0 updated \| 0 total \| 0 available \| 0 unavailable\n/);
    });

    it('creates with typed generators and deletes', async () => {
      assert.equal(await k.ok(['create', 'namespace', 'tools']), 'namespace/tools created\n');
      assert.equal(await k.ok(['create', 'deployment', 'echo', '-n', 'tools', '--image=nginx']), 'deployment.apps/echo created\n');
      assert.equal(await k.ok(['create', 'service', 'clusterip', 'echo', '-n', 'tools', '--tcp=80:8080']), 'service/echo created\n');
      assert.equal(await k.ok(['get', 'svc', 'echo', '-n', 'tools', '-o', 'jsonpath={.spec.ports[0].targetPort}']), '8080');
      assert.equal(await k.ok(['delete', 'deploy', 'echo', '-n', 'tools']), 'deployment.apps "echo" deleted\n');
      const gone = await k.run(['get', 'deploy', 'echo', '-n', 'tools']);
      assert.equal(gone.stderr, 'Error from server (NotFound): deployments.apps "echo" not found\n');
    });

    it('applies server-side', async () => {
      const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  k: v\n';
      assert.equal(await k.ok(['apply', '--server-side', '-f', k.writeManifest('cm.yaml', cm)]), 'configmap/cfg serverside-applied\n');
      const r = await k.run(['apply', '--server-side', '--field-manager=someone', '-f', k.writeManifest('cm2.yaml', cm.replace('k: v', 'k: w'))]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /Apply failed with 1 conflict: conflict with "kubectl": \.data\.k/);
    });
  });
}
