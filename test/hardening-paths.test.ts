// Dot segments and unknown subresource paths: the request path is never normalized, so
// `configmaps/%2e%2e` cannot reach the Namespace above it. Names that are not safe path
// segments get upstream's answer from its storage key functions (400, "Name parameter
// invalid"); extra segments after a subresource that takes none are a 404; the proxy
// subresources keep their {path}.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startTestServer, type TestServer } from './helpers/apiserver.js';
import { ApiClient, type ApiResponse } from './helpers/http.js';

function curl(ts: TestServer, method: string, path: string): Promise<{ status: number; body: any }> {
  const pki = join(ts.dataDir, 'pki');
  return new Promise((resolve, reject) => {
    execFile(
      'curl',
      ['-sS', '--path-as-is', '-X', method, '--cacert', join(pki, 'ca.crt'), '--cert', join(pki, 'admin.crt'), '--key', join(pki, 'admin.key'),
        '-w', '\n%{http_code}', ts.cp.url + path],
      { timeout: 30_000 },
      (err, stdout) => {
        if (err) return reject(err);
        const nl = stdout.lastIndexOf('\n');
        resolve({ status: Number(stdout.slice(nl + 1)), body: JSON.parse(stdout.slice(0, nl)) });
      },
    );
  });
}

function assertInvalidName(r: { status: number; body: any }, name: string, why: string): void {
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.kind, 'Status');
  assert.equal(r.body.status, 'Failure');
  assert.equal(r.body.reason, 'BadRequest');
  assert.equal(r.body.code, 400);
  assert.equal(r.body.message, `Name parameter invalid: ${JSON.stringify(name)}: ${why}`);
}

function assertNotFound(r: ApiResponse): void {
  assert.equal(r.status, 404, r.text);
  assert.equal(r.body.kind, 'Status');
  assert.equal(r.body.reason, 'NotFound');
}

describe('request paths are never normalized', () => {
  let ts: TestServer;
  let api: ApiClient;
  before(async () => {
    ts = await startTestServer();
    api = new ApiClient(ts.cp.url, ts.dataDir);
  });
  after(async () => {
    api?.close();
    await ts?.stop();
  });

  it('DELETE configmaps/%2e%2e is a 400 and leaves the Namespace alone', async () => {
    assert.equal((await api.post('/api/v1/namespaces', { metadata: { name: 'victim' } })).status, 201);
    assertInvalidName(await api.delete('/api/v1/namespaces/victim/configmaps/%2e%2e'), '..', `may not be '..'`);
    assertInvalidName(await curl(ts, 'DELETE', '/api/v1/namespaces/victim/configmaps/%2e%2e'), '..', `may not be '..'`);
    assertInvalidName(await curl(ts, 'DELETE', '/api/v1/namespaces/victim/configmaps/..'), '..', `may not be '..'`);
    const ns = await api.get('/api/v1/namespaces/victim');
    assert.equal(ns.status, 200);
    assert.equal(ns.body.status.phase, 'Active');
    assert.equal(ns.body.metadata.deletionTimestamp, undefined);
  });

  it('GET services/.. and services/. are 400s, not the Namespace', async () => {
    assertInvalidName(await curl(ts, 'GET', '/api/v1/namespaces/default/services/..'), '..', `may not be '..'`);
    assertInvalidName(await api.get('/api/v1/namespaces/default/services/%2E%2e'), '..', `may not be '..'`);
    assertInvalidName(await api.get('/api/v1/namespaces/default/services/.'), '.', `may not be '.'`);
    assertInvalidName(await api.get('/api/v1/namespaces/..'), '..', `may not be '..'`);
    assertInvalidName(await api.put('/api/v1/namespaces/default/configmaps/..', { metadata: { name: '..' } }), '..', `may not be '..'`);
  });

  it("names with '%' are 400s; an escaped '/' splits the path as in Go (404)", async () => {
    assertInvalidName(await api.get('/api/v1/namespaces/default/configmaps/a%25b'), 'a%b', `may not contain '%'`);
    // Go decodes the path before splitting it: configmaps/a%2Fb is name "a", subresource "b".
    assertNotFound(await api.get('/api/v1/namespaces/default/configmaps/a%2Fb'));
  });

  it('extra segments after a subresource are a 404; the subresource itself still works', async () => {
    assertNotFound(await api.get('/api/v1/namespaces/default/services/kubernetes/status/extra'));
    assertNotFound(await api.get('/api/v1/namespaces/default/services/kubernetes/status/..'));
    assertNotFound(await api.get('/api/v1/namespaces/victim/status/extra'));
    const ok = await api.get('/api/v1/namespaces/default/services/kubernetes/status');
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.metadata.name, 'kubernetes');
  });

  it('services/{name}/proxy/{path} and pods/{name}/proxy/{path} still take a path', async () => {
    // No node agent runs here, so the proxy cannot connect; what matters is that the route is
    // the proxy's (its own errors), not a 404 for the extra segments.
    const svc = await api.get('/api/v1/namespaces/default/services/kubernetes/proxy/a/../b');
    assert.notEqual(svc.status, 404, svc.text);
    assert.equal(svc.body.kind, 'Status');
    assert.match(svc.body.message, /kubernetes|endpoints|reach|node|not running|not served/i);
    assert.equal(
      (await api.post('/api/v1/namespaces/default/pods', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'pause' }] } })).status,
      201,
    );
    const pod = await api.get('/api/v1/namespaces/default/pods/p/proxy/x/y');
    assert.notEqual(pod.status, 404, pod.text);
    assert.equal(pod.body.kind, 'Status');
    assert.equal((await api.get('/readyz')).status, 200);
  });
});
