// The streaming endpoints on the real node agent: NodeRuntime runs the Pods (nginx and a shell
// container), KubeletServer serves the socket (logs itself, exec/port-forward through
// the handlers nodeStreamingHandlers makes), and kubectl goes through the API server. Needs root.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './helpers/apiserver.js';
import { NetnsDialer, nodeStreamingHandlers } from '../src/node/streaming/index.js';
import type { NodeStreamingHandlers } from '../src/node/streaming/index.js';
import { KubeletServer, kubeletSocketPath } from '../src/node/agent/index.js';
import { ClusterNetwork, checkNetnsSupport } from '../src/node/netns/index.js';
import { uniqueClusterName } from '../src/node/netns/test-helpers.js';
import { CrashLoopBackoff, HelperProber, NodeRuntime, nodeViewOf } from '../src/node/runtime/index.js';
import type { Pod, PodStatus } from '../src/api/types/core/v1.js';
import { createLogger } from '../src/util/logger.js';
import { randomPort } from './streaming-helpers.js';

const unsupported = await checkNetnsSupport();

async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('streaming through the node agent', { skip: unsupported, timeout: 180_000 }, () => {
  let s: TestServer;
  let net: ClusterNetwork | undefined;
  let runtime: NodeRuntime;
  let prober: HelperProber;
  let kubelet: KubeletServer;
  const dialer = new NetnsDialer();
  let streaming: NodeStreamingHandlers | undefined;
  const statuses = new Map<string, PodStatus>();

  before(async () => {
    s = await startTestServer();
    streaming = nodeStreamingHandlers(dialer);
    net = await ClusterNetwork.create(uniqueClusterName('sa'));
    await net.addNode('node-1', 1);
    const view = nodeViewOf(net, 'node-1');
    prober = new HelperProber((argv) => view.spawnIn(view.nodeNamespace, argv, { stdio: ['pipe', 'pipe', 'inherit'] }));
    runtime = new NodeRuntime({
      network: view,
      prober,
      backoff: new CrashLoopBackoff({ initialMs: 500, maxMs: 2000 }),
      podsDir: join(s.dataDir, 'pods'),
      etcNetnsDir: '/etc/netns',
      dns: { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local' },
      hostDNS: () => ({ servers: [], searches: [], options: [] }),
      nodeHosts: () => '',
      services: () => [],
      configMap: async () => undefined,
      event: () => {},
      publishStatus: (p, st) => statuses.set(p.metadata.name!, st),
      onTerminated: () => {},
      logger: createLogger({ level: 'error' }),
    });
    kubelet = new KubeletServer(kubeletSocketPath(s.dataDir, 'node-1'), { nodeName: 'node-1', runtime, handlers: streaming.handlers });
    await kubelet.listen();
    const pod: Pod = {
      metadata: { name: 'web', namespace: 'default', uid: randomUUID() },
      spec: {
        nodeName: 'node-1',
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 1,
        containers: [
          { name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] },
          { name: 'shell', image: 'busybox', command: ['sh', '-c', 'echo hello-from-log; exec sleep 3600'], env: [{ name: 'GREETING', value: 'hi there' }] },
        ],
      },
    };
    runtime.syncPod(pod);
    const st = await waitFor('Running', () => {
      const x = statuses.get('web');
      return x?.phase === 'Running' && x.podIP && x.containerStatuses?.every((c) => c.state?.running) && x;
    });
    // The same Pod in the API, as the agent would report it.
    await s.kubectl.ok(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: pod.spec }) });
    await s.kubectl.ok(['patch', 'pod', 'web', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: st })]);
  });

  after(async () => {
    await runtime?.shutdown().catch(() => {});
    prober?.close();
    await kubelet?.close().catch(() => {});
    await streaming?.close().catch(() => {});
    dialer.close();
    await (net ? net.destroy() : Promise.resolve());
    await s?.stop();
  });

  it('exec runs in the container: Pod hostname, container env, exit codes', async () => {
    assert.equal(await s.kubectl.ok(['exec', 'web', '-c', 'shell', '--', 'hostname']), 'web\n');
    assert.equal(await s.kubectl.ok(['exec', 'web', '-c', 'shell', '--', 'sh', '-c', 'echo "$GREETING"']), 'hi there\n');
    const r = await s.kubectl.run(['exec', 'web', '-c', 'shell', '--', 'sh', '-c', 'exit 4']);
    assert.equal(r.code, 4);
    assert.equal(r.stderr, 'command terminated with exit code 4\n');
  });

  it('logs come from the agent’s own endpoint', async () => {
    assert.equal(await s.kubectl.ok(['logs', 'web', '-c', 'shell']), 'hello-from-log\n');
  });

  it('port-forward and pods/proxy reach nginx', async () => {
    assert.match(await s.kubectl.ok(['get', '--raw', '/api/v1/namespaces/default/pods/web:80/proxy/']), /nginx/i);
    const port = randomPort();
    const child = s.kubectl.spawn(['port-forward', 'web', `${port}:80`]);
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => d.toString().includes('Forwarding from 127.0.0.1') && resolve());
        child.once('exit', (code) => reject(new Error(`port-forward exited ${code}`)));
      });
      const res = await new Promise<{ status: number; server: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (r) => {
          r.resume();
          r.on('end', () => resolve({ status: r.statusCode ?? 0, server: String(r.headers.server ?? '') }));
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(res.status, 200);
      assert.match(res.server, /nginx/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
