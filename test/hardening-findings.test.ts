// What the API-server fuzzer (bench/fuzz, docs/fuzzing.md) found after the first hardening pass,
// each pinned by the request that showed it: warning texts that Node refused as header values
// (the request threw past its handler on HTTP/1.1), the immortal namespaces being deletable, and
// damaged protobuf bodies answered with 500.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTestServer, type TestServer } from './helpers/apiserver.js';

const CM = '/api/v1/namespaces/default/configmaps';

/** One HTTP/1.1 request with the admin certificate; resolves with the status and raw headers. */
function http1(s: TestServer, method: string, path: string, body: string, contentType: string) {
  const pki = join(s.dataDir, 'pki');
  const u = new URL(s.cp.url);
  return new Promise<{ status: number; rawHeaders: string[]; text: string }>((resolve, reject) => {
    const req = httpsRequest(
      {
        host: u.hostname,
        port: u.port,
        method,
        path,
        ca: readFileSync(join(pki, 'ca.crt')),
        cert: readFileSync(join(pki, 'admin.crt')),
        key: readFileSync(join(pki, 'admin.key')),
        headers: { 'content-type': contentType, accept: 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends raw HTTP/1.1 bytes over TLS with the admin certificate; resolves with all it got back. */
function rawTLS(s: TestServer, bytes: string): Promise<string> {
  const pki = join(s.dataDir, 'pki');
  const u = new URL(s.cp.url);
  return new Promise((resolve, reject) => {
    const sock = tlsConnect({
      host: u.hostname,
      port: Number(u.port),
      ca: readFileSync(join(pki, 'ca.crt')),
      cert: readFileSync(join(pki, 'admin.crt')),
      key: readFileSync(join(pki, 'admin.key')),
      ALPNProtocols: ['http/1.1'],
      servername: 'localhost',
    });
    let out = '';
    sock.setTimeout(10_000, () => sock.destroy(new Error('no answer within 10 s')));
    sock.on('secureConnect', () => sock.write(bytes));
    sock.on('data', (c: Buffer) => (out += c.toString('utf8')));
    sock.on('error', reject);
    sock.on('close', () => resolve(out));
  });
}

describe('fuzzer findings', () => {
  const t = useTestServer();

  describe('warning texts that quote user input', () => {
    // An unknown field named with characters beyond Latin-1: the warning quotes the name, and
    // Node refused such a header value (ERR_INVALID_CHAR) after the object was written.
    const field = 'schlüssel→\u0007x';
    const body = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"NAME"},${JSON.stringify(field)}:1}`;

    it('reach kubectl (HTTP/2) as the UTF-8 text it sent', async () => {
      const manifest = t.s.kubectl.writeManifest('unicode.json', body.replace('NAME', 'warn-h2'));
      const r = await t.s.kubectl.run(['create', '--validate=warn', '-f', manifest]);
      assert.equal(r.code, 0, r.stderr);
      // The field path is quoted with its control character escaped; the rest arrives as UTF-8.
      assert.match(r.stderr, /Warning: unknown field "schlüssel→\\u0007x"/);
      assert.equal(await t.s.kubectl.ok(['get', 'cm', 'warn-h2', '-o', 'name']), 'configmap/warn-h2\n');
    });

    it('are sent on HTTP/1.1 too, and the object is created once', async () => {
      const r = await http1(t.s, 'POST', `${CM}?fieldValidation=Warn`, body.replace('NAME', 'warn-h1'), 'application/json');
      assert.equal(r.status, 201, r.text);
      const warnings = r.rawHeaders.filter((_, i) => i % 2 === 0 && r.rawHeaders[i]!.toLowerCase() === 'warning').length;
      assert.equal(warnings, 1);
      const idx = r.rawHeaders.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === 'warning');
      // Node hands raw header bytes over as latin1: decode them back as UTF-8.
      const value = Buffer.from(r.rawHeaders[idx + 1]!, 'latin1').toString('utf8');
      assert.equal(value, '299 - "unknown field \\"schlüssel→\\\\u0007x\\""');
      const again = await t.api.get(`${CM}/warn-h1`);
      assert.equal(again.status, 200);
    });
  });

  describe('HTTP/1.1 CONNECT', () => {
    // Node hands CONNECT to a tunnel listener and, without one, closes the connection unanswered.
    it('is answered like any other method, then the connection closes', async () => {
      const out = await rawTLS(t.s, 'CONNECT /api/v1/namespaces/default/endpoints/kubernetes HTTP/1.1\r\nHost: x\r\n\r\n');
      assert.match(out, /^HTTP\/1\.1 405 /);
      assert.match(out, /"message":"connect is not supported on resources of kind \\"endpoints\\""/);
      const exec = await rawTLS(t.s, 'CONNECT /api/v1/namespaces/default/pods/x/exec?command=ls HTTP/1.1\r\nHost: x\r\n\r\n');
      assert.match(exec, /^HTTP\/1\.1 400 /);
      assert.match(exec, /Upgrade request required/);
    });
  });

  it('ends a watch with a negative timeoutSeconds at once, as the expired timer upstream', async () => {
    const r = await t.api.get('/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=-1');
    assert.equal(r.status, 200);
  });

  it('refuses a watch timeoutSeconds that is not an integer, as the query conversion does', async () => {
    const r = await t.api.get('/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=abc&timeoutSeconds=1');
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.message, 'strconv.ParseInt: parsing "abc": invalid syntax');
  });

  it('answers an apiVersion that is not a string with 400, even one with a toString member', async () => {
    const body = 'apiVersion:\n  toString: 0.5\nkind: ServiceAccount\nmetadata:\n  name: sa\n';
    const r = await t.api.request('POST', '/api/v1/namespaces/default/serviceaccounts', body, { 'content-type': 'application/yaml' });
    assert.equal(r.status, 400, r.text);
    assert.match(r.body.message, /^the object provided is unrecognized \(must be of type ServiceAccount\): couldn't get version\/kind; json parse error: json: cannot unmarshal object into Go struct field \.apiVersion of type string/);
    assert.equal((await t.api.get('/readyz')).status, 200);
  });

  describe('the immortal namespaces', () => {
    for (const ns of ['default', 'kube-system', 'kube-public']) {
      it(`refuses to delete ${ns} with NamespaceLifecycle's 403`, async () => {
        const r = await t.s.kubectl.run(['delete', 'namespace', ns]);
        assert.notEqual(r.code, 0);
        assert.equal(r.stderr.trim(), `Error from server (Forbidden): namespaces "${ns}" is forbidden: this namespace may not be deleted`);
        const after = await t.api.get(`/api/v1/namespaces/${ns}`);
        assert.equal(after.status, 200);
        assert.equal(after.body.metadata.deletionTimestamp, undefined);
        assert.equal(after.body.status.phase, 'Active');
      });
    }

    it('still deletes other namespaces', async () => {
      await t.s.kubectl.ok(['create', 'namespace', 'mortal']);
      const out = await t.s.kubectl.ok(['delete', 'namespace', 'mortal', '--wait=false']);
      assert.equal(out, 'namespace "mortal" deleted\n');
    });
  });

  describe('damaged protobuf bodies', () => {
    // k8s\0 + runtime.Unknown{typeMeta{v1, ConfigMap}, raw: a length that runs past the end}.
    const envelope = Buffer.from([
      0x6b, 0x38, 0x73, 0x00, // magic
      0x0a, 0x0f, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x09, ...Buffer.from('ConfigMap'), // typeMeta
      0x12, 0x04, 0x0a, 0x7f, 0x0a, 0x01, // raw: ObjectMeta claims 127 bytes, 2 follow
    ]);
    const truncatedEnvelope = envelope.subarray(0, 12);

    for (const [name, body] of [
      ['a lying length inside the object', envelope],
      ['an envelope cut short', truncatedEnvelope],
    ] as const) {
      it(`answers ${name} with 400`, async () => {
        const r = await t.api.request('POST', CM, body, { 'content-type': 'application/vnd.kubernetes.protobuf' });
        assert.equal(r.status, 400, r.text);
        assert.equal(r.body.kind, 'Status');
        assert.equal(r.body.reason, 'BadRequest');
        assert.match(r.body.message, /^unable to decode protobuf body: /);
        assert.equal((await t.api.get('/readyz')).status, 200);
      });
    }
  });
});
