// kubectl logs (tail, since, timestamps, previous, follow, limit), the API server's option and
// container checks, and pods/proxy + services/proxy, end to end through the node's endpoints.
// Needs root (the node and the Pod are real network namespaces).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient } from './helpers/http.js';
import { waitUntil } from './helpers/wait.js';
import { createPod, startStreamingCluster, unsupported, type StreamingCluster } from './streaming-helpers.js';
import type { CriLogEntry } from '../src/node/streaming/index.js';

const NS = 1_000_000_000n;
const now = () => BigInt(Date.now()) * 1_000_000n;

function entries(lines: readonly [bigint, string, boolean?][]): CriLogEntry[] {
  return lines.map(([time, content, partial]) => ({ time, stream: 'stdout', partial: partial ?? false, content }));
}

describe('kubectl logs and the proxy subresources', { skip: unsupported }, () => {
  let c: StreamingCluster;
  let api: ApiClient;
  const t0 = now() - 3600n * NS * 2n; // two hours ago
  before(async () => {
    c = await startStreamingCluster();
    api = new ApiClient(c.s.cp.url, c.s.dataDir);
    // The previous instance (restart 0) and the current one (restart 1).
    c.runtime.writeLog('default', 'web', 'web', entries([[t0, 'old instance line']]), 0);
    c.runtime.setContainer('default', 'web', 'web', { restarts: 1 });
    c.runtime.writeLog(
      'default',
      'web',
      'web',
      entries([
        [t0 + 1n, 'line one'],
        [t0 + 2n, 'line two'],
        [now() - 5n * NS, 'partial ', true],
        [now() - 4n * NS, 'joined'],
        [now() - 3n * NS, 'last line'],
      ]),
    );
  });
  after(async () => {
    api?.close();
    await c?.stop();
  });

  it('prints the log, joining partial lines', async () => {
    assert.equal(await c.s.kubectl.ok(['logs', 'web']), 'line one\nline two\npartial joined\nlast line\n');
  });

  it('--tail counts CRI lines from the end', async () => {
    assert.equal(await c.s.kubectl.ok(['logs', 'web', '--tail=1']), 'last line\n');
    assert.equal(await c.s.kubectl.ok(['logs', 'web', '--tail=2']), 'joined\nlast line\n');
  });

  it('--since and --since-time drop older entries', async () => {
    assert.equal(await c.s.kubectl.ok(['logs', 'web', '--since=1h']), 'partial joined\nlast line\n');
    const since = new Date(Number((t0 + 2n * NS) / 1_000_000n)).toISOString().replace(/\.\d+Z$/, 'Z');
    assert.equal(await c.s.kubectl.ok(['logs', 'web', `--since-time=${since}`]), 'partial joined\nlast line\n');
  });

  it('--timestamps prefixes each line with the kubelet’s nanosecond stamp', async () => {
    const out = await c.s.kubectl.ok(['logs', 'web', '--timestamps', '--tail=1']);
    assert.match(out, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z last line\n$/);
  });

  it('--limit-bytes cuts the output', async () => {
    assert.equal(await c.s.kubectl.ok(['logs', 'web', '--limit-bytes=6']), 'line o');
  });

  it('--previous reads the last terminated instance, or says there is none', async () => {
    assert.equal(await c.s.kubectl.ok(['logs', 'web', '--previous']), 'old instance line\n');
    await createPod(c.s, { name: 'fresh', node: 'node-1', containers: ['app'], phase: 'Running' });
    c.runtime.addPod('default', 'fresh', 'uid-fresh', 'svcnet-none');
    c.runtime.setContainer('default', 'fresh', 'app', { running: true });
    const r = await c.s.kubectl.run(['logs', 'fresh', '--previous']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (BadRequest): previous terminated container "app" in pod "fresh" not found\n');
  });

  it('-f streams new lines and ends when the container stops', async () => {
    const child = c.s.kubectl.spawn(['logs', '-f', 'web', '--tail=0']);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    // --tail=0 shows only lines written after kubectl's stream reached the log file, which the
    // test cannot see: write marker lines until one comes through (every later one follows).
    let markers = 0;
    await waitUntil('kubectl logs -f to attach', () => {
      if (out.includes('marker-')) return true;
      c.runtime.writeLog('default', 'web', 'web', entries([[now(), `marker-${++markers}`]]));
      return false;
    }, 30_000, 200);
    await waitUntil('the last marker', () => out.endsWith(`marker-${markers}\n`), 10_000);
    const attached = out.length;
    c.runtime.writeLog('default', 'web', 'web', entries([[now(), 'followed 1'], [now(), 'followed 2']]));
    await waitUntil('the followed lines', () => out.includes('followed 2'), 10_000);
    assert.equal(out.slice(attached), 'followed 1\nfollowed 2\n');
    c.runtime.setContainer('default', 'web', 'web', { running: false });
    try {
      assert.equal(await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 5000))]), 0);
    } finally {
      child.kill('SIGKILL');
      c.runtime.setContainer('default', 'web', 'web', { running: true });
    }
  });

  it('the API checks options and containers with upstream messages', async () => {
    await createPod(c.s, { name: 'multi', node: 'node-1', containers: ['a', 'b'], phase: 'Running' });
    let r = await api.get('/api/v1/namespaces/default/pods/multi/log');
    assert.equal(r.status, 400);
    assert.equal(r.body.message, 'a container name must be specified for pod multi, choose one of: [a b]');
    r = await api.get('/api/v1/namespaces/default/pods/multi/log?container=c');
    assert.equal(r.body.message, 'container c is not valid for pod multi');
    r = await api.get('/api/v1/namespaces/default/pods/web/log?tailLines=-1');
    assert.equal(r.status, 422);
    assert.equal(r.body.message, 'PodLogOptions "web" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0');
    r = await api.get('/api/v1/namespaces/default/pods/web/log?sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z');
    assert.equal(r.body.message, 'PodLogOptions "web" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified');
    // Not scheduled yet: no log location, an empty answer.
    await createPod(c.s, { name: 'unscheduled', containers: ['x'], phase: 'Pending' });
    r = await api.get('/api/v1/namespaces/default/pods/unscheduled/log');
    assert.equal(r.status, 200);
    assert.equal(r.text, '');
  });

  it('pods/proxy reaches the Pod over its node (name:port, default port, redirects)', async () => {
    assert.equal(await c.s.kubectl.ok(['get', '--raw', '/api/v1/namespaces/default/pods/web:80/proxy/hi?x=1']), 'hello GET /hi?x=1 from web\n');
    assert.equal(await c.s.kubectl.ok(['get', '--raw', '/api/v1/namespaces/default/pods/web/proxy/dflt']), 'hello GET /dflt from web\n');
    const post = await api.post('/api/v1/namespaces/default/pods/web/proxy/form', 'a=b', { 'content-type': 'text/plain' });
    assert.equal(post.text, 'hello POST /form from web body=a=b\n');
    const redirect = await api.get('/api/v1/namespaces/default/pods/web/proxy/redirect');
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.location, '/api/v1/namespaces/default/pods/web/proxy/landed');
    const refused = await c.s.kubectl.run(['get', '--raw', '/api/v1/namespaces/default/pods/web:81/proxy/']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`error trying to reach service: dial tcp ${c.podIP.replace(/\./g, '\\.')}:81: connect: connection refused`));
  });

  it('services/proxy picks a ready endpoint Pod', async () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'websvc' }, spec: { ports: [{ name: 'http', port: 8080, targetPort: 80 }] } };
    await c.s.kubectl.ok(['create', '-f', '-'], { input: JSON.stringify(svc) });
    const none = await c.s.kubectl.run(['get', '--raw', '/api/v1/namespaces/default/services/websvc:8080/proxy/']);
    assert.match(none.stderr, /no endpoints available for service "websvc"/);
    const ep = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'websvc' },
      subsets: [{ addresses: [{ ip: c.podIP, nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'web' } }], ports: [{ name: 'http', port: 80 }] }],
    };
    await c.s.kubectl.ok(['create', '-f', '-'], { input: JSON.stringify(ep) });
    assert.equal(await c.s.kubectl.ok(['get', '--raw', '/api/v1/namespaces/default/services/websvc:8080/proxy/s']), 'hello GET /s from web\n');
    assert.equal(await c.s.kubectl.ok(['get', '--raw', '/api/v1/namespaces/default/services/websvc:http/proxy/n']), 'hello GET /n from web\n');
    const badPort = await c.s.kubectl.run(['get', '--raw', '/api/v1/namespaces/default/services/websvc:9999/proxy/']);
    assert.match(badPort.stderr, /no service port 9999 found for service "websvc"/);
  });
});
