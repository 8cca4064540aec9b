// A Deployment behind a Service, with every controller running as `svcnet apiserver` runs them
// and a stand-in kubelet marking Pods ready: scaling 0→1→2→1→0 makes the EndpointSlices and
// the Endpoints track the ready Pods exactly.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RestClient, resources } from '../src/client/index.js';
import { selectControllers } from '../src/cluster/controllers.js';
import { FakeKubelet } from '../src/controllers/node-lifecycle/testing.js';
import { startTestServer, type TestServer } from './helpers/apiserver.js';
import { kubectlBinary } from './helpers/kubectl.js';

interface Slice {
  endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[] | null;
  ports?: { port?: number }[] | null;
}
interface Endpoints {
  subsets?: { addresses?: { ip: string }[]; ports?: { port: number }[] }[];
}
interface Pod {
  metadata: { deletionTimestamp?: string };
  status?: { podIP?: string; conditions?: { type: string; status: string }[] };
}

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 0
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
        ports:
        - name: http
          containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
`;

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    last = await f().catch((e: unknown) => e);
    if (last !== undefined && !(last instanceof Error)) return last as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${String(last)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a Deployment behind a Service', { skip: kubectlBinary() ? false : 'kubectl is not installed' }, () => {
  let s: TestServer;
  let client: RestClient;
  let kubelet: FakeKubelet;
  before(async () => {
    s = await startTestServer({ controllers: selectControllers('*,-nodelifecycle') });
    client = RestClient.fromUnixSocket(s.cp.socketPath, { component: 'test' });
    kubelet = new FakeKubelet(client, ['node-a', 'node-b'], { readyDelayMs: 100 });
    await kubelet.registerNodes();
    kubelet.start();
  });
  after(async () => {
    kubelet?.stop();
    client?.close();
    await s?.stop();
  });

  it('tracks 0→1→2→1→0 replicas in EndpointSlices and Endpoints', async () => {
    await s.kubectl.ok(['apply', '-f', s.kubectl.writeManifest('web.yaml', MANIFEST)]);
    for (const replicas of [0, 1, 2, 1, 0]) {
      await s.kubectl.ok(['scale', 'deploy', 'web', `--replicas=${replicas}`]);
      await until(`${replicas} ready endpoints`, async () => {
        const pods = (await client.list<Pod>({ ...resources.pods, namespace: 'default' }, { labelSelector: 'app=web' })).items;
        const ready = pods
          .filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
          .map((p) => p.status!.podIP!)
          .sort();
        if (ready.length !== replicas || pods.length !== replicas) return undefined;
        const slices = (await client.list<Slice>(
          { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespace: 'default' },
          { labelSelector: 'kubernetes.io/service-name=web' },
        )).items;
        const sliceIPs = slices.flatMap((sl) => (sl.endpoints ?? []).filter((e) => e.conditions?.ready).flatMap((e) => e.addresses)).sort();
        const ports = slices.flatMap((sl) => (sl.ports ?? []).map((p) => p.port));
        const ep = await client.get<Endpoints>({ ...resources.endpoints, namespace: 'default', name: 'web' });
        const epIPs = (ep.subsets ?? []).flatMap((ss) => (ss.addresses ?? []).map((a) => a.ip)).sort();
        const epPorts = (ep.subsets ?? []).flatMap((ss) => (ss.ports ?? []).map((p) => p.port));
        const ok =
          JSON.stringify(sliceIPs) === JSON.stringify(ready) &&
          JSON.stringify(epIPs) === JSON.stringify(ready) &&
          (replicas === 0 || (ports.every((p) => p === 8080) && epPorts.every((p) => p === 8080)));
        return ok ? true : undefined;
      });
    }
    const describe = await s.kubectl.ok(['describe', 'svc', 'web']);
    assert.match(describe, /\nTargetPort:\s+http\/TCP\n/);
  });
});
