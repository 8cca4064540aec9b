// The scheduler and the node lifecycle controller end to end, seen through kubectl: binding,
// the FailedScheduling message in `kubectl describe pod`, and a Node whose Lease stops renewing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RestClient, resources } from '../src/client/index.js';
import { DeploymentController } from '../src/controllers/deployment/index.js';
import { GarbageCollector } from '../src/controllers/garbage-collector/index.js';
import { NodeLifecycleController } from '../src/controllers/node-lifecycle/index.js';
import { FakeKubelet } from '../src/controllers/node-lifecycle/testing.js';
import type { Node, Pod } from '../src/api/types/core/index.js';
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

const pod = (name: string, spec: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
${spec}
  containers:
  - name: c
    image: registry.k8s.io/pause:3.9
`;

describe('scheduler and node lifecycle', () => {
  let srv: TestServer;
  let client: RestClient;
  let kubelet: FakeKubelet;

  before(async () => {
    srv = await startTestServer({
      controllers: [
        new ReplicaSetController(),
        new DeploymentController(),
        new Scheduler({ unschedulableRetryMs: 500 }),
        new GarbageCollector(),
        new NodeLifecycleController({ gracePeriodMs: 2000, monitorPeriodMs: 200 }),
      ],
    });
    client = RestClient.fromUnixSocket(srv.cp.socketPath, { component: 'test' });
    kubelet = new FakeKubelet(client, ['node-a', 'node-b'], { labels: { 'node-b': { disktype: 'hdd' } } });
    await kubelet.registerNodes();
    kubelet.start();
  });

  after(async () => {
    kubelet?.stop();
    client?.close();
    await srv?.stop();
  });

  const getPod = (name: string) => client.get<Pod>({ ...resources.pods, namespace: 'default', name });

  it('reports a nodeSelector nobody matches in kubectl describe pod', async () => {
    await srv.kubectl.ok(['apply', '-f', '-'], { input: pod('picky', '  nodeSelector: {disktype: ssd}') });
    const expected = "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";
    await waitFor('PodScheduled=False', async () => (await getPod('picky')).status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False'));
    const p = await getPod('picky');
    const cond = p.status!.conditions!.find((c) => c.type === 'PodScheduled')!;
    assert.equal(cond.reason, 'Unschedulable');
    assert.equal(cond.message, expected);
    const out = await waitFor('FailedScheduling event', async () => {
      const d = await srv.kubectl.ok(['describe', 'pod', 'picky']);
      return d.includes('FailedScheduling') && d;
    });
    assert.match(out, /Status:\s+Pending/);
    assert.match(out, /PodScheduled\s+False/);
    assert.match(out, /Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0\/2 nodes are available: 2 node\(s\) didn't match Pod's node affinity\/selector\. preemption: 0\/2 nodes are available: 2 Preemption is not helpful for scheduling\./);
    // Once a Node matches, the Pod is bound there.
    await srv.kubectl.ok(['label', 'node', 'node-b', 'disktype=ssd', '--overwrite']);
    await waitFor('bound to node-b', async () => (await getPod('picky')).spec?.nodeName === 'node-b');
    const events = await srv.kubectl.ok(['describe', 'pod', 'picky']);
    assert.match(events, /Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/picky to node-b/);
  });

  it('counts taints and selectors per node, and honours tolerations', async () => {
    await srv.kubectl.ok(['taint', 'node', 'node-a', 'dedicated=gpu:NoSchedule']);
    await srv.kubectl.ok(['apply', '-f', '-'], { input: pod('nofit', '  nodeSelector: {kubernetes.io/hostname: node-a}') });
    await waitFor('message', async () => (await getPod('nofit')).status?.conditions?.find((c) => c.type === 'PodScheduled')?.message);
    const msg = (await getPod('nofit')).status!.conditions!.find((c) => c.type === 'PodScheduled')!.message;
    assert.equal(
      msg,
      "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    );
    const tolerant = '  nodeSelector: {kubernetes.io/hostname: node-a}\n  tolerations:\n  - {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}';
    await srv.kubectl.ok(['apply', '-f', '-'], { input: pod('tolerant', tolerant) });
    await waitFor('tolerant bound', async () => (await getPod('tolerant')).spec?.nodeName === 'node-a');
    await srv.kubectl.ok(['taint', 'node', 'node-a', 'dedicated=gpu:NoSchedule-']);
    await waitFor('nofit bound after the taint is removed', async () => (await getPod('nofit')).spec?.nodeName === 'node-a');
  });

  it('marks a Node whose Lease stops renewing NotReady, taints it, and its Pods not ready', async () => {
    await srv.kubectl.ok(['create', 'deployment', 'spread', '--image=registry.k8s.io/pause:3.9', '--replicas=2']);
    const r = await srv.kubectl.run(['rollout', 'status', 'deployment/spread', '--timeout=60s']);
    assert.equal(r.code, 0, r.stderr);
    const pods = (await client.list<Pod>({ ...resources.pods, namespace: 'default' }, { labelSelector: 'app=spread' })).items;
    assert.deepEqual(pods.map((p) => p.spec!.nodeName).sort(), ['node-a', 'node-b']);

    kubelet.silence('node-b');
    const node = await waitFor('node-b Unknown', async () => {
      const n = await client.get<Node>({ ...resources.nodes, name: 'node-b' });
      return n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'Unknown' && n;
    }, 15_000);
    const ready = node.status!.conditions!.find((c) => c.type === 'Ready')!;
    assert.equal(ready.reason, 'NodeStatusUnknown');
    assert.equal(ready.message, 'Kubelet stopped posting node status.');
    const taints = await waitFor('taints', async () => {
      const n = await client.get<Node>({ ...resources.nodes, name: 'node-b' });
      return (n.spec?.taints?.length ?? 0) >= 2 && n.spec!.taints!;
    });
    assert.deepEqual(taints.map((t) => `${t.key}:${t.effect}`).sort(), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    assert.match(await srv.kubectl.ok(['get', 'node', 'node-b']), /node-b\s+NotReady/);

    await waitFor('pod on node-b not ready', async () => {
      const list = (await client.list<Pod>({ ...resources.pods, namespace: 'default' }, { labelSelector: 'app=spread' })).items;
      const onB = list.find((p) => p.spec?.nodeName === 'node-b')!;
      const onA = list.find((p) => p.spec?.nodeName === 'node-a')!;
      const readyOf = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'Ready')?.status;
      return readyOf(onB) === 'False' && readyOf(onA) === 'True';
    });
    const events = await srv.kubectl.ok(['get', 'events', '-A', '-o', 'custom-columns=KIND:.involvedObject.kind,NAME:.involvedObject.name,REASON:.reason,MSG:.message,SRC:.source.component', '--no-headers']);
    assert.match(events, /Node\s+node-b\s+NodeNotReady\s+Node node-b status is now: NodeNotReady\s+node-controller/);
    assert.match(events, /Pod\s+spread-\S+\s+NodeNotReady\s+Node is not ready\s+node-controller/);
    // New Pods avoid the unreachable Node.
    await srv.kubectl.ok(['scale', 'deployment/spread', '--replicas=3']);
    await waitFor('third pod on node-a', async () => {
      const list = (await client.list<Pod>({ ...resources.pods, namespace: 'default' }, { labelSelector: 'app=spread' })).items;
      return list.length === 3 && list.filter((p) => p.spec?.nodeName === 'node-a').length === 2;
    });
  });
});
