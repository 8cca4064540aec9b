// The node runtime's probes without the API server: Pods are handed to NodeRuntime directly and
// the statuses and events it reports are collected. Real namespaces (root); all removed in `after`.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClusterNetwork, checkNetnsSupport } from '../src/node/netns/index.js';
import { CrashLoopBackoff, HelperProber, NodeRuntime, nodeViewOf } from '../src/node/runtime/index.js';
import type { Container, Pod, PodStatus, RestartPolicy } from '../src/api/types/core/v1.js';
import { createLogger } from '../src/util/logger.js';

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

describe('node runtime probes (real namespaces)', { skip: unsupported, timeout: 120_000 }, () => {
  const cluster = `tnr${process.pid % 100000}${randomBytes(2).toString('hex')}`;
  const scratch = mkdtempSync(join(tmpdir(), 'svcnet-rt-'));
  let net: ClusterNetwork | undefined;
  let runtime: NodeRuntime;
  let prober: HelperProber;
  const statuses = new Map<string, PodStatus>();
  const events: { pod: string; reason: string; message: string }[] = [];

  const pod = (name: string, containers: Container[], restartPolicy: RestartPolicy = 'Always'): Pod => ({
    metadata: { name, namespace: 'default', uid: randomUUID() },
    spec: { nodeName: 'node-a', restartPolicy, terminationGracePeriodSeconds: 1, containers },
  });

  before(async () => {
    net = await ClusterNetwork.create(cluster);
    await net.addNode('node-a', 1);
    const view = nodeViewOf(net, 'node-a');
    prober = new HelperProber((argv) => view.spawnIn(view.nodeNamespace, argv, { stdio: ['pipe', 'pipe', 'inherit'] }));
    runtime = new NodeRuntime({
      network: view,
      prober,
      backoff: new CrashLoopBackoff({ initialMs: 500, maxMs: 2000 }),
      podsDir: join(scratch, 'pods'),
      etcNetnsDir: '/etc/netns',
      dns: { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local' },
      hostDNS: () => ({ servers: [], searches: [], options: [] }),
      nodeHosts: () => '',
      services: () => [],
      configMap: async () => undefined,
      event: (p, _type, reason, message) => events.push({ pod: p.metadata.name!, reason, message }),
      publishStatus: (p, s) => statuses.set(p.metadata.name!, s),
      onTerminated: () => {},
      logger: createLogger({ level: 'error' }),
    });
  });

  after(async () => {
    await runtime?.shutdown().catch(() => {});
    prober?.close();
    await (net ? net.destroy() : ClusterNetwork.cleanupStale(cluster));
    rmSync(scratch, { recursive: true, force: true });
  });

  it('an httpGet readiness probe (through the node-namespace helper) makes the Pod Ready', async () => {
    runtime.syncPod(
      pod('ready', [{ name: 'web', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['netexec', '--http-port=8080', '--udp-port=-1'], readinessProbe: { httpGet: { path: '/hostname', port: 8080 }, periodSeconds: 1 } }]),
    );
    const s = await waitFor('Ready', () => {
      const st = statuses.get('ready');
      return st?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' && st;
    });
    assert.equal(s.containerStatuses![0]!.ready, true);
    assert.equal(s.phase, 'Running');
  });

  it('a failing exec readiness probe keeps Ready False, with Unhealthy events', async () => {
    runtime.syncPod(pod('unready', [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], readinessProbe: { exec: { command: ['sh', '-c', 'echo not yet; exit 1'] }, periodSeconds: 1 } }]));
    await waitFor('two Unhealthy events', () => events.filter((e) => e.pod === 'unready' && e.reason === 'Unhealthy').length >= 2);
    const s = statuses.get('unready')!;
    assert.equal(s.phase, 'Running');
    assert.equal(s.conditions!.find((c) => c.type === 'Ready')!.status, 'False');
    assert.equal(s.containerStatuses![0]!.restartCount, 0);
    assert.ok(events.some((e) => e.pod === 'unready' && e.message === 'Readiness probe failed: not yet'));
  });

  it('a failing liveness probe kills and restarts the container', async () => {
    runtime.syncPod(pod('live', [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], livenessProbe: { tcpSocket: { port: 9999 }, periodSeconds: 1, failureThreshold: 2 } }]));
    const s = await waitFor('restartCount 2', () => {
      const st = statuses.get('live');
      return (st?.containerStatuses?.[0]?.restartCount ?? 0) >= 2 && st;
    }, 30_000);
    assert.ok(s.containerStatuses![0]!.lastState?.terminated);
    assert.ok(events.some((e) => e.pod === 'live' && e.reason === 'Killing' && e.message === 'Container c failed liveness probe, will be restarted'));
    assert.ok(events.some((e) => e.pod === 'live' && /^Liveness probe failed: dial tcp 10\.244\.1\.\d+:9999: connect: connection refused$/.test(e.message)));
  });

  it('a startup probe holds readiness until it succeeds', async () => {
    const marker = join(scratch, 'started');
    runtime.syncPod(
      pod('startup', [{
        name: 'c',
        image: 'busybox',
        command: ['sh', '-c', `sleep 2; touch ${marker}; exec sleep 3600`],
        startupProbe: { exec: { command: ['test', '-f', marker] }, periodSeconds: 1, failureThreshold: 30 },
      }]),
    );
    await waitFor('running', () => statuses.get('startup')?.containerStatuses?.[0]?.state?.running);
    const early = statuses.get('startup')!.containerStatuses![0]!;
    assert.equal(early.started, false);
    assert.equal(early.ready, false);
    const s = await waitFor('started and ready', () => {
      const c = statuses.get('startup')?.containerStatuses?.[0];
      return c?.started && c.ready && c;
    });
    assert.equal(s.restartCount, 0);
  });
});
