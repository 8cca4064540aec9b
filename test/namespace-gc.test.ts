// Deletion end to end: kubectl delete with each cascade mode (the garbage collector does the
// work) and kubectl delete namespace (the namespace controller empties and finalizes it).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../src/api/meta.js';
import { isNotFound, RestClient, resources } from '../src/client/index.js';
import { DeploymentController } from '../src/controllers/deployment/index.js';
import { GarbageCollector } from '../src/controllers/garbage-collector/index.js';
import { NamespaceController } from '../src/controllers/namespace/index.js';
import { FakeKubelet } from '../src/controllers/node-lifecycle/testing.js';
import type { ReplicaSet } from '../src/api/types/apps/index.js';
import type { Pod } from '../src/api/types/core/index.js';
import { ReplicaSetController } from '../src/controllers/replicaset/index.js';
import { Scheduler } from '../src/controllers/scheduler/index.js';
import { startTestServer, type TestServer } from './helpers/apiserver.js';

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const deployment = (name: string, ns: string, replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: c
        image: registry.k8s.io/pause:3.9
`;

describe('deletion: cascades and namespaces', () => {
  let srv: TestServer;
  let client: RestClient;
  let kubelet: FakeKubelet;

  before(async () => {
    srv = await startTestServer({
      controllers: [new ReplicaSetController(), new DeploymentController(), new Scheduler(), new GarbageCollector(), new NamespaceController({ maxRecheckMs: 500 })],
    });
    client = RestClient.fromUnixSocket(srv.cp.socketPath, { component: 'test' });
    kubelet = new FakeKubelet(client, ['node-a', 'node-b']);
    await kubelet.registerNodes();
    kubelet.start();
  });

  after(async () => {
    kubelet?.stop();
    client?.close();
    await srv?.stop();
  });

  const listRS = async (ns: string, app: string) => (await client.list<ReplicaSet>({ ...resources.replicasets, namespace: ns }, { labelSelector: `app=${app}` })).items;
  const listPods = async (ns: string, app: string) => (await client.list<Pod>({ ...resources.pods, namespace: ns }, { labelSelector: `app=${app}` })).items;

  async function rolledOut(name: string, ns = 'default'): Promise<void> {
    await srv.kubectl.ok(['apply', '-f', '-'], { input: deployment(name, ns) });
    const r = await srv.kubectl.run(['-n', ns, 'rollout', 'status', `deployment/${name}`, '--timeout=60s']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal((await listRS(ns, name)).length, 1);
    assert.equal((await listPods(ns, name)).length, 2);
  }

  it('kubectl delete deployment (background) removes its ReplicaSet and Pods', async () => {
    await rolledOut('bg');
    assert.match(await srv.kubectl.ok(['delete', 'deployment', 'bg']), /deployment.apps "bg" deleted/);
    await waitFor('RS and Pods gone', async () => (await listRS('default', 'bg')).length === 0 && (await listPods('default', 'bg')).length === 0);
  });

  it('--cascade=foreground deletes dependents before the owner', async () => {
    await rolledOut('fg');
    const r = await srv.kubectl.run(['delete', 'deployment', 'fg', '--cascade=foreground', '--timeout=60s']);
    assert.equal(r.code, 0, r.stderr);
    // kubectl waited for the Deployment to disappear, which happens only after its dependents.
    await assert.rejects(client.get({ ...resources.deployments, namespace: 'default', name: 'fg' }), isNotFound);
    assert.equal((await listRS('default', 'fg')).length, 0);
    assert.equal((await listPods('default', 'fg')).length, 0);
  });

  it('--cascade=orphan leaves the ReplicaSet and Pods without the owner reference', async () => {
    await rolledOut('orph');
    const r = await srv.kubectl.run(['delete', 'deployment', 'orph', '--cascade=orphan', '--timeout=60s']);
    assert.equal(r.code, 0, r.stderr);
    const rsList = await listRS('default', 'orph');
    assert.equal(rsList.length, 1);
    assert.equal(rsList[0]!.metadata.ownerReferences, undefined);
    const pods = await listPods('default', 'orph');
    assert.equal(pods.length, 2);
    for (const p of pods) assert.equal(p.metadata.ownerReferences?.[0]?.uid, rsList[0]!.metadata.uid);
    // The orphaned ReplicaSet still works on its own.
    await srv.kubectl.ok(['scale', `replicaset/${rsList[0]!.metadata.name}`, '--replicas=1']);
    await waitFor('1 pod', async () => (await listPods('default', 'orph')).filter((p) => !p.metadata.deletionTimestamp).length === 1);
    // A new Deployment with the same selector and template adopts it and scales it back.
    await srv.kubectl.ok(['apply', '-f', '-'], { input: deployment('orph', 'default') });
    const d = await client.get<KubeObject>({ ...resources.deployments, namespace: 'default', name: 'orph' });
    await waitFor('adopted and scaled to 2', async () => {
      const [rs] = await listRS('default', 'orph');
      return rs?.metadata.ownerReferences?.[0]?.uid === d.metadata.uid && rs.spec?.replicas === 2;
    });
    assert.equal((await listRS('default', 'orph')).length, 1, 'no second ReplicaSet: the adopted one is the new one');
  });

  it('releases a Pod whose labels stop matching and replaces it', async () => {
    await rolledOut('rel');
    const [victim] = await listPods('default', 'rel');
    await srv.kubectl.ok(['label', 'pod', victim!.metadata.name!, 'app=gone', '--overwrite']);
    await waitFor('released', async () => {
      const p = await client.get<Pod>({ ...resources.pods, namespace: 'default', name: victim!.metadata.name! });
      return (p.metadata.ownerReferences ?? []).length === 0;
    });
    await waitFor('replaced', async () => (await listPods('default', 'rel')).length === 2);
  });

  it('collects objects whose owner is gone, for any resource', async () => {
    const owner = await client.create<KubeObject>({ ...resources.configmaps, namespace: 'default' }, { metadata: { name: 'owner' } });
    const ownerRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid! };
    await client.create({ ...resources.configmaps, namespace: 'default' }, { metadata: { name: 'dep', ownerReferences: [ownerRef] } });
    await client.create({ ...resources.configmaps, namespace: 'default' }, { metadata: { name: 'dangling', ownerReferences: [{ ...ownerRef, name: 'nobody', uid: 'no-such-uid' }] } });
    await waitFor('dangling dependent collected', async () => client.get({ ...resources.configmaps, namespace: 'default', name: 'dangling' }).then(() => false, isNotFound));
    assert.ok(await client.get({ ...resources.configmaps, namespace: 'default', name: 'dep' }));
    await client.delete({ ...resources.configmaps, namespace: 'default', name: 'owner' });
    await waitFor('dependent collected', async () => client.get({ ...resources.configmaps, namespace: 'default', name: 'dep' }).then(() => false, isNotFound));
  });

  it('kubectl delete namespace empties it and waits until it is gone', async () => {
    await srv.kubectl.ok(['create', 'namespace', 'doomed']);
    await rolledOut('web', 'doomed');
    await srv.kubectl.ok(['-n', 'doomed', 'create', 'configmap', 'settings', '--from-literal=a=b']);
    const r = await srv.kubectl.run(['delete', 'namespace', 'doomed', '--timeout=60s']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /namespace "doomed" deleted/);
    await assert.rejects(client.get({ ...resources.namespaces, name: 'doomed' }), isNotFound);
  });

  it('reports remaining content and finalizers in the namespace conditions', async () => {
    await srv.kubectl.ok(['create', 'namespace', 'held']);
    await client.create({ ...resources.configmaps, namespace: 'held' }, { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await srv.kubectl.ok(['delete', 'namespace', 'held', '--wait=false']);
    const describe = await waitFor('conditions', async () => {
      const out = await srv.kubectl.ok(['describe', 'namespace', 'held']);
      return /NamespaceFinalizersRemaining\s+True/.test(out) && out;
    });
    assert.match(describe, /Status:\s+Terminating/);
    assert.match(describe, /NamespaceContentRemaining\s+True\s+.+?\s+SomeResourcesRemain\s+Some resources are remaining: configmaps\. has 1 resource instances/);
    assert.match(describe, /NamespaceFinalizersRemaining\s+True\s+.+?\s+SomeFinalizersRemain\s+Some content in the namespace has finalizers remaining: example\.com\/hold in 1 resource instances/);
    assert.match(describe, /NamespaceDeletionDiscoveryFailure\s+False\s+.+?\s+ResourcesDiscovered\s+All resources successfully discovered/);
    await client.patch({ ...resources.configmaps, namespace: 'held', name: 'held' }, { metadata: { finalizers: null } }, 'merge');
    await waitFor('namespace gone', async () => client.get({ ...resources.namespaces, name: 'held' }).then(() => false, isNotFound));
  });
});
