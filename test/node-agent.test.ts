// The node agent end to end: a real API server, a real ClusterNetwork (root), two NodeAgents in
// this process. Pods are bound by setting spec.nodeName at create. Every process and namespace is
// removed in `after`, even when a test fails.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RestClient, resources, SharedInformerFactory } from '../src/client/index.js';
import type { KubeObject } from '../src/api/meta.js';
import { NodeAgent } from '../src/node/agent/index.js';
import { ClusterNetwork, checkNetnsSupport } from '../src/node/netns/index.js';
import { nodeViewOf } from '../src/node/runtime/index.js';
import type { Pod, PodSpec } from '../src/api/types/core/v1.js';
import { startTestServer } from './helpers/apiserver.js';
import type { TestServer } from './helpers/apiserver.js';

const unsupported = await checkNetnsSupport();

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function socketGet(socketPath: string, path: string, onData?: (chunk: string) => void): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
        onData?.(c.toString());
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

describe('node agent (real API server, real namespaces)', { skip: unsupported, timeout: 240_000 }, () => {
  const cluster = `tna${process.pid % 100000}${randomBytes(2).toString('hex')}`;
  const ns = 'default';
  const scratch = mkdtempSync(join(tmpdir(), 'svcnet-agent-'));
  let server: TestServer;
  let client: RestClient;
  let informers: SharedInformerFactory | undefined;
  let net: ClusterNetwork | undefined;
  const agents: NodeAgent[] = [];

  const getPod = (name: string) => client.get<Pod>({ ...resources.pods, namespace: ns, name });
  const createPod = (name: string, node: string, spec: Partial<PodSpec>, labels: Record<string, string> = {}) =>
    client.create<Pod>({ ...resources.pods, namespace: ns }, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels },
      spec: { nodeName: node, terminationGracePeriodSeconds: 2, ...spec },
    });
  const podRunning = (name: string, ready = true) =>
    waitFor(`${name} running${ready ? ' and ready' : ''}`, async () => {
      const p = await getPod(name);
      const r = p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      return p.status?.phase === 'Running' && (!ready || r) && p;
    });
  const logs = (node: number, name: string, container: string, query = '') => socketGet(agents[node]!.socketPath, `/containerLogs/${ns}/${name}/${container}${query}`);

  before(async () => {
    server = await startTestServer();
    client = RestClient.fromUnixSocket(server.cp.socketPath, { component: 'node-agent-test' });
    informers = new SharedInformerFactory(client);
    net = await ClusterNetwork.create(cluster);
    await net.addNode('node-a', 1);
    await net.addNode('node-b', 2);
    for (const name of ['node-a', 'node-b']) {
      const agent = new NodeAgent({
        nodeName: name,
        client,
        informers,
        dataDir: server.dataDir,
        network: nodeViewOf(net, name),
        backoff: { initialMs: 1000, maxMs: 4000 },
        leaseRenewMs: 1000,
        resolvConf: join(scratch, 'host-resolv.conf'),
      });
      agents.push(agent);
      await agent.start();
    }
  });

  after(async () => {
    await Promise.all(agents.map((a) => a.stop().catch(() => {})));
    informers?.shutdown();
    await (net ? net.destroy() : ClusterNetwork.cleanupStale(cluster));
    client?.close();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('registers Ready Nodes with podCIDR, nodeInfo and a renewed Lease', async () => {
    const node = await client.get<KubeObject & { spec: { podCIDR: string }; status: Record<string, any> }>({ ...resources.nodes, name: 'node-a' });
    assert.equal(node.spec.podCIDR, '10.244.1.0/24');
    assert.deepEqual(node.status.addresses, [
      { type: 'InternalIP', address: '172.18.0.11' },
      { type: 'Hostname', address: 'node-a' },
    ]);
    assert.equal(node.status.nodeInfo.kubeletVersion, 'v1.32.4-svcnet');
    assert.equal(node.status.nodeInfo.containerRuntimeVersion, 'svcnet://0.1.0');
    assert.deepEqual(node.status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`), ['MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True']);
    const lease = await client.get<KubeObject & { spec: { renewTime: string; holderIdentity: string } }>({ ...resources.leases, namespace: 'kube-node-lease', name: 'node-a' });
    assert.equal(lease.spec.holderIdentity, 'node-a');
    await waitFor('lease renewal', async () => {
      const l = await client.get<KubeObject & { spec: { renewTime: string } }>({ ...resources.leases, namespace: 'kube-node-lease', name: 'node-a' });
      return l.spec.renewTime !== lease.spec.renewTime;
    });
  });

  it('runs Pods to Running/Ready with IPs; a Pod on node-a reaches a Pod on node-b', async () => {
    const netexec = { name: 'web', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['netexec', '--http-port=8080', '--udp-port=-1'] };
    await createPod('web-a', 'node-a', { containers: [{ ...netexec, ports: [{ containerPort: 8080, hostPort: 18080 }] }] });
    await createPod('web-b', 'node-b', { containers: [netexec] });
    const a = await podRunning('web-a');
    const b = await podRunning('web-b');
    assert.match(a.status!.podIP!, /^10\.244\.1\.\d+$/);
    assert.match(b.status!.podIP!, /^10\.244\.2\.\d+$/);
    assert.equal(a.status!.hostIP, '172.18.0.11');
    const cs = a.status!.containerStatuses![0]!;
    assert.equal(cs.ready, true);
    assert.equal(cs.started, true);
    assert.match(cs.containerID!, /^svcnet:\/\/\d+$/);
    assert.deepEqual(a.status!.conditions!.map((c) => `${c.type}=${c.status}`), ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    const podNs = agents[0]!.runtime.podNetns(ns, 'web-a')!;
    // Without a readiness probe Ready comes at process start, before the server listens.
    const stdout = await waitFor('web-b answering', async () => (await net!.exec(podNs, ['curl', '-sS', '--max-time', '5', `http://${b.status!.podIP}:8080/hostname`])).stdout);
    assert.equal(stdout, 'web-b');
    const { stdout: clientIP } = await net!.exec(podNs, ['curl', '-sS', '--max-time', '5', `http://${b.status!.podIP}:8080/clientip`]);
    // hostPort: DNAT in node-a's namespace, reached from node-b through node-a's address.
    const viaHostPort = await waitFor('hostPort answering', async () => (await net!.exec(net!.nodeNamespace('node-b'), ['curl', '-sS', '--max-time', '5', 'http://172.18.0.11:18080/hostname'])).stdout);
    assert.equal(viaHostPort, 'web-a');
    assert.match(clientIP, new RegExp(`^${a.status!.podIP!.replaceAll('.', '\\.')}:\\d+$`));
  });

  it('sets Service env vars, the hostname and resolv.conf/hosts as the kubelet does', async () => {
    const svc = await client.create<KubeObject & { spec: { clusterIP: string } }>({ ...resources.services, namespace: ns }, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'my-svc' },
      spec: { selector: { app: 'x' }, ports: [{ name: 'http', port: 8080, targetPort: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] },
    });
    // The kubelet's Service environment comes from its Service cache, which must have seen my-svc
    // before the Pod starts; that cache is the agent's own and not observable from here, so this
    // pause stays.
    await new Promise((r) => setTimeout(r, 500));
    await createPod('envpod', 'node-a', {
      containers: [{
        name: 'main',
        image: 'busybox',
        command: ['sh', '-c', `hostname; cat /etc/resolv.conf; grep envpod /etc/hosts; env | sort; echo "$(MY_VAR)" '$$(MY_VAR)'; exec sleep 3600`],
        env: [{ name: 'MY_VAR', value: 'v-$(MY_SVC_SERVICE_HOST)' }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
      }],
    });
    const pod = await podRunning('envpod');
    const ip = svc.spec.clusterIP;
    let last = '';
    const out = await waitFor('envpod output', async () => {
      const r = await logs(0, 'envpod', 'main');
      last = `${r.status} ${r.body}`;
      return r.status === 200 && r.body.includes(`v-${ip} $(MY_VAR)`) && r.body;
    }).catch((err: Error) => assert.fail(`${err.message}; last answer: ${last}`));
    const lines = out.split('\n');
    assert.equal(lines[0], 'envpod');
    assert.ok(out.includes('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n'), out);
    assert.ok(lines.includes(`${pod.status!.podIP}\tenvpod`), out);
    const env = new Map(lines.filter((l) => /^[A-Z0-9_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const want: Record<string, string> = {
      MY_SVC_SERVICE_HOST: ip,
      MY_SVC_SERVICE_PORT: '8080',
      MY_SVC_SERVICE_PORT_HTTP: '8080',
      MY_SVC_SERVICE_PORT_DNS: '53',
      MY_SVC_PORT: `tcp://${ip}:8080`,
      MY_SVC_PORT_8080_TCP: `tcp://${ip}:8080`,
      MY_SVC_PORT_8080_TCP_PROTO: 'tcp',
      MY_SVC_PORT_8080_TCP_PORT: '8080',
      MY_SVC_PORT_8080_TCP_ADDR: ip,
      MY_SVC_PORT_53_UDP: `udp://${ip}:53`,
      MY_SVC_PORT_53_UDP_PROTO: 'udp',
      MY_SVC_PORT_53_UDP_PORT: '53',
      MY_SVC_PORT_53_UDP_ADDR: ip,
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
      KUBERNETES_PORT_443_TCP_PORT: '443',
      KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
      MY_VAR: `v-${ip}`,
      POD_IP: pod.status!.podIP!,
      HOSTNAME: 'envpod',
    };
    for (const [k, v] of Object.entries(want)) assert.equal(env.get(k), v, k);
  });

  it('restarts a container whose liveness probe fails and counts restarts', async () => {
    await createPod('live', 'node-b', {
      containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], livenessProbe: { httpGet: { path: '/', port: 9999 }, periodSeconds: 1, failureThreshold: 2 } }],
    });
    const pod = await waitFor('a liveness restart', async () => {
      const p = await getPod('live');
      const cs = p.status?.containerStatuses?.[0];
      return cs && cs.restartCount >= 1 && cs.lastState?.terminated && p;
    }, 30_000);
    assert.ok(pod.status!.containerStatuses![0]!.lastState!.terminated!.containerID);
    const events = await client.list<KubeObject & { reason: string; message: string }>({ ...resources.events, namespace: ns }, { fieldSelector: 'involvedObject.name=live' });
    assert.ok(events.items.some((e) => e.reason === 'Killing' && e.message === 'Container c failed liveness probe, will be restarted'), JSON.stringify(events.items.map((e) => e.message)));
    assert.ok(events.items.some((e) => e.reason === 'Unhealthy' && /^Liveness probe failed: Get "http:\/\/10\.244\.2\.\d+:9999\/": dial tcp .*connection refused$/.test(e.message)));
  });

  it('keeps Ready False while the readiness probe fails', async () => {
    await createPod('unready', 'node-a', {
      containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], readinessProbe: { exec: { command: ['cat', '/nonexistent-svcnet'] }, periodSeconds: 1 } }],
    });
    await podRunning('unready', false);
    // Ready must stay False over several failed probes (periodSeconds 1): asserting that it does
    // not flip, so a pause rather than a wait on a condition.
    await new Promise((r) => setTimeout(r, 2500));
    const p = await getPod('unready');
    const ready = p.status!.conditions!.find((c) => c.type === 'Ready')!;
    assert.equal(ready.status, 'False');
    assert.equal(ready.reason, 'ContainersNotReady');
    assert.equal(ready.message, 'containers with unready status: [c]');
    assert.equal(p.status!.containerStatuses![0]!.ready, false);
    assert.equal(p.status!.containerStatuses![0]!.restartCount, 0);
  });

  it('puts a crashing container into CrashLoopBackOff with a growing back-off; logs of the previous instance', async () => {
    // Every status write is seen through a watch (polling can miss the short 1s back-off when the
    // machine is busy).
    const seen = new Set<string>();
    const abort = new AbortController();
    const watching = client
      .watch({ ...resources.pods, namespace: ns }, { fieldSelector: 'metadata.name=crash' }, (ev) => {
        const w = (ev.object as Pod).status?.containerStatuses?.[0]?.state?.waiting;
        if (w?.reason === 'CrashLoopBackOff') seen.add(w.message!.split(' ')[1]!);
      }, abort.signal)
      .catch(() => undefined);
    await createPod('crash', 'node-b', { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo "run $(date +%s%N)"; exit 3'] }] });
    try {
      await waitFor('back-off of 2s', async () => seen.has('2s'), 30_000);
    } finally {
      abort.abort();
      await watching;
    }
    assert.ok(seen.has('1s'), [...seen].join());
    const p = await getPod('crash');
    const cs = p.status!.containerStatuses![0]!;
    assert.ok(cs.restartCount >= 2);
    assert.equal(cs.lastState!.terminated!.exitCode, 3);
    assert.equal(cs.lastState!.terminated!.reason, 'Error');
    assert.match(cs.state!.waiting!.message!, /^back-off \d+s restarting failed container=c pod=crash_default\(/);
    const prev = await logs(1, 'crash', 'c', '?previous=true&timestamps=true');
    assert.equal(prev.status, 200);
    assert.match(prev.body, /^\d{4}-\d\d-\d\dT[\d:.]+Z run \d+\n$/);
  });

  it('streams logs with follow until the container exits; errors as the kubelet words them', async () => {
    await createPod('talker', 'node-a', {
      restartPolicy: 'Never',
      containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo line $i; sleep 0.3; done'] }],
    });
    await waitFor('talker started', async () => (await getPod('talker')).status?.containerStatuses?.[0]?.state?.running);
    const chunks: string[] = [];
    const followed = await socketGet(agents[0]!.socketPath, `/containerLogs/${ns}/talker/c?follow=true`, (c) => chunks.push(c));
    assert.equal(followed.body, 'line 1\nline 2\nline 3\nline 4\nline 5\n');
    assert.ok(chunks.length > 1, 'follow delivered the lines as they came');
    const done = await waitFor('talker Succeeded', async () => {
      const p = await getPod('talker');
      return p.status?.phase === 'Succeeded' && p;
    });
    assert.equal(done.status!.containerStatuses![0]!.state!.terminated!.reason, 'Completed');
    assert.equal((await logs(0, 'talker', 'c', '?tailLines=2')).body, 'line 4\nline 5\n');
    const noPrev = await logs(0, 'talker', 'c', '?previous=true');
    assert.deepEqual(noPrev, { status: 400, body: 'previous terminated container "c" in pod "talker" not found' });
    assert.equal((await logs(0, 'nope', 'c')).status, 404);
  });

  it('reports an image it cannot run as a waiting container, never a fake success', async () => {
    await createPod('noimg', 'node-a', { containers: [{ name: 'c', image: 'quay.io/example/unknown:1.0' }] });
    const cs = await waitFor('CreateContainerError', async () => {
      const c = (await getPod('noimg')).status?.containerStatuses?.[0];
      return c?.state?.waiting?.reason === 'CreateContainerError' && c;
    });
    assert.match(cs.state!.waiting!.message!, /cannot run image "quay.io\/example\/unknown:1.0"/);
    assert.equal((await getPod('noimg')).status!.phase, 'Pending');
  });

  it('on deletion runs preStop, sends SIGTERM, then removes the Pod and its namespace', async () => {
    const marker = join(scratch, 'term.log');
    await createPod('graceful', 'node-b', {
      terminationGracePeriodSeconds: 10,
      containers: [{
        name: 'c',
        image: 'busybox',
        command: ['sh', '-c', `trap 'echo got-TERM >> ${marker}; exit 0' TERM; while true; do sleep 0.1; done`],
        lifecycle: { preStop: { exec: { command: ['sh', '-c', `echo prestop-$(hostname) >> ${marker}`] } } },
      }],
    });
    await podRunning('graceful');
    const podNs = agents[1]!.runtime.podNetns(ns, 'graceful')!;
    assert.ok(existsSync(`/run/netns/${podNs}`));
    await client.delete({ ...resources.pods, namespace: ns, name: 'graceful' });
    await waitFor('pod gone', async () => {
      try {
        await getPod('graceful');
        return false;
      } catch (err) {
        return (err as { code?: number }).code === 404 || /not found/.test((err as Error).message);
      }
    });
    assert.equal(readFileSync(marker, 'utf8'), 'prestop-graceful\ngot-TERM\n');
    await waitFor('namespace removed', async () => !existsSync(`/run/netns/${podNs}`));
    assert.ok(!existsSync(`/etc/netns/${podNs}`));
  });
});
