// The EndpointSlice, Endpoints and mirroring controllers in-process against a real svcnet API
// server. Nodes are created by hand and Pod status is written through pods/status, as a kubelet
// would; the results are read back through the API and through the real kubectl.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '../src/client/index.js';
import {
  createNode,
  createPod,
  deletePod,
  endpointsIPs,
  endpointsOf,
  setPodStatus,
  sliceEndpoints,
  slicesOf,
  startEndpointsWorld,
  waitFor,
  type EndpointsWorld,
} from './endpointslice-helpers.js';

async function createService(w: EndpointsWorld, name: string, spec: Record<string, unknown>, labels?: Record<string, string>): Promise<void> {
  await w.client.create({ ...resources.services, namespace: 'default' }, { apiVersion: 'v1', kind: 'Service', metadata: { name, labels }, spec });
}

describe('endpoint controllers end to end', () => {
  let w: EndpointsWorld;
  before(async () => {
    w = await startEndpointsWorld();
    await createNode(w.client, 'node-1', 'zone-a');
    await createNode(w.client, 'node-2', 'zone-b');
  });
  after(async () => {
    await w?.stop();
  });

  it('tracks a Service as its Pods go 0 → 1 → 2 → 1 → 0', async () => {
    const c = w.client;
    await createService(w, 'web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] }, { app: 'web', tier: 'fe' });
    const svc = await c.get({ ...resources.services, namespace: 'default', name: 'web' });
    const expect = async (what: string, ready: string[]) => {
      const want = ready.map((ip) => `${ip}:true`);
      const slices = await waitFor(what, async () => {
        const s = await slicesOf(c, 'web');
        return s.length === 1 && JSON.stringify(sliceEndpoints(s)) === JSON.stringify(want) ? s : undefined;
      });
      await waitFor(`${what} (Endpoints)`, async () => {
        const ep = await endpointsOf(c, 'web');
        return ep && JSON.stringify(endpointsIPs(ep).ready) === JSON.stringify(ready) ? ep : undefined;
      });
      return slices[0]!;
    };

    const placeholder = await expect('placeholder slice', []);
    assert.deepEqual(placeholder.ports ?? [], []);
    assert.equal(placeholder.metadata.generateName, 'web-');
    assert.match(placeholder.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(placeholder.metadata.labels, {
      app: 'web',
      tier: 'fe',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    assert.deepEqual(placeholder.metadata.ownerReferences, [
      { apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);

    await createPod(c, 'web-1', { labels: { app: 'web' } });
    await setPodStatus(c, 'web-1', '10.244.1.1', true);
    const one = await expect('one endpoint', ['10.244.1.1']);
    assert.equal(one.metadata.name, placeholder.metadata.name, 'the placeholder is reused, not replaced');
    assert.deepEqual(one.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const ep = one.endpoints![0]!;
    assert.deepEqual(ep.conditions, { ready: true, serving: true, terminating: false });
    assert.equal(ep.nodeName, 'node-1');
    assert.equal(ep.zone, 'zone-a');
    assert.equal(ep.targetRef?.kind, 'Pod');
    assert.equal(ep.targetRef?.name, 'web-1');
    assert.ok(one.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']);
    const endpoints = await endpointsOf(c, 'web');
    assert.deepEqual(endpoints!.metadata.labels, { app: 'web', tier: 'fe' });
    assert.deepEqual(endpoints!.subsets![0]!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);

    await createPod(c, 'web-2', { labels: { app: 'web' }, node: 'node-2' });
    await setPodStatus(c, 'web-2', '10.244.2.1', true);
    await expect('two endpoints', ['10.244.1.1', '10.244.2.1']);

    await deletePod(c, 'web-1');
    await expect('one endpoint left', ['10.244.2.1']);
    await deletePod(c, 'web-2');
    await expect('back to the placeholder', []);
    const ep0 = await endpointsOf(c, 'web');
    assert.equal(ep0!.subsets, undefined);

    // The Service goes: so do its slices and its Endpoints.
    await c.delete({ ...resources.services, namespace: 'default', name: 'web' });
    await waitFor('slices and Endpoints deleted', async () => ((await slicesOf(c, 'web')).length === 0 && !(await endpointsOf(c, 'web')) ? true : undefined));
  });

  it('maps two named ports to different container ports (kubectl get endpointslices, describe svc)', async () => {
    const c = w.client;
    await createService(w, 'multi', {
      selector: { app: 'multi' },
      ports: [
        { name: 'http', port: 80, targetPort: 'web' },
        { name: 'metrics', port: 9090, targetPort: 'metrics' },
      ],
    });
    for (const [i, name] of ['multi-a', 'multi-b'].entries()) {
      await createPod(c, name, {
        labels: { app: 'multi' },
        ports: [
          { name: 'web', containerPort: 8080 },
          { name: 'metrics', containerPort: 9100 },
        ],
      });
      await setPodStatus(c, name, `10.244.3.${i + 1}`, true);
    }
    const slices = await waitFor('multiport slice', async () => {
      const s = await slicesOf(c, 'multi');
      return s.length === 1 && s[0]!.endpoints?.length === 2 ? s : undefined;
    });
    assert.deepEqual(
      [...slices[0]!.ports!].sort((a, b) => a.port! - b.port!),
      [
        { name: 'http', port: 8080, protocol: 'TCP' },
        { name: 'metrics', port: 9100, protocol: 'TCP' },
      ],
    );
    const endpoints = await waitFor('multiport Endpoints', async () => {
      const ep = await endpointsOf(c, 'multi');
      return ep?.subsets?.[0]?.addresses?.length === 2 ? ep : undefined;
    });
    assert.deepEqual(endpoints.subsets![0]!.ports!.map((p) => `${p.name}:${p.port}`).sort(), ['http:8080', 'metrics:9100']);

    const k = w.srv.kubectl;
    const get = await k.ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=multi']);
    const lines = get.trim().split('\n');
    assert.match(lines[0]!, /^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/);
    assert.match(lines[1]!, /^multi-\w{5}\s+IPv4\s+(8080,9100|9100,8080)\s+10\.244\.3\.1,10\.244\.3\.2\s+\d+s$/);
    const describe = await k.ok(['describe', 'svc', 'multi']);
    assert.match(describe, /Port:\s+http\s+80\/TCP\nTargetPort:\s+web\/TCP\nEndpoints:\s+10\.244\.3\.1:8080,10\.244\.3\.2:8080\n/);
    assert.match(describe, /Port:\s+metrics\s+9090\/TCP\nTargetPort:\s+metrics\/TCP\nEndpoints:\s+10\.244\.3\.1:9100,10\.244\.3\.2:9100\n/);
  });

  it('a Pod turning not ready flips ready and serving; a terminating Pod stays as serving/terminating', async () => {
    const c = w.client;
    await createService(w, 'cond', { selector: { app: 'cond' }, ports: [{ port: 80, targetPort: 8080 }] });
    await createPod(c, 'cond-1', { labels: { app: 'cond' } });
    await setPodStatus(c, 'cond-1', '10.244.4.1', true);
    const endpointOf = async (want: (e: { ready?: boolean; serving?: boolean; terminating?: boolean }) => boolean) =>
      waitFor('endpoint conditions', async () => {
        const e = (await slicesOf(c, 'cond'))[0]?.endpoints?.[0];
        return e && want(e.conditions ?? {}) ? e : undefined;
      });
    await endpointOf((x) => x.ready === true);

    await setPodStatus(c, 'cond-1', '10.244.4.1', false);
    const notReady = await endpointOf((x) => x.ready === false);
    assert.deepEqual(notReady.conditions, { ready: false, serving: false, terminating: false });
    await waitFor('Endpoints lists it as not ready', async () => {
      const ips = endpointsIPs(await endpointsOf(c, 'cond'));
      return ips.notReady[0] === '10.244.4.1' && ips.ready.length === 0 ? true : undefined;
    });

    await setPodStatus(c, 'cond-1', '10.244.4.1', true);
    await endpointOf((x) => x.ready === true);
    // A Pod bound to a Node and deleted with a grace period stays, with a deletionTimestamp.
    await deletePod(c, 'cond-1', 30);
    const pod = await c.get({ ...resources.pods, namespace: 'default', name: 'cond-1' });
    assert.ok(pod.metadata.deletionTimestamp, 'still there, terminating');
    const terminating = await endpointOf((x) => x.terminating === true);
    assert.deepEqual(terminating.conditions, { ready: false, serving: true, terminating: true });
    await waitFor('terminating Pod leaves the Endpoints', async () => {
      const ips = endpointsIPs(await endpointsOf(c, 'cond'));
      return ips.ready.length === 0 && ips.notReady.length === 0 ? true : undefined;
    });
    await deletePod(c, 'cond-1', 0);
    await waitFor('gone for good', async () => ((await slicesOf(c, 'cond'))[0]?.endpoints?.length === 0 ? true : undefined));
  });

  it('mirrors a hand-written Endpoints of a selector-less Service, but not the kubernetes one', async () => {
    const c = w.client;
    await createService(w, 'ext', { ports: [{ name: 'db', port: 5432 }] });
    await c.create({ ...resources.endpoints, namespace: 'default' }, {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'ext', labels: { owner: 'me' } },
      subsets: [{ addresses: [{ ip: '10.10.0.5' }, { ip: '10.10.0.6' }], notReadyAddresses: [{ ip: '10.10.0.7' }], ports: [{ name: 'db', port: 5432 }] }],
    });
    const [slice] = await waitFor('mirrored slice', async () => {
      const s = await slicesOf(c, 'ext');
      return s.length === 1 && s[0]!.endpoints?.length === 3 ? s : undefined;
    });
    assert.equal(slice!.metadata.labels!['endpointslice.kubernetes.io/managed-by'], 'endpointslicemirroring-controller.k8s.io');
    assert.equal(slice!.metadata.labels!.owner, 'me');
    assert.equal(slice!.metadata.ownerReferences![0]!.kind, 'Endpoints');
    assert.deepEqual(slice!.ports, [{ name: 'db', port: 5432, protocol: 'TCP' }]);
    assert.deepEqual(sliceEndpoints([slice!]), ['10.10.0.5:true', '10.10.0.6:true', '10.10.0.7:false']);
    // The Endpoints controller leaves a selector-less Service's Endpoints alone.
    const ep = await endpointsOf(c, 'ext');
    assert.equal(ep!.metadata.labels!.owner, 'me');

    const k8s = await slicesOf(c, 'kubernetes');
    assert.deepEqual(
      k8s.map((s) => s.metadata.name),
      ['kubernetes'],
      'only the API server’s own slice',
    );
    assert.equal((await endpointsOf(c, 'kubernetes'))!.metadata.labels!['endpointslice.kubernetes.io/skip-mirror'], 'true');

    await c.delete({ ...resources.endpoints, namespace: 'default', name: 'ext' });
    await waitFor('mirrored slice removed', async () => ((await slicesOf(c, 'ext')).length === 0 ? true : undefined));
  });

  it('a Pod on a missing Node is left out with a Warning event on the Service, then added once the Node exists', async () => {
    const c = w.client;
    await createService(w, 'lost', { selector: { app: 'lost' }, ports: [{ port: 80, targetPort: 8080 }] });
    await createPod(c, 'lost-ok', { labels: { app: 'lost' } });
    await setPodStatus(c, 'lost-ok', '10.244.5.1', true);
    await createPod(c, 'lost-1', { labels: { app: 'lost' }, node: 'ghost' });
    await setPodStatus(c, 'lost-1', '10.244.5.2', true);
    const k = w.srv.kubectl;
    const describe = await waitFor('event in describe', async () => {
      const out = await k.ok(['describe', 'svc', 'lost']);
      return out.includes('FailedToUpdateEndpointSlices') ? out : undefined;
    });
    assert.match(
      describe,
      /Warning\s+FailedToUpdateEndpointSlices\s+.*\s+endpoint-slice-controller\s+Error updating Endpoint Slices for Service default\/lost: skipping Pod lost-1 for Service default\/lost: Node ghost Not Found/,
    );
    assert.match(describe, /Endpoints:\s+10\.244\.5\.1:8080\n/);
    assert.deepEqual(sliceEndpoints(await slicesOf(c, 'lost')), ['10.244.5.1:true']);
    await createNode(c, 'ghost');
    await waitFor('Pod added once its Node exists', async () =>
      JSON.stringify(sliceEndpoints(await slicesOf(c, 'lost'))) === JSON.stringify(['10.244.5.1:true', '10.244.5.2:true']) ? true : undefined,
    );
  });
});
