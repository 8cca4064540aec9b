// End to end: the real server and the real kubectl binaries. kubectl 1.27 downloads /openapi/v2 for
// every validated apply and aborts without it; 1.28+ may use it for patches once it exists.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request, createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';
import { startTestServer, type TestServer } from '../../../test/helpers/apiserver.js';
import { Kubectl, kubectlBinary } from '../../../test/helpers/kubectl.js';
import { GNOSTIC_OPENAPI_V2 } from './descriptor-data.js';

const PB = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
let s: TestServer;
let noV3: { server: Server; kubeconfig: string };

/** GET over the server's unix socket (plain HTTP, trusted), to look at raw responses. */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: s.cp.socketPath, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A plain-HTTP front for the server's socket that answers 404 for /openapi/v3, like a server
 * without OpenAPI v3: then kubectl must take the fieldValidation answer (and any patch schema)
 * from /openapi/v2 alone.
 */
async function startNoV3Proxy(): Promise<{ server: Server; kubeconfig: string }> {
  const server = createServer((req, res) => {
    if (req.url!.startsWith('/openapi/v3')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404 }));
      return;
    }
    const up = request({ socketPath: s.cp.socketPath, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode!, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const kubeconfig = join(s.dataDir, 'no-v3.kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`,
  );
  return { server, kubeconfig };
}

before(async () => {
  s = await startTestServer();
  noV3 = await startNoV3Proxy();
});
after(async () => {
  await new Promise((r) => noV3.server.close(r));
  await s.stop();
});

test('GET /openapi/v2 answers gnostic protobuf to client-go and JSON to JSON clients', async () => {
  const pb = await get('/openapi/v2', { accept: PB });
  assert.equal(pb.status, 200);
  // kube-openapi answers the deprecated "@v1.0" request with the current media type name.
  assert.equal(pb.headers['content-type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
  const Document = protobuf.Root.fromJSON(GNOSTIC_OPENAPI_V2 as protobuf.INamespace).lookupType('openapi.v2.Document');
  const doc = Document.toObject(Document.decode(pb.body)) as { swagger: string; paths: { path: { name: string }[] } };
  assert.equal(doc.swagger, '2.0');
  assert.ok(doc.paths.path.some((p) => p.name === '/apis/apps/v1/namespaces/{namespace}/deployments/{name}'));

  const json = await get('/openapi/v2', { accept: 'application/json' });
  assert.equal(json.headers['content-type'], 'application/json');
  const parsed = JSON.parse(json.body.toString()) as { swagger: string; paths: Record<string, unknown> };
  assert.deepEqual(Object.keys(parsed.paths), doc.paths.path.map((p) => p.name));

  assert.equal((await get('/openapi/v2', { accept: 'text/html' })).status, 406);
  const legacy = await get('/swagger-2.0.0.pb-v1');
  assert.equal(legacy.status, 200);
  assert.deepEqual(legacy.body, pb.body);
  const notModified = await get('/openapi/v2', { accept: PB, 'if-none-match': String(pb.headers['etag']) });
  assert.equal(notModified.status, 304);
  assert.equal(notModified.body.length, 0);
});

const manifest = (opts: { port: number; image: string; replicas: number; name?: string }) => `apiVersion: v1
kind: Service
metadata:
  name: ${opts.name ?? 'web'}
spec:
  selector: {app: ${opts.name ?? 'web'}}
  ports:
  - port: ${opts.port}
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${opts.name ?? 'web'}
spec:
  replicas: ${opts.replicas}
  selector:
    matchLabels: {app: ${opts.name ?? 'web'}}
  template:
    metadata:
      labels: {app: ${opts.name ?? 'web'}}
    spec:
      containers:
      - name: web
        image: ${opts.image}
`;

async function jsonOf(k: Kubectl, args: string[]): Promise<any> {
  return JSON.parse(await k.ok([...args, '-o', 'json']));
}

test('kubectl 1.27 apply: created, unchanged, configured, server-side', async (t) => {
  const bin = kubectlBinary('1.27');
  if (!bin) return t.skip('kubectl.1.27 not installed');
  const k = new Kubectl(s.cp.kubeconfigPath, bin);
  try {
    const file = k.writeManifest('web.yaml', manifest({ port: 80, image: 'nginx:1.25', replicas: 1 }));
    const first = await k.run(['apply', '-f', file, '-v=6']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^service\/web created\ndeployment\.apps\/web created\n$/);
    // The server was trusted with validation: kubectl found fieldValidation in the OpenAPI.
    assert.match(first.stderr, /GET https:\/\/[^ ]+\/openapi\/v2\?timeout=\S+ 200 OK/);
    assert.match(first.stderr, /POST \S+\/services\?fieldManager=kubectl-client-side-apply&fieldValidation=Strict 201/);

    assert.equal(await k.ok(['apply', '-f', file]), 'service/web unchanged\ndeployment.apps/web unchanged\n');

    writeFileSync(file, manifest({ port: 81, image: 'nginx:1.27', replicas: 2 }));
    const edited = await k.run(['apply', '-f', file]);
    assert.equal(edited.code, 0, edited.stderr);
    assert.equal(edited.stdout, 'service/web configured\ndeployment.apps/web configured\n');
    assert.doesNotMatch(edited.stderr, /error calculating patch/);
    const svc = await jsonOf(k, ['get', 'service', 'web']);
    assert.deepEqual(svc.spec.ports.map((p: { port: number }) => p.port), [81]);
    const deploy = await jsonOf(k, ['get', 'deployment', 'web']);
    assert.equal(deploy.spec.replicas, 2);
    assert.deepEqual(deploy.spec.template.spec.containers.map((c: { name: string; image: string }) => `${c.name}=${c.image}`), ['web=nginx:1.27']);

    const ssaFile = k.writeManifest('ssa.yaml', manifest({ port: 82, image: 'nginx:1.27', replicas: 1, name: 'ssa' }));
    const ssa = await k.run(['apply', '--server-side', '-f', ssaFile]);
    assert.equal(ssa.code, 0, ssa.stderr);
    assert.equal(ssa.stdout, 'service/ssa serverside-applied\ndeployment.apps/ssa serverside-applied\n');
  } finally {
    k.cleanup();
  }
});

// kubectl sends fieldValidation=Strict either way; what v2 decides is whether it first validates on the
// client (a no-op without definitions). That decision is checked against cli-runtime's logic in
// openapi-v2.test.ts; here we check that kubectl downloads and accepts v2 when it has nothing else.
test('kubectl 1.27 with no /openapi/v3 works from /openapi/v2 alone', async (t) => {
  const bin = kubectlBinary('1.27');
  if (!bin) return t.skip('kubectl.1.27 not installed');
  const k = new Kubectl(noV3.kubeconfig, bin);
  try {
    const file = k.writeManifest('v2only.yaml', manifest({ port: 80, image: 'nginx:1.25', replicas: 1, name: 'v2only' }));
    const r = await k.run(['apply', '-f', file, '-v=6']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\/openapi\/v3\S* 404/);
    assert.match(r.stderr, /GET \S+\/openapi\/v2\S* 200 OK/);
    // Had v2 described Namespace but not these kinds, kubectl would go looking for a CRD (and fail here).
    assert.doesNotMatch(r.stderr, /customresourcedefinitions/);
    assert.match(r.stderr, /POST \S+\/services\?fieldManager=kubectl-client-side-apply&fieldValidation=Strict 201/);
    assert.match(r.stderr, /POST \S+\/deployments\?fieldManager=kubectl-client-side-apply&fieldValidation=Strict 201/);
  } finally {
    k.cleanup();
  }
});

for (const v of ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33']) {
  for (const mode of ['with v3', 'v2 only'] as const) {
    test(`kubectl ${v} apply (${mode}): changing a Service's ports 80→81 leaves one port 81`, async (t) => {
      const bin = kubectlBinary(v);
      if (!bin) return t.skip(`kubectl.${v} not installed`);
      const k = new Kubectl(mode === 'with v3' ? s.cp.kubeconfigPath : noV3.kubeconfig, bin);
      const name = `p${v.replace('.', '')}${mode === 'with v3' ? '' : '-v2'}`;
      try {
        const file = k.writeManifest('m.yaml', manifest({ port: 80, image: 'nginx:1.25', replicas: 1, name }));
        const created = await k.run(['apply', '-f', file]);
        assert.equal(created.code, 0, created.stderr);
        assert.equal(created.stderr, '');
        writeFileSync(file, manifest({ port: 81, image: 'nginx:1.27', replicas: 1, name }));
        const r = await k.run(['apply', '-f', file]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, `service/${name} configured\ndeployment.apps/${name} configured\n`);
        assert.doesNotMatch(r.stderr, /warning|error/i);
        const svc = await jsonOf(k, ['get', 'service', name]);
        assert.deepEqual(svc.spec.ports.map((p: { port: number; targetPort: number }) => [p.port, p.targetPort]), [[81, 8080]]);
        const deploy = await jsonOf(k, ['get', 'deployment', name]);
        assert.deepEqual(deploy.spec.template.spec.containers.map((c: { image: string }) => c.image), ['nginx:1.27']);
      } finally {
        k.cleanup();
      }
    });
  }
}
