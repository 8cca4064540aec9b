// The HTTP/2 transport against a small local TLS server that misbehaves on purpose: it sends
// GOAWAY after every response, so each request must find the old session unusable and dial anew.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createSecureServer, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ensurePKI } from '../apiserver/pki/index.js';
import { isNotFound } from './api-error.js';
import { RestClient } from './rest-client.js';

test('HTTP/2: reconnects after GOAWAY and sends User-Agent and bearer token', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'svcnet-h2-'));
  const pki = await ensurePKI(dir);
  const sessions = new Set<Http2Session>();
  const seen: { ua?: string; auth?: string; path?: string }[] = [];
  const server = createSecureServer({ key: pki.apiserver.keyPem, cert: pki.apiserver.certPem });
  server.on('session', (s) => sessions.add(s));
  server.on('stream', (stream, headers) => {
    seen.push({ ua: headers['user-agent'] as string, auth: headers.authorization as string, path: headers[':path'] as string });
    const missing = headers[':path']!.includes('missing');
    stream.respond({ ':status': missing ? 404 : 200, 'content-type': 'application/json' });
    stream.end(
      missing
        ? JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404, message: 'nope' })
        : JSON.stringify({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x' } }),
    );
    stream.session?.goaway();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(join(dir, 'ca.crt'), pki.ca.certPem);
  // A relative certificate-authority path and a token: both must be honoured.
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:' + port + '", certificate-authority: ca.crt}}]',
      'users: [{name: u, user: {token: s3cret}}]',
      'contexts: [{name: other, context: {cluster: nope, user: u}}, {name: ctx, context: {cluster: c, user: u}}]',
      'current-context: other',
    ].join('\n'),
  );
  const c = RestClient.fromKubeconfig(kubeconfig, 'ctx', { component: 'proxy' });
  try {
    for (let i = 0; i < 3; i++) {
      const cm = await c.get({ group: '', version: 'v1', resource: 'configmaps', namespace: 'ns', name: 'x' });
      assert.equal(cm.metadata.name, 'x');
    }
    await assert.rejects(c.get({ group: '', version: 'v1', resource: 'configmaps', namespace: 'ns', name: 'missing' }), isNotFound);
    assert.equal(seen.length, 4);
    assert.ok(sessions.size >= 4, `expected a new session after each GOAWAY, got ${sessions.size}`);
    for (const s of seen) {
      assert.equal(s.ua, 'svcnet-proxy/v0.1.0');
      assert.equal(s.auth, 'Bearer s3cret');
    }
    assert.equal(seen[0]!.path, '/api/v1/namespaces/ns/configmaps/x');
  } finally {
    c.close();
    for (const s of sessions) s.destroy();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('HTTP/2: a server that is not trusted is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'svcnet-h2-'));
  const pki = await ensurePKI(dir);
  const other = await ensurePKI(join(dir, 'other'));
  const server = createSecureServer({ key: pki.apiserver.keyPem, cert: pki.apiserver.certPem }, (_req, res) => res.end('{}'));
  const sessions = new Set<Http2Session>();
  server.on('session', (s) => sessions.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const c = RestClient.fromConnection({ server: `https://127.0.0.1:${port}`, ca: Buffer.from(other.ca.certPem), insecureSkipTLSVerify: false });
  const insecure = RestClient.fromConnection({ server: `https://127.0.0.1:${port}`, insecureSkipTLSVerify: true });
  try {
    await assert.rejects(c.raw('GET', '/version'), /certificate/i);
    assert.equal((await insecure.raw('GET', '/version')).status, 200);
  } finally {
    c.close();
    insecure.close();
    for (const s of sessions) s.destroy();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
});
