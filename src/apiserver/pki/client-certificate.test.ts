// End-to-end: a real HTTP/2 + HTTP/1.1 TLS server configured as the API server will be,
// driven by curl and the machine's kubectl.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http2 from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { findOnPath } from '../../../test/helpers/tools.js';
import { authenticateClientCertificate, ensurePKI, issueClientCertificate, writeKubeconfig } from './index.js';
import type { PKI, UserInfo } from './index.js';

interface SeenRequest {
  readonly url: string;
  readonly httpVersion: string;
  readonly userAgent: string;
  readonly auth: UserInfo | undefined;
}

const versionInfo = { major: '1', minor: '32', gitVersion: 'v1.32.4', platform: 'linux/amd64' };

interface TestServer {
  readonly url: string;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

async function startServer(pki: PKI): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = http2.createSecureServer(
    {
      allowHTTP1: true,
      requestCert: true,
      rejectUnauthorized: false,
      ca: [pki.ca.certPem],
      cert: pki.apiserver.certPem,
      key: pki.apiserver.keyPem,
    },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const auth = authenticateClientCertificate(socket);
      seen.push({ url: req.url, httpVersion: req.httpVersion, userAgent: String(req.headers['user-agent'] ?? ''), auth });
      res.setHeader('content-type', 'application/json');
      // kubectl's dispatcher asks /version?timeout=5s, the real kubectl /version?timeout=32s.
      if (req.url.split('?')[0] === '/version') {
        res.end(JSON.stringify(versionInfo));
        return;
      }
      res.statusCode = auth === undefined ? 401 : 200;
      const authorizationError = socket.authorizationError === null ? null : String(socket.authorizationError);
      res.end(JSON.stringify({ ...(auth ?? { user: null }), httpVersion: req.httpVersion, authorizationError }));
    },
  );
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Clients such as kubectl may leave idle keep-alive connections behind.
        for (const s of sockets) s.destroy();
      }),
  };
}

interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

// Asynchronous on purpose: the server lives in this process, so a synchronous spawn would deadlock.
function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

const onPath = (cmd: string): boolean => findOnPath(cmd) !== undefined;

interface CurlResult {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function curl(url: string, args: readonly string[]): Promise<CurlResult> {
  const r = await run('curl', ['-sS', '--max-time', '20', '-w', '\n%{http_code}', ...args, url]);
  assert.equal(r.code, 0, `curl failed: ${r.stderr}`);
  const nl = r.stdout.lastIndexOf('\n');
  return { status: Number(r.stdout.slice(nl + 1)), body: JSON.parse(r.stdout.slice(0, nl)) as Record<string, unknown> };
}

describe('client certificate authentication over TLS', { skip: !onPath('curl') && 'curl is not installed' }, () => {
  let root: string;
  let pki: PKI;
  let other: PKI;
  let server: TestServer | undefined;
  const file = (p: PKI, name: string): string => join(p.dir, name);

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'svcnet-authn-'));
    pki = await ensurePKI(join(root, 'cluster'));
    other = await ensurePKI(join(root, 'other-cluster'));
    server = await startServer(pki);
  });
  after(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  const adminArgs = (): string[] => ['--cacert', file(pki, 'ca.crt'), '--cert', file(pki, 'admin.crt'), '--key', file(pki, 'admin.key')];

  it('authenticates kubernetes-admin over HTTP/2', async () => {
    const r = await curl(server!.url + '/', ['--http2', ...adminArgs()]);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { user: 'kubernetes-admin', groups: ['system:masters'], httpVersion: '2.0', authorizationError: null });
  });

  it('authenticates kubernetes-admin over HTTP/1.1', async () => {
    const r = await curl(server!.url + '/', ['--http1.1', ...adminArgs()]);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { user: 'kubernetes-admin', groups: ['system:masters'], httpVersion: '1.1', authorizationError: null });
  });

  // Refusals (no certificate, another CA, serverAuth only) are tested against the real API
  // server with openssl-made certificates in test/authn.test.ts.

  it('authenticates an issued node certificate with its groups', async () => {
    const node = await issueClientCertificate(pki, { commonName: 'system:node:node-1', organizations: ['system:nodes', 'team:net'] });
    const certPath = join(root, 'node.crt');
    const keyPath = join(root, 'node.key');
    await writeFile(certPath, node.certPem);
    await writeFile(keyPath, node.keyPem, { mode: 0o600 });
    const r = await curl(server!.url + '/', ['--http2', '--cacert', file(pki, 'ca.crt'), '--cert', certPath, '--key', keyPath]);
    assert.equal(r.status, 200);
    assert.equal(r.body.user, 'system:node:node-1');
    assert.deepEqual(r.body.groups, ['system:nodes', 'team:net']);
  });

  describe('with the real kubectl', { skip: !onPath('kubectl') && 'kubectl is not installed' }, () => {
    // A private HOME and cache so kubectl neither reads nor writes the user's ~/.kube.
    const kubectlEnv = (): NodeJS.ProcessEnv => {
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: root };
      delete env.KUBECONFIG;
      return env;
    };

    it('talks to the server with the written kubeconfig', async () => {
      const kubeconfig = join(root, 'admin.conf');
      await writeKubeconfig(kubeconfig, {
        server: server!.url,
        caPem: pki.ca.certPem,
        clientCertPem: pki.admin.certPem,
        clientKeyPem: pki.admin.keyPem,
      });
      const before = server!.seen.length;
      const r = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(root, 'cache'), 'version', '-o', 'json'], kubectlEnv());
      assert.equal(r.code, 0, `kubectl failed: ${r.stderr}`);
      const out = JSON.parse(r.stdout) as { serverVersion?: Record<string, string> };
      assert.equal(out.serverVersion?.gitVersion, 'v1.32.4');
      assert.equal(out.serverVersion?.minor, '32');
      assert.equal(out.serverVersion?.platform, 'linux/amd64');
      // kubectl itself (not only the dispatcher) presented the admin certificate.
      const fromKubectl = server!.seen.slice(before).filter((s) => s.userAgent.startsWith('kubectl/'));
      assert.ok(fromKubectl.length > 0, 'kubectl reached the server');
      for (const s of fromKubectl) assert.deepEqual(s.auth, { user: 'kubernetes-admin', groups: ['system:masters'] });
    });

    it('fails with a TLS error when the kubeconfig trusts another CA', async () => {
      const kubeconfig = join(root, 'wrong-ca.conf');
      await writeKubeconfig(kubeconfig, {
        server: server!.url,
        caPem: other.ca.certPem,
        clientCertPem: other.admin.certPem,
        clientKeyPem: other.admin.keyPem,
      });
      const before = server!.seen.length;
      const r = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(root, 'cache-wrong'), 'version', '-o', 'json'], kubectlEnv());
      assert.notEqual(r.code, 0, `kubectl unexpectedly succeeded: ${r.stdout}`);
      assert.match(r.stderr, /x509: certificate signed by unknown authority|tls: failed to verify certificate/);
      assert.equal(server!.seen.length, before, 'no request got through');
    });
  });
});
