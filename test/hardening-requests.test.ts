// Requests that used to kill the API server before authentication: a path with a percent
// escape that is not UTF-8 (URIError), an absolute-form request line with an out-of-range port
// (TypeError from new URL), malformed escapes, and the same on the exec upgrade path. The server
// runs in a child process so the test can see that it is still alive afterwards.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { ApiClient } from './helpers/http.js';

const BIN = new URL('../../bin/svcnet.js', import.meta.url).pathname;

function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'apiserver', '--data-dir', dataDir, '--port', '0', '--controllers', ''], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (https:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`apiserver exited ${code} before listening: ${out}`)));
  });
}

interface RawAnswer {
  readonly status: number;
  readonly body: any;
  readonly text: string;
}

/** Sends bytes exactly as given over TLS (HTTP/1.1) and reads the answer until the server closes. */
function rawRequest(url: string, dataDir: string, request: string, opts: { credentials?: boolean; reset?: boolean } = {}): Promise<RawAnswer> {
  const u = new URL(url);
  const pki = join(dataDir, 'pki');
  return new Promise((resolve, reject) => {
    const tcp = netConnect({ host: u.hostname, port: Number(u.port) });
    const s = tlsConnect({
      socket: tcp,
      ca: readFileSync(join(pki, 'ca.crt')),
      ...(opts.credentials ? { cert: readFileSync(join(pki, 'admin.crt')), key: readFileSync(join(pki, 'admin.key')) } : {}),
      ALPNProtocols: ['http/1.1'],
      servername: 'localhost',
    });
    let text = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no answer to ${JSON.stringify(request)}; got ${JSON.stringify(text)}`));
    }, 10_000);
    s.on('secureConnect', () => {
      s.write(request);
      if (opts.reset) {
        // Gone before the server can answer: the server's socket sees ECONNRESET.
        tcp.resetAndDestroy();
        clearTimeout(timer);
        resolve({ status: 0, body: undefined, text: '' });
      }
    });
    s.setEncoding('utf8');
    s.on('data', (c: string) => (text += c));
    s.on('error', (e) => {
      clearTimeout(timer);
      if (opts.reset) return;
      reject(e);
    });
    s.on('close', () => {
      clearTimeout(timer);
      if (opts.reset) return;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const head = text.slice(0, text.indexOf('\r\n\r\n'));
      let bodyText = text.slice(head.length + 4);
      if (/^transfer-encoding: chunked$/im.test(head)) bodyText = dechunk(bodyText);
      let body: unknown;
      try {
        body = JSON.parse(bodyText);
      } catch {
        body = undefined;
      }
      resolve({ status, body, text });
    });
  });
}

function dechunk(s: string): string {
  let out = '';
  for (let i = 0; ; ) {
    const nl = s.indexOf('\r\n', i);
    const size = parseInt(s.slice(i, nl), 16);
    if (!size) return out;
    out += s.slice(nl + 2, nl + 2 + size);
    i = nl + 2 + size + 2;
  }
}

function assertStatus(r: RawAnswer, code: number, reason: string): void {
  assert.equal(r.status, code, r.text);
  assert.equal(r.body?.kind, 'Status', r.text);
  assert.equal(r.body?.apiVersion, 'v1');
  assert.equal(r.body?.status, 'Failure');
  assert.equal(r.body?.code, code);
  assert.equal(r.body?.reason, reason);
}

describe('requests that must not crash the API server', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;
  let url: string;
  let client: ApiClient;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'svcnet-hardening-req-'));
    const s = await startServer(dataDir);
    child = s.child;
    url = s.url;
    client = new ApiClient(url, dataDir);
  });
  after(async () => {
    client?.close();
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function assertAlive(): Promise<void> {
    assert.equal(child!.exitCode, null, 'the API server process exited');
    const r = await client.get('/readyz');
    assert.equal(r.status, 200, r.text);
  }

  it('answers a non-UTF-8 percent escape without credentials (401) and with them (404)', async () => {
    const anon = await rawRequest(url, dataDir, 'GET /api/v1/%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assertStatus(anon, 401, 'Unauthorized');
    const authed = await rawRequest(url, dataDir, 'GET /api/v1/%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', { credentials: true });
    assertStatus(authed, 404, 'NotFound');
    // The same over HTTP/2.
    const h2 = await client.get('/api/v1/namespaces/default/configmaps/%ff%fe');
    assert.equal(h2.status, 404, h2.text);
    assert.equal(h2.body.kind, 'Status');
    await assertAlive();
  });

  it('answers a malformed percent escape with a 400 Status (Go: invalid URL escape)', async () => {
    const r = await rawRequest(url, dataDir, 'GET /api/v1/namespaces/%zz/pods HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assertStatus(r, 400, 'BadRequest');
    assert.equal(r.body.message, 'invalid URL escape "%zz"');
    const h2 = await client.get('/api/v1/namespaces/default/configmaps/%');
    assert.equal(h2.status, 400, h2.text);
    assert.equal(h2.body.message, 'invalid URL escape "%"');
    await assertAlive();
  });

  it('routes an absolute-form request line on its path, whatever its port', async () => {
    assertStatus(await rawRequest(url, dataDir, 'GET http://x:99999/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), 401, 'Unauthorized');
    assertStatus(await rawRequest(url, dataDir, 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', { credentials: true }), 400, 'BadRequest');
    const anon = await rawRequest(url, dataDir, 'GET http://x:99999/api/v1/namespaces HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assertStatus(anon, 401, 'Unauthorized');
    const authed = await rawRequest(url, dataDir, 'GET http://x:99999/api/v1/namespaces/default HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', {
      credentials: true,
    });
    assert.equal(authed.status, 200, authed.text);
    assert.equal(authed.body.kind, 'Namespace');
    assert.equal(authed.body.metadata.name, 'default');
    await assertAlive();
  });

  it('answers bad targets on the upgrade (exec) path with a Status, and survives a reset mid-upgrade', async () => {
    const upgrade = (target: string) =>
      `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n`;
    assertStatus(await rawRequest(url, dataDir, upgrade('/api/v1/namespaces/default/pods/%ff/exec?command=x')), 401, 'Unauthorized');
    assertStatus(await rawRequest(url, dataDir, upgrade('http://x:99999/api/v1/namespaces/default/pods/p/exec?command=x')), 401, 'Unauthorized');
    const bad = await rawRequest(url, dataDir, upgrade('/api/v1/namespaces/default/pods/%zz/exec?command=x'), { credentials: true });
    assertStatus(bad, 400, 'BadRequest');
    const dots = await rawRequest(url, dataDir, upgrade('/api/v1/namespaces/default/pods/%2e%2e/exec?command=x&stdout=1'), { credentials: true });
    assertStatus(dots, 400, 'BadRequest');
    assert.equal(dots.body.message, `Name parameter invalid: "..": may not be '..'`);
    const extra = await rawRequest(url, dataDir, upgrade('/api/v1/namespaces/default/pods/p/exec/extra?command=x'), { credentials: true });
    assertStatus(extra, 404, 'NotFound');
    const missing = await rawRequest(url, dataDir, upgrade('/api/v1/namespaces/default/pods/nope/exec?command=x&stdout=1'), { credentials: true });
    assertStatus(missing, 404, 'NotFound');
    for (let i = 0; i < 20; i++) {
      await rawRequest(url, dataDir, upgrade('/api/v1/namespaces/default/pods/nope/exec?command=x&stdout=1'), { credentials: true, reset: true });
    }
    await assertAlive();
  });
});
