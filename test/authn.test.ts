// Client-certificate authentication on the real API server, with certificates made by openssl
// (not by svcnet's own PKI code): a client certificate from another CA, a certificate of the
// cluster CA that is only for serverAuth, and no certificate at all. Each is refused with
// kube-apiserver's 401 Status — filters.Unauthorized writes apierrors.NewUnauthorized("Unauthorized")
// (k8s.io/apiserver/pkg/endpoints/filters/authentication.go) — on a plain GET, a watch and the
// exec upgrades (SPDY and WebSocket), and the server keeps answering the admin afterwards.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { startTestServer, type TestServer } from './helpers/apiserver.js';
import { ApiClient } from './helpers/http.js';

const UNAUTHORIZED = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };

function openssl(args: readonly string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { cwd, timeout: 30_000 }, (err, _stdout, stderr) =>
      err ? reject(new Error(`openssl ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(),
    );
  });
}

/** A P-256 key and a certificate for kubernetes-admin (system:masters) signed by `ca`, with `eku`. */
async function signedCert(dir: string, name: string, ca: { cert: string; key: string }, eku: string): Promise<{ cert: string; key: string }> {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.crt`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=${eku}\n`);
  await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', csr, '-subj', '/O=system:masters/CN=kubernetes-admin'], dir);
  await openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', '0x' + Date.now().toString(16), '-days', '1', '-extfile', ext, '-out', cert], dir);
  return { cert, key };
}

interface RawResponse {
  readonly statusLine: string;
  readonly headers: string;
  readonly body: string;
}

/** An HTTP/1.1 upgrade request as kubectl exec sends it, over TLS with the given client certificate. */
function upgrade(port: number, ca: string, client: { cert: string; key: string } | undefined, path: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: '127.0.0.1',
      port,
      ca: readFileSync(ca),
      servername: 'localhost',
      ALPNProtocols: ['http/1.1'],
      ...(client ? { cert: readFileSync(client.cert), key: readFileSync(client.key) } : {}),
    });
    const timer = setTimeout(() => socket.destroy(new Error('no response to the upgrade request within 10 s')), 10_000);
    let data = '';
    socket.setEncoding('utf8');
    socket.on('secureConnect', () => {
      const lines = [`GET ${path} HTTP/1.1`, 'Host: localhost', 'Connection: Upgrade', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      socket.write(lines.join('\r\n') + '\r\n\r\n');
    });
    socket.on('data', (c: string) => (data += c));
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const headEnd = data.indexOf('\r\n\r\n');
      if (headEnd < 0) return reject(new Error(`incomplete response: ${JSON.stringify(data)}`));
      const head = data.slice(0, headEnd);
      const nl = head.indexOf('\r\n');
      resolve({ statusLine: nl < 0 ? head : head.slice(0, nl), headers: nl < 0 ? '' : head.slice(nl + 2), body: data.slice(headEnd + 4) });
    });
  });
}

const EXEC = '/api/v1/namespaces/default/pods/web/exec?command=true&stdout=true&stderr=true';

describe('client certificate authentication (real server, openssl certificates)', () => {
  let s: TestServer;
  let admin: ApiClient;
  let scratch: string;
  const creds = new Map<string, { cert: string; key: string } | undefined>();

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'svcnet-authn-'));
    s = await startTestServer();
    admin = new ApiClient(s.cp.url, s.dataDir);
    const otherCA = { cert: join(scratch, 'other-ca.crt'), key: join(scratch, 'other-ca.key') };
    await openssl(
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', otherCA.key, '-out', otherCA.cert,
        '-subj', '/CN=another-ca', '-days', '1', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'],
      scratch,
    );
    creds.set('a client certificate of another CA', await signedCert(scratch, 'other-client', otherCA, 'clientAuth'));
    const realCA = { cert: join(s.dataDir, 'pki', 'ca.crt'), key: join(s.dataDir, 'pki', 'ca.key') };
    creds.set('a serverAuth-only certificate of the cluster CA', await signedCert(scratch, 'server-only', realCA, 'serverAuth'));
    creds.set('no client certificate', undefined);
  });
  after(async () => {
    admin?.close();
    await s?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const clientFor = (cred: { cert: string; key: string } | undefined) =>
    new ApiClient(s.cp.url, s.dataDir, cred ? { clientCert: cred } : { anonymous: true });

  const adminStillServed = async () => {
    const r = await admin.get('/api/v1/namespaces/default');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.metadata.name, 'default');
  };

  for (const name of ['a client certificate of another CA', 'a serverAuth-only certificate of the cluster CA', 'no client certificate']) {
    describe(name, () => {
      it('gets the 401 Status on a GET', async () => {
        const c = clientFor(creds.get(name));
        try {
          const r = await c.get('/api/v1/namespaces');
          assert.equal(r.status, 401);
          assert.equal(r.headers['content-type'], 'application/json');
          assert.deepEqual(r.body, UNAUTHORIZED);
          // The refused connection stays usable (for the public paths) and the server answers.
          assert.equal((await c.get('/healthz')).text, 'ok');
        } finally {
          c.close();
        }
        await adminStillServed();
      });

      it('gets the 401 Status on a watch', async () => {
        const c = clientFor(creds.get(name));
        try {
          const r = await c.get('/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=5');
          assert.equal(r.status, 401);
          assert.deepEqual(r.body, UNAUTHORIZED);
        } finally {
          c.close();
        }
        await adminStillServed();
      });

      for (const [protocol, headers] of [
        ['SPDY', { Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' }],
        ['WebSocket', { Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' }],
      ] as const) {
        it(`gets the 401 Status on an exec ${protocol} upgrade`, async () => {
          const r = await upgrade(Number(new URL(s.cp.url).port), join(s.dataDir, 'pki', 'ca.crt'), creds.get(name), EXEC, headers);
          assert.equal(r.statusLine, 'HTTP/1.1 401 Unauthorized');
          assert.match(r.headers, /^content-type: application\/json$/im);
          assert.deepEqual(JSON.parse(r.body), UNAUTHORIZED);
          await adminStillServed();
        });
      }
    });
  }

  it('accepts a clientAuth certificate of the cluster CA made the same way (the refusals are about the certificate)', async () => {
    const realCA = { cert: join(s.dataDir, 'pki', 'ca.crt'), key: join(s.dataDir, 'pki', 'ca.key') };
    const c = clientFor(await signedCert(scratch, 'good-client', realCA, 'clientAuth'));
    try {
      const r = await c.get('/api/v1/namespaces');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.kind, 'NamespaceList');
    } finally {
      c.close();
    }
  });
});
