// API machinery as kube-apiserver has it, seen on the wire: authentication, optimistic
// concurrency, generateName, finalizers, graceful deletion, status subresources, dry run,
// field validation, size limits, discovery and health.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './helpers/apiserver.js';
import { ApiClient } from './helpers/http.js';

const CM = '/api/v1/namespaces/default/configmaps';

describe('API machinery', () => {
  let s: TestServer;
  let api: ApiClient;
  before(async () => {
    s = await startTestServer();
    api = new ApiClient(s.cp.url, s.dataDir);
  });
  after(async () => {
    api?.close();
    await s?.stop();
  });

  it('rejects requests without a client certificate with a 401 Status', async () => {
    const anon = new ApiClient(s.cp.url, s.dataDir, { anonymous: true });
    try {
      const r = await anon.get('/api/v1/namespaces');
      assert.equal(r.status, 401);
      assert.deepEqual(r.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
      // Health and version stay public, as system:public-info-viewer allows.
      assert.equal((await anon.get('/healthz')).status, 200);
      assert.equal((await anon.get('/version')).body.minor, '32');
    } finally {
      anon.close();
    }
  });

  it('answers health endpoints in the upstream format', async () => {
    assert.equal((await api.get('/livez')).text, 'ok');
    const verbose = await api.get('/readyz?verbose');
    assert.equal(verbose.status, 200);
    assert.match(verbose.text, /^\[\+\]ping ok\n\[\+\]log ok\n\[\+\]etcd ok\n.*readyz check passed\n$/s);
    assert.equal((await api.get('/readyz/etcd')).text, 'ok');
  });

  it('names objects from generateName and fills system metadata', async () => {
    const r = await api.post(CM, { metadata: { generateName: 'gen-' }, data: { a: '1' } });
    assert.equal(r.status, 201);
    assert.match(r.body.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.match(r.body.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(r.body.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Number(r.body.metadata.resourceVersion) > 0);
  });

  it('enforces optimistic concurrency with the upstream 409', async () => {
    const c = await api.post(CM, { metadata: { name: 'occ' }, data: { v: '1' } });
    const stale = c.body;
    const u1 = await api.put(`${CM}/occ`, { ...stale, data: { v: '2' } });
    assert.equal(u1.status, 200);
    assert.ok(Number(u1.body.metadata.resourceVersion) > Number(stale.metadata.resourceVersion));
    const u2 = await api.put(`${CM}/occ`, { ...stale, data: { v: '3' } });
    assert.equal(u2.status, 409);
    assert.equal(u2.body.reason, 'Conflict');
    assert.equal(u2.body.message, 'Operation cannot be fulfilled on configmaps "occ": the object has been modified; please apply your changes to the latest version and try again');
    // A no-op update does not bump the resourceVersion.
    const u3 = await api.put(`${CM}/occ`, u1.body);
    assert.equal(u3.body.metadata.resourceVersion, u1.body.metadata.resourceVersion);
  });

  it('keeps objects with finalizers until the last one is removed', async () => {
    await api.post(CM, { metadata: { name: 'fin', finalizers: ['example.com/hold'] } });
    const d = await api.delete(`${CM}/fin`);
    assert.equal(d.status, 200);
    assert.ok(d.body.metadata.deletionTimestamp, 'marked for deletion');
    const still = await api.get(`${CM}/fin`);
    assert.equal(still.status, 200);
    const rm = await api.patch(`${CM}/fin`, [{ op: 'remove', path: '/metadata/finalizers' }], 'application/json-patch+json');
    assert.equal(rm.status, 200);
    assert.equal((await api.get(`${CM}/fin`)).status, 404);
  });

  it('deletes scheduled Pods gracefully and unscheduled ones at once', async () => {
    const pod = (name: string, nodeName?: string) => ({
      metadata: { name },
      spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9' }] },
    });
    await api.post('/api/v1/namespaces/default/pods', pod('loose'));
    await api.post('/api/v1/namespaces/default/pods', pod('bound', 'node-1'));
    const d1 = await api.delete('/api/v1/namespaces/default/pods/loose');
    assert.equal(d1.status, 200);
    assert.equal((await api.get('/api/v1/namespaces/default/pods/loose')).status, 404);
    const d2 = await api.delete('/api/v1/namespaces/default/pods/bound');
    assert.equal(d2.body.metadata.deletionGracePeriodSeconds, 30);
    const bound = await api.get('/api/v1/namespaces/default/pods/bound');
    assert.equal(bound.status, 200, 'waits for its node to stop it');
    const now = await api.delete('/api/v1/namespaces/default/pods/bound', { gracePeriodSeconds: 0 });
    assert.equal(now.status, 200);
    assert.equal((await api.get('/api/v1/namespaces/default/pods/bound')).status, 404);
  });

  it('separates the status subresource from the main resource', async () => {
    await api.post('/api/apps/v1'.replace('/api/apps', '/apis/apps') + '/namespaces/default/deployments', {
      metadata: { name: 'st' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    const path = '/apis/apps/v1/namespaces/default/deployments/st';
    const main = await api.patch(path, { spec: { replicas: 3 }, status: { replicas: 7 } });
    assert.equal(main.body.spec.replicas, 3);
    assert.equal(main.body.status.replicas, undefined, 'status ignored on the main resource');
    assert.equal(main.body.metadata.generation, 2);
    const st = await api.patch(`${path}/status`, { spec: { replicas: 9 }, status: { replicas: 3 } });
    assert.equal(st.body.status.replicas, 3);
    assert.equal(st.body.spec.replicas, 3, 'spec ignored on status');
    assert.equal(st.body.metadata.generation, 2, 'status writes do not bump generation');
  });

  it('does nothing on dryRun=All but answers as if it had', async () => {
    const r = await api.post(`${CM}?dryRun=All`, { metadata: { name: 'dry' } });
    assert.equal(r.status, 201);
    assert.equal(r.body.metadata.name, 'dry');
    assert.equal((await api.get(`${CM}/dry`)).status, 404);
    const bad = await api.post(`${CM}?dryRun=Some`, { metadata: { name: 'dry' } });
    assert.equal(bad.status, 400);
  });

  it('honours fieldValidation Strict, Warn and Ignore', async () => {
    const body = '{"metadata":{"name":"fv"},"data":{"a":"1"},"bogus":1,"data":{"a":"2"}}';
    const strict = await api.post(`${CM}?fieldValidation=Strict`, body);
    assert.equal(strict.status, 400);
    assert.equal(strict.body.message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "data", unknown field "bogus"');
    const warn = await api.post(`${CM}?fieldValidation=Warn`, body);
    assert.equal(warn.status, 201);
    assert.deepEqual(warn.headers['warning'], '299 - "duplicate field \\"data\\"", 299 - "unknown field \\"bogus\\""');
    assert.equal(warn.body.bogus, undefined, 'unknown fields are dropped, not stored');
    const ignore = await api.post(`${CM}?fieldValidation=Ignore`, { metadata: { name: 'fv2' }, nope: true });
    assert.equal(ignore.status, 201);
    assert.equal(ignore.headers['warning'], undefined);
  });

  it('limits request and object sizes with the upstream messages', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024 + 10);
    const tooBig = await api.post(CM, { metadata: { name: 'big' }, data: { a: big } });
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.body.message, 'Request entity too large: limit is 3145728');
    // Under the request limit but over etcd's 1.5 MiB, through a kind without its own size rule.
    const events = '/api/v1/namespaces/default/events';
    const ev = await api.post(events, {
      metadata: { name: 'big-event' },
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' },
      message: 'y'.repeat(2 * 1024 * 1024),
    });
    assert.equal(ev.status, 500);
    assert.equal(ev.body.message, 'etcdserver: request is too large');
  });

  it('serves aggregated and legacy discovery', async () => {
    const agg = await api.get('/apis', { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' });
    assert.equal(agg.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const groups = agg.body.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    assert.deepEqual(groups, ['discovery.k8s.io', 'apps', 'coordination.k8s.io']);
    const legacy = await api.get('/api/v1');
    const svc = legacy.body.resources.find((r: { name: string }) => r.name === 'services');
    assert.deepEqual(svc.shortNames, ['svc']);
    assert.ok(legacy.body.resources.some((r: { name: string }) => r.name === 'pods/exec'));
  });

  it('deletes collections by label selector', async () => {
    for (const n of ['dc1', 'dc2', 'dc3']) await api.post(CM, { metadata: { name: n, labels: { batch: n === 'dc3' ? 'keep' : 'drop' } } });
    const r = await api.delete(`${CM}?labelSelector=batch%3Ddrop`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.items.map((i: { metadata: { name: string } }) => i.metadata.name).sort(), ['dc1', 'dc2']);
    const left = await api.get(`${CM}?labelSelector=batch`);
    assert.deepEqual(left.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['dc3']);
  });

  it('rejects unsupported field selectors with the upstream 400', async () => {
    const r = await api.get('/api/v1/pods?fieldSelector=spec.bogus%3Dx');
    assert.equal(r.status, 400);
    assert.equal(r.body.message, 'field label not supported: spec.bogus');
  });

  it('refuses new objects in a terminating namespace', async () => {
    await api.post('/api/v1/namespaces', { metadata: { name: 'doomed' } });
    const d = await api.delete('/api/v1/namespaces/doomed');
    assert.equal(d.body.status.phase, 'Terminating');
    const r = await api.post('/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'late' } });
    assert.equal(r.status, 403);
    assert.equal(r.body.message, 'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated');
    // Finalizing (what the namespace controller does once the namespace is empty) removes it.
    const ns = (await api.get('/api/v1/namespaces/doomed')).body;
    const fin = await api.put('/api/v1/namespaces/doomed/finalize', { ...ns, spec: { finalizers: [] } });
    assert.equal(fin.status, 200);
    assert.equal((await api.get('/api/v1/namespaces/doomed')).status, 404);
  });

  it('warns about EndpointSlice addresses that are ClusterIPs and rejects special ones', async () => {
    const path = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices';
    const slice = (name: string, ip: string) => ({
      metadata: { name, labels: { 'kubernetes.io/service-name': 'x' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [ip] }],
      ports: [{ name: 'http', port: 80 }],
    });
    const vip = await api.post(path, slice('vip', '10.96.0.1'));
    assert.equal(vip.status, 201);
    assert.match(String(vip.headers['warning']), /^299 - "endpoints\[0\]\.addresses\[0\]: 10\.96\.0\.1 is the ClusterIP of Service default\/kubernetes/);
    const lo = await api.post(path, slice('lo', '127.0.0.1'));
    assert.equal(lo.status, 422);
    assert.match(lo.body.message, /endpoints\[0\]\.addresses\[0\]: Invalid value: "127\.0\.0\.1": may not be in the loopback range \(127\.0\.0\.0\/8, ::1\/128\)/);
    const ok = await api.post(path, slice('pod', '10.244.1.5'));
    assert.equal(ok.status, 201);
    assert.equal(ok.headers['warning'], undefined);
  });
});
