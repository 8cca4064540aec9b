// Connection exhaustion: connections that never finish the TLS handshake, never send the HTTP/2
// preface or an HTTP/1.1 request, or sit idle, are closed by the server after its (here
// shortened) deadlines, while real clients keep being served — and a watch, however quiet,
// outlives the idle deadline because it is an open stream.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { startControlPlane, type ControlPlane } from '../src/cluster/control-plane.js';
import { createLogger } from '../src/util/logger.js';
import { ApiClient } from './helpers/http.js';
import { Kubectl } from './helpers/kubectl.js';

const TIMEOUTS = { handshakeTimeoutMs: 500, readHeaderTimeoutMs: 700, idleTimeoutMs: 900 };
const N = 100;

/** Resolves when the server has closed every socket; rejects after the deadline. */
function allClosed(sockets: Socket[], deadlineMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let open = sockets.length;
    const timer = setTimeout(() => reject(new Error(`${open}/${sockets.length} connections still open after ${deadlineMs} ms`)), deadlineMs);
    for (const s of sockets) {
      s.once('close', () => {
        if (--open === 0) {
          clearTimeout(timer);
          resolve(Date.now() - started);
        }
      });
    }
  });
}

describe('connection deadlines', () => {
  let dataDir: string;
  let cp: ControlPlane;
  let port: number;
  let ca: Buffer;
  const sockets: Socket[] = [];
  const clients: ApiClient[] = [];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'svcnet-hardening-conn-'));
    cp = await startControlPlane({ dataDir, port: 0, timeouts: TIMEOUTS, logger: createLogger({ level: 'error' }) });
    port = cp.server.port;
    ca = readFileSync(join(dataDir, 'pki', 'ca.crt'));
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    for (const c of clients) c.session.destroy();
    await cp?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function client(): ApiClient {
    const c = new ApiClient(cp.url, dataDir);
    clients.push(c);
    return c;
  }

  function rawTcp(): Socket {
    const s = netConnect({ host: '127.0.0.1', port });
    s.on('error', () => undefined);
    s.resume();
    sockets.push(s);
    return s;
  }

  function tlsNoRequest(alpn: string): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const s = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost', ALPNProtocols: [alpn] });
      sockets.push(s);
      s.once('secureConnect', () => {
        s.off('error', reject);
        s.on('error', () => undefined);
        // Read what the server sends (its SETTINGS): a paused socket never sees the FIN.
        s.resume();
        resolve(s);
      });
      s.once('error', reject);
    });
  }

  it('closes raw TCP connections that never start the TLS handshake, serving others meanwhile', async () => {
    const idle = Array.from({ length: N }, rawTcp);
    await Promise.all(idle.map((s) => new Promise((r) => s.once('connect', r))));
    const closed = allClosed(idle, 10_000);
    const api = client();
    const r = await api.get('/readyz');
    assert.equal(r.status, 200, r.text);
    const kubectl = new Kubectl(cp.kubeconfigPath);
    try {
      const k = await kubectl.run(['get', 'namespaces', '-o', 'name']);
      assert.equal(k.code, 0, k.stderr);
      assert.match(k.stdout, /namespace\/default/);
    } finally {
      kubectl.cleanup();
    }
    const ms = await closed;
    assert.ok(ms >= TIMEOUTS.handshakeTimeoutMs - 400, `closed after ${ms} ms, before the handshake deadline`);
  });

  it('closes TLS connections that never send the HTTP/2 preface or an HTTP/1.1 request', async () => {
    const h2 = await Promise.all(Array.from({ length: N / 2 }, () => tlsNoRequest('h2')));
    const h1 = await Promise.all(Array.from({ length: N / 2 }, () => tlsNoRequest('http/1.1')));
    // Half a request line and headers that never end (slowloris).
    const slow = await tlsNoRequest('http/1.1');
    slow.write('GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const closed = allClosed([...h2, ...h1, slow], 10_000);
    const r = await client().get('/api/v1/namespaces/default');
    assert.equal(r.status, 200, r.text);
    await closed;
  });

  it('closes an HTTP/1.1 keep-alive connection once it has been idle', async () => {
    const pki = join(dataDir, 'pki');
    const s = tlsConnect({
      host: '127.0.0.1',
      port,
      ca,
      servername: 'localhost',
      ALPNProtocols: ['http/1.1'],
      cert: readFileSync(join(pki, 'admin.crt')),
      key: readFileSync(join(pki, 'admin.key')),
    });
    sockets.push(s);
    s.on('error', () => undefined);
    let text = '';
    s.setEncoding('utf8');
    s.on('data', (c: string) => (text += c));
    await new Promise((r) => s.once('secureConnect', r));
    // Well before node's own HTTP/1.1 keepAliveTimeout (5 s) would close it.
    const closed = allClosed([s], 4_000);
    // Two requests on one connection: the deadline between them is the idle one, not the
    // (shorter) first-request one, and the connection stays usable until it passes.
    for (const path of ['/readyz', '/livez']) {
      const seen = text.length;
      s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      const deadline = Date.now() + 10_000;
      while (!/\r\n0\r\n\r\n$/.test(text.slice(seen))) {
        assert.ok(Date.now() < deadline, `no answer to ${path}: ${JSON.stringify(text)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.match(text.slice(seen), /^HTTP\/1\.1 200 /);
    }
    await closed;
  });

  it('closes idle HTTP/2 sessions, but not one with a watch open', async () => {
    const watcher = client();
    const events: string[] = [];
    const watch = watcher.session.request({ ':path': '/api/v1/namespaces/default/configmaps?watch=true', accept: 'application/json' });
    watch.setEncoding('utf8');
    let buf = '';
    watch.on('data', (c: string) => {
      buf += c;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buf.slice(0, i)).object.metadata.name);
        buf = buf.slice(i + 1);
      }
    });
    watch.on('error', () => undefined);
    await new Promise((r) => watch.once('response', r));

    const idle = client();
    assert.equal((await idle.get('/readyz')).status, 200);
    // The idle session goes (GOAWAY, then close) once the idle deadline passes…
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('idle HTTP/2 session was never closed')), 10_000);
      idle.session.once('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
    // …while the watch, opened before it, is still open and still delivers.
    assert.equal(watcher.session.closed, false);
    const writer = client();
    assert.equal((await writer.post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'after-idle' } })).status, 201);
    const deadline = Date.now() + 10_000;
    while (!events.includes('after-idle')) {
      assert.ok(Date.now() < deadline, `watch saw ${JSON.stringify(events)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    watch.close();
  });
});
