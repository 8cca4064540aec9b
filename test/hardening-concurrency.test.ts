// Many writers on one object at once. Writes without a resourceVersion are unconditional and
// must all land (upstream's GuaranteedUpdate retries them on conflict for as long as it takes);
// writes pinned to a stale resourceVersion still get the 409 kubectl users know.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './helpers/apiserver.js';
import { ApiClient, type ApiResponse } from './helpers/http.js';

const SVC = '/api/v1/namespaces/default/services';
const CLIENTS = 4;

describe('hardening: concurrent writes to one object', () => {
  let s: TestServer;
  let clients: ApiClient[] = [];
  let api: ApiClient;
  before(async () => {
    s = await startTestServer();
    // Several HTTP/2 connections, so no single connection's stream limit serializes the test.
    clients = Array.from({ length: CLIENTS }, () => new ApiClient(s.cp.url, s.dataDir));
    api = clients[0]!;
  });
  after(async () => {
    for (const c of clients) c.close();
    await s?.stop();
  });
  afterEach(async () => {
    assert.equal((await api.get('/readyz')).status, 200);
  });

  async function createService(name: string, labels: Record<string, string> = {}) {
    const r = await api.post(SVC, { metadata: { name, labels }, spec: { ports: [{ port: 80 }] } });
    assert.equal(r.status, 201, r.text);
  }

  function fanOut(n: number, send: (c: ApiClient, i: number) => Promise<ApiResponse>): Promise<ApiResponse[]> {
    return Promise.all(Array.from({ length: n }, (_, i) => send(clients[i % CLIENTS]!, i)));
  }

  function assertAllOK(results: ApiResponse[]) {
    const failed = results.filter((r) => r.status !== 200);
    assert.equal(failed.length, 0, `${failed.length} failed, e.g. ${failed[0]?.status} ${failed[0]?.text}`);
  }

  async function assertLabels(name: string, n: number) {
    const labels = (await api.get(`${SVC}/${name}`)).body.metadata.labels;
    for (let i = 0; i < n; i++) assert.equal(labels[`k${i}`], `v${i}`, `label k${i}`);
  }

  it('applies 200 concurrent merge patches without resourceVersion', async () => {
    await createService('merge');
    const results = await fanOut(200, (c, i) => c.patch(`${SVC}/merge`, { metadata: { labels: { [`k${i}`]: `v${i}` } } }));
    assertAllOK(results);
    await assertLabels('merge', 200);
  });

  it('applies 200 concurrent strategic merge patches without resourceVersion', async () => {
    await createService('strategic');
    const results = await fanOut(200, (c, i) =>
      c.patch(`${SVC}/strategic`, { metadata: { labels: { [`k${i}`]: `v${i}` } } }, 'application/strategic-merge-patch+json'),
    );
    assertAllOK(results);
    await assertLabels('strategic', 200);
  });

  it('applies 200 concurrent JSON patch adds', async () => {
    await createService('jsonpatch', { base: 'x' });
    const results = await fanOut(200, (c, i) =>
      c.patch(`${SVC}/jsonpatch`, [{ op: 'add', path: `/metadata/labels/k${i}`, value: `v${i}` }], 'application/json-patch+json'),
    );
    assertAllOK(results);
    await assertLabels('jsonpatch', 200);
  });

  it('applies 50 concurrent PUTs without resourceVersion, and 409s a stale one', async () => {
    await createService('put');
    const current = (await api.get(`${SVC}/put`)).body;
    const stale = structuredClone(current);
    delete current.metadata.resourceVersion;
    const results = await fanOut(50, (c, i) => c.put(`${SVC}/put`, { ...current, metadata: { ...current.metadata, labels: { writer: `w${i}` } } }));
    assertAllOK(results);
    const rvs = new Set(results.map((r) => r.body.metadata.resourceVersion));
    assert.equal(rvs.size, 50, 'each PUT wrote its own revision');
    const final = (await api.get(`${SVC}/put`)).body;
    assert.match(final.metadata.labels.writer, /^w\d+$/);

    const r = await api.put(`${SVC}/put`, { ...stale, metadata: { ...stale.metadata, labels: { writer: 'stale' } } });
    assert.equal(r.status, 409);
    assert.deepEqual(r.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Operation cannot be fulfilled on services "put": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict',
      details: { name: 'put', kind: 'services' },
      code: 409,
    });
  });

  it('409s concurrent merge patches pinned to the same resourceVersion, except one', async () => {
    await createService('pinned');
    const rv = (await api.get(`${SVC}/pinned`)).body.metadata.resourceVersion;
    const results = await fanOut(20, (c, i) => c.patch(`${SVC}/pinned`, { metadata: { resourceVersion: rv, labels: { [`k${i}`]: 'v' } } }));
    assert.equal(results.filter((r) => r.status === 200).length, 1);
    assert.equal(results.filter((r) => r.status === 409).length, 19);
  });

  it('deletes an object while patches stream at it, without errors other than NotFound', async () => {
    await createService('doomed');
    const patches = fanOut(100, (c, i) => c.patch(`${SVC}/doomed`, { metadata: { labels: { [`k${i}`]: 'v' } } }));
    const del = api.delete(`${SVC}/doomed`);
    const [results, d] = await Promise.all([patches, del]);
    assert.equal(d.status, 200, d.text);
    for (const r of results) assert.ok(r.status === 200 || r.status === 404, `${r.status} ${r.text}`);
    assert.equal((await api.get(`${SVC}/doomed`)).status, 404);
  });
});
