// Watch semantics through real clients: kubectl get -w, resume from a resourceVersion, 410 Gone
// after compaction, bookmarks, and filtered watches seeing objects enter and leave.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ClientHttp2Session } from 'node:http2';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from './helpers/apiserver.js';
import { kubectlBinary } from './helpers/kubectl.js';

interface WatchEvent {
  type: string;
  object: { metadata: { name?: string; resourceVersion?: string; annotations?: Record<string, string> }; code?: number; reason?: string; message?: string };
}

/** A raw watch over HTTP/2 with the admin client certificate, as client-go makes it. */
function rawWatch(session: ClientHttp2Session, path: string, onEvent: (e: WatchEvent) => void): { close(): void; ended: Promise<void> } {
  const stream = session.request({ ':path': path, accept: 'application/json' });
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.trim()) onEvent(JSON.parse(line) as WatchEvent);
    }
  });
  const ended = new Promise<void>((resolve) => stream.on('close', () => resolve()));
  return { close: () => stream.close(), ended };
}

async function request(session: ClientHttp2Session, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const s = session.request({ ':method': method, ':path': path, 'content-type': 'application/json', accept: 'application/json' });
    let text = '';
    let status = 0;
    s.setEncoding('utf8');
    s.on('response', (h) => (status = Number(h[':status'])));
    s.on('data', (c: string) => (text += c));
    s.on('end', () => resolve({ status, body: text ? JSON.parse(text) : undefined }));
    s.on('error', reject);
    s.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function until(cond: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (cond()) return resolve();
      if (Date.now() - start > ms) return reject(new Error('timed out waiting'));
      setTimeout(tick, 10);
    };
    tick();
  });
}

const cm = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { a: '1' } });

describe('watch', () => {
  let s: TestServer;
  let session: ClientHttp2Session;
  before(async () => {
    s = await startTestServer();
    const pki = join(s.dataDir, 'pki');
    session = connect(s.cp.url, {
      ca: readFileSync(join(pki, 'ca.crt')),
      cert: readFileSync(join(pki, 'admin.crt')),
      key: readFileSync(join(pki, 'admin.key')),
    });
  });
  after(async () => {
    session?.close();
    await s?.stop();
  });

  it('resumes from a resourceVersion with exactly the missing events', async () => {
    const base = '/api/v1/namespaces/default/configmaps';
    const first = await request(session, 'POST', base, cm('w1'));
    assert.equal(first.status, 201);
    const rv = first.body.metadata.resourceVersion as string;
    await request(session, 'POST', base, cm('w2'));
    await request(session, 'DELETE', `${base}/w2`);
    const events: WatchEvent[] = [];
    const w = rawWatch(session, `${base}?watch=true&resourceVersion=${rv}`, (e) => events.push(e));
    await until(() => events.length >= 2);
    // Then no third event: a pause is the only way to give a spurious one the chance to arrive.
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.object.metadata.name}`),
      ['ADDED w2', 'DELETED w2'],
    );
    // Strictly increasing resourceVersions.
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    assert.ok(rvs.every((v, i) => i === 0 || v > rvs[i - 1]!) && rvs[0]! > Number(rv));
    w.close();
  });

  it('starts with synthetic ADDED events when resourceVersion is empty', async () => {
    const events: WatchEvent[] = [];
    const w = rawWatch(session, '/api/v1/namespaces/default/configmaps?watch=1', (e) => events.push(e));
    await until(() => events.some((e) => e.object.metadata.name === 'w1'));
    assert.equal(events[0]!.type, 'ADDED');
    await request(session, 'POST', '/api/v1/namespaces/default/configmaps', cm('w3'));
    await until(() => events.some((e) => e.object.metadata.name === 'w3'));
    assert.equal(events.find((e) => e.object.metadata.name === 'w3')!.type, 'ADDED');
    w.close();
  });

  it('answers a compacted resourceVersion with 410 Expired', async () => {
    const rev = await s.cp.storage.currentRevision();
    await request(session, 'POST', '/api/v1/namespaces/default/configmaps', cm('w4'));
    await s.cp.storage.compact(await s.cp.storage.currentRevision());
    const events: WatchEvent[] = [];
    const w = rawWatch(session, `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rev - 1}`, (e) => events.push(e));
    await w.ended;
    assert.equal(events.length, 1);
    assert.equal(events[0]!.type, 'ERROR');
    assert.equal(events[0]!.object.code, 410);
    assert.equal(events[0]!.object.reason, 'Expired');
    assert.match(events[0]!.object.message!, /^too old resource version: \d+ \(\d+\)$/);
  });

  it('shows objects entering and leaving a label-filtered watch', async () => {
    const base = '/api/v1/namespaces/default/configmaps';
    const created = await request(session, 'POST', base, cm('sel', { tier: 'a' }));
    const events: WatchEvent[] = [];
    const w = rawWatch(session, `${base}?watch=true&labelSelector=tier%3Db&resourceVersion=${created.body.metadata.resourceVersion}`, (e) => events.push(e));
    const patch = (tier: string) =>
      new Promise<void>((resolve) => {
        const st = session.request({ ':method': 'PATCH', ':path': `${base}/sel`, 'content-type': 'application/merge-patch+json' });
        st.on('close', () => resolve());
        st.resume();
        st.end(JSON.stringify({ metadata: { labels: { tier } } }));
      });
    await patch('b');
    await patch('b2');
    await until(() => events.length >= 2);
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'DELETED']);
    w.close();
  });

  it('ends with a BOOKMARK carrying initial-events-end for sendInitialEvents', async () => {
    const events: WatchEvent[] = [];
    const w = rawWatch(
      session,
      '/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true',
      (e) => events.push(e),
    );
    await until(() => events.some((e) => e.type === 'BOOKMARK'));
    const bm = events.find((e) => e.type === 'BOOKMARK')!;
    assert.equal(bm.object.metadata.annotations?.['k8s.io/initial-events-end'], 'true');
    assert.ok(events.slice(0, events.indexOf(bm)).every((e) => e.type === 'ADDED'));
    w.close();
  });

  it('kubectl get -w prints changes as they happen', { skip: kubectlBinary() ? false : 'kubectl is not installed' }, async () => {
    await s.kubectl.ok(['create', 'namespace', 'watched']);
    await s.kubectl.ok(['create', 'configmap', 'one', '-n', 'watched', '--from-literal=a=1']);
    const child = s.kubectl.spawn(['get', 'configmaps', '-n', 'watched', '-w']);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await until(() => /\none\s+1\s+\d+s\n/.test(out), 10_000);
      await s.kubectl.ok(['create', 'configmap', 'two', '-n', 'watched', '--from-literal=a=1', '--from-literal=b=2']);
      await until(() => /\ntwo\s+2\s+\d+s\n/.test(out), 10_000);
      const lines = out.trimEnd().split('\n');
      assert.match(lines[0]!, /^NAME\s+DATA\s+AGE$/);
      // Watch events do not repeat the header.
      assert.equal(lines.filter((l) => l.startsWith('NAME')).length, 1);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
