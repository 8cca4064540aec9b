// 1,000 ready Pods behind one Service: ten EndpointSlices of 100, and an Endpoints object at its
// 1,000-address capacity (not truncated). The Pods are created through concurrent requests.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '../src/client/index.js';
import { createNode, createPod, endpointsOf, inParallel, setPodStatus, slicesOf, startEndpointsWorld, waitFor, type EndpointsWorld } from './endpointslice-helpers.js';

describe('EndpointSlices at scale', () => {
  let w: EndpointsWorld;
  before(async () => {
    w = await startEndpointsWorld();
    await createNode(w.client, 'node-1', 'zone-a');
  });
  after(async () => {
    await w?.stop();
  });

  it('1,000 ready Pods give 10 slices of 100', async () => {
    const c = w.client;
    const n = 1000;
    const names = Array.from({ length: n }, (_, i) => `big-${i}`);
    const ipOf = (i: number) => `10.244.${10 + Math.floor(i / 250)}.${(i % 250) + 1}`;
    await inParallel(names, 64, async (name) => {
      await createPod(c, name, { labels: { app: 'big' } });
      await setPodStatus(c, name, ipOf(Number(name.slice(4))), true);
    });
    await c.create({ ...resources.services, namespace: 'default' }, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'big' },
      spec: { selector: { app: 'big' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const slices = await waitFor(
      '10 full slices',
      async () => {
        const s = await slicesOf(c, 'big');
        const total = s.reduce((k, x) => k + (x.endpoints?.length ?? 0), 0);
        return total === n ? s : undefined;
      },
      60_000,
    );
    assert.deepEqual(
      slices.map((s) => s.endpoints!.length),
      Array.from({ length: 10 }, () => 100),
    );
    const ips = new Set(slices.flatMap((s) => s.endpoints!.map((e) => e.addresses[0])));
    assert.equal(ips.size, n, 'every Pod exactly once');

    const ep = await waitFor('Endpoints with 1,000 addresses', async () => {
      const e = await endpointsOf(c, 'big');
      return e?.subsets?.[0]?.addresses?.length === n ? e : undefined;
    });
    assert.equal(ep.metadata.annotations?.['endpoints.kubernetes.io/over-capacity'], undefined);

    const out = await w.srv.kubectl.ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=big', '--no-headers']);
    const rows = out.trim().split('\n');
    assert.equal(rows.length, 10);
    for (const r of rows) assert.match(r, /^big-\w{5}\s+IPv4\s+8080\s+\S+ \+ 97 more\.\.\.\s+\d+s$/);
  });

  it('Pods becoming ready while the Service exists are all published, in slices of at most 100', async () => {
    const c = w.client;
    const n = 500;
    await c.create({ ...resources.services, namespace: 'default' }, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'live' },
      spec: { selector: { app: 'live' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const names = Array.from({ length: n }, (_, i) => `live-${i}`);
    await inParallel(names, 64, async (name) => {
      const i = Number(name.slice(5));
      await createPod(c, name, { labels: { app: 'live' } });
      await setPodStatus(c, name, `10.245.${Math.floor(i / 250)}.${(i % 250) + 1}`, true);
    });
    const slices = await waitFor(
      'all Pods published',
      async () => {
        const s = await slicesOf(c, 'live');
        const total = s.reduce((k, x) => k + (x.endpoints?.length ?? 0), 0);
        return total === n ? s : undefined;
      },
      60_000,
    );
    assert.ok(slices.every((s) => s.endpoints!.length <= 100));
    assert.equal(new Set(slices.flatMap((s) => s.endpoints!.map((e) => e.addresses[0]))).size, n);
    await waitFor('Endpoints complete', async () => ((await endpointsOf(c, 'live'))?.subsets?.[0]?.addresses?.length === n ? true : undefined));
  });
});
