// Deployments end to end: the real kubectl against svcnet's API server with the Deployment,
// ReplicaSet, scheduler and garbage-collector controllers in-process, two hand-made Nodes and a
// fake kubelet that reports bound Pods Running and Ready.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RestClient, resources } from '../src/client/index.js';
import { DeploymentController } from '../src/controllers/deployment/index.js';
import { GarbageCollector } from '../src/controllers/garbage-collector/index.js';
import { FakeKubelet } from '../src/controllers/node-lifecycle/testing.js';
import type { ReplicaSet } from '../src/api/types/apps/index.js';
import type { Pod } from '../src/api/types/core/index.js';
import { ReplicaSetController } from '../src/controllers/replicaset/index.js';
import { Scheduler } from '../src/controllers/scheduler/index.js';
import { startTestServer, type TestServer } from './helpers/apiserver.js';

const NS = 'default';

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const isReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

function deploymentManifest(name: string, replicas: number, image: string, extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${NS}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: web
        image: ${image}
${extra}`;
}

describe('Deployments with kubectl', () => {
  let srv: TestServer;
  let client: RestClient;
  let kubelet: FakeKubelet;

  before(async () => {
    srv = await startTestServer({
      controllers: [new ReplicaSetController(), new DeploymentController(), new Scheduler({ unschedulableRetryMs: 1000 }), new GarbageCollector()],
    });
    client = RestClient.fromUnixSocket(srv.cp.socketPath, { component: 'test' });
    // Pods take a moment to become Ready, so the rollout has to wait for availability.
    kubelet = new FakeKubelet(client, ['node-a', 'node-b'], { readyDelayMs: 250 });
    await kubelet.registerNodes();
    kubelet.start();
  });

  after(async () => {
    kubelet?.stop();
    client?.close();
    await srv?.stop();
  });

  const activePods = async (app: string) =>
    (await client.list<Pod>({ ...resources.pods, namespace: NS }, { labelSelector: `app=${app}` })).items.filter((p) => !p.metadata.deletionTimestamp);

  it('scales 0→1→2→1→0 with kubectl scale, Pods bound and spread over both nodes', async () => {
    await srv.kubectl.ok(['apply', '-f', '-'], { input: deploymentManifest('scale', 0, 'nginx:1.25') });
    for (const n of [1, 2, 1, 0]) {
      const out = await srv.kubectl.ok(['scale', 'deployment/scale', `--replicas=${n}`]);
      assert.match(out, /deployment.apps\/scale scaled/);
      const pods = await waitFor(`${n} bound pods`, async () => {
        const pods = await activePods('scale');
        return pods.length === n && pods.every((p) => p.spec?.nodeName) && pods;
      });
      if (n === 2) assert.deepEqual(pods.map((p) => p.spec!.nodeName).sort(), ['node-a', 'node-b']);
      await waitFor(`status ready ${n}`, async () => {
        const d = await client.get<{ status?: { readyReplicas?: number; replicas?: number } }>({ ...resources.deployments, namespace: NS, name: 'scale' });
        return (d.status?.readyReplicas ?? 0) === n && (d.status?.replicas ?? 0) === n;
      });
      // No extra Pods show up afterwards (expectations hold the ReplicaSet back). Asserting that
      // something does not happen, so a pause, not a wait on a condition.
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await activePods('scale')).length, n);
    }
    const get = await srv.kubectl.ok(['get', 'deploy', 'scale']);
    assert.match(get, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
    assert.match(get, /scale\s+0\/0\s+0\s+0\s+/);
    const events = await srv.kubectl.ok(['get', 'events', '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=scale', '-o', 'custom-columns=REASON:.reason,MSG:.message,SRC:.source.component', '--no-headers']);
    assert.match(events, /ScalingReplicaSet\s+Scaled up replica set scale-[a-z0-9]+ from 0 to 1\s+deployment-controller/);
    assert.match(events, /ScalingReplicaSet\s+Scaled down replica set scale-[a-z0-9]+ from 2 to 1\s+deployment-controller/);
    const rsEvents = await srv.kubectl.ok(['get', 'events', '--field-selector', 'involvedObject.kind=ReplicaSet', '-o', 'custom-columns=REASON:.reason,MSG:.message,SRC:.source.component', '--no-headers']);
    assert.match(rsEvents, /SuccessfulCreate\s+Created pod: scale-[a-z0-9]+-[a-z0-9]{5}\s+replicaset-controller/);
    assert.match(rsEvents, /SuccessfulDelete\s+Deleted pod: scale-[a-z0-9]+-[a-z0-9]{5}\s+replicaset-controller/);
  });

  it('rolls out a new image without dropping below replicas - maxUnavailable, then undoes it', async () => {
    const strategy = `  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 1
`;
    const manifest = deploymentManifest('roll', 5, 'nginx:1.1').replace('  selector:', `${strategy}  selector:`);
    await srv.kubectl.ok(['apply', '-f', '-'], { input: manifest });
    const first = await srv.kubectl.run(['rollout', 'status', 'deployment/roll', '--timeout=60s']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /deployment "roll" successfully rolled out/);

    let minReady = Infinity;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const pods = await activePods('roll');
        minReady = Math.min(minReady, pods.filter(isReady).length);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await srv.kubectl.ok(['set', 'image', 'deployment/roll', 'web=nginx:1.2']);
    const status = await srv.kubectl.run(['rollout', 'status', 'deployment/roll', '--timeout=60s']);
    sampling = false;
    await sampler;
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /deployment "roll" successfully rolled out/);
    assert.ok(minReady >= 4, `ready pods dropped to ${minReady}`);
    const pods = await waitFor('5 new pods', async () => {
      const p = await activePods('roll');
      return p.length === 5 && p.every((x) => (x.spec?.containers as { image: string }[])[0]!.image === 'nginx:1.2') && p;
    });
    assert.equal(pods.length, 5);

    const rsList = (await client.list<ReplicaSet>({ ...resources.replicasets, namespace: NS }, { labelSelector: 'app=roll' })).items;
    assert.equal(rsList.length, 2);
    for (const rs of rsList) {
      assert.match(rs.metadata.name!, /^roll-[bcdfghjklmnpqrstvwxz2456789]+$/);
      assert.equal(rs.metadata.name, `roll-${rs.metadata.labels!['pod-template-hash']}`);
      assert.equal(rs.metadata.ownerReferences?.[0]?.kind, 'Deployment');
    }
    const revisions = Object.fromEntries(rsList.map((rs) => [(rs.spec!.template!.spec!.containers as { image: string }[])[0]!.image, rs.metadata.annotations!['deployment.kubernetes.io/revision']]));
    assert.deepEqual(revisions, { 'nginx:1.1': '1', 'nginx:1.2': '2' });

    const undo = await srv.kubectl.ok(['rollout', 'undo', 'deployment/roll']);
    assert.match(undo, /deployment.apps\/roll rolled back/);
    const back = await srv.kubectl.run(['rollout', 'status', 'deployment/roll', '--timeout=60s']);
    assert.equal(back.code, 0, back.stderr);
    const image = await srv.kubectl.ok(['get', 'deployment', 'roll', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}']);
    assert.equal(image, 'nginx:1.1 3');
    await waitFor('pods back on 1.1', async () => {
      const p = await activePods('roll');
      return p.length === 5 && p.every((x) => (x.spec?.containers as { image: string }[])[0]!.image === 'nginx:1.1');
    });
    const history = await srv.kubectl.ok(['rollout', 'history', 'deployment/roll']);
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);

    const describe = await srv.kubectl.ok(['describe', 'deployment', 'roll']);
    assert.match(describe, /Available\s+True\s+MinimumReplicasAvailable/);
    assert.match(describe, /Progressing\s+True\s+NewReplicaSetAvailable/);
  });

  it('kubectl rollout restart makes a new ReplicaSet', async () => {
    await srv.kubectl.ok(['apply', '-f', '-'], { input: deploymentManifest('restart', 2, 'nginx:1.25') });
    await srv.kubectl.ok(['rollout', 'status', 'deployment/restart', '--timeout=60s']);
    await srv.kubectl.ok(['rollout', 'restart', 'deployment/restart']);
    const r = await srv.kubectl.run(['rollout', 'status', 'deployment/restart', '--timeout=60s']);
    assert.equal(r.code, 0, r.stderr);
    const rsList = (await client.list<ReplicaSet>({ ...resources.replicasets, namespace: NS }, { labelSelector: 'app=restart' })).items;
    assert.equal(rsList.length, 2);
    const newRS = rsList.find((rs) => rs.spec?.replicas === 2)!;
    assert.ok(newRS.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']);
    assert.equal(newRS.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
  });
});
