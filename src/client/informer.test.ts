import assert from 'node:assert/strict';
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test/helpers/apiserver.js';
import type { KubeObject } from '../api/meta.js';
import { FakeClock } from './clock.js';
import { SERVICE_NAME_INDEX, serviceNameIndexFunc } from './indexer.js';
import { SharedInformer, type ResourceEventHandler } from './informer.js';
import { listWatchFor, type ListerWatcher } from './reflector.js';
import { resources } from './resource-path.js';
import { RestClient } from './rest-client.js';

let s: TestServer;
let c: RestClient;
before(async () => {
  s = await startTestServer();
  c = RestClient.fromUnixSocket(s.cp.socketPath, { component: 'informer-test' });
});
after(async () => {
  c.close();
  await s.stop();
});

async function waitFor(what: string, cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Records handler calls as readable lines. */
function recorder<T extends KubeObject>(): { log: string[]; handler: ResourceEventHandler<T> } {
  const log: string[] = [];
  return {
    log,
    handler: {
      onAdd: (o, initial) => log.push(`add ${o.metadata.name}${initial ? ' (initial)' : ''}`),
      onUpdate: (a, b) => log.push(`update ${b.metadata.name} ${a.metadata.resourceVersion === b.metadata.resourceVersion ? 'resync' : 'changed'}`),
      onDelete: (o, info) => log.push(`delete ${o.metadata.name}${info.finalStateUnknown ? ' (final state unknown)' : ''}`),
    },
  };
}

async function makeNamespace(name: string): Promise<void> {
  await c.create(resources.namespaces, { metadata: { name } });
}

test('informer delivers add/update/delete, indexes, transforms and resyncs', async () => {
  const ns = 'inf-basic';
  await makeNamespace(ns);
  const cms = { ...resources.configmaps, namespace: ns };
  await c.create(cms, { metadata: { name: 'a', labels: { 'kubernetes.io/service-name': 'web' } }, data: { k: 'v' } });
  await c.create({ ...resources.configmaps, namespace: 'default' }, { metadata: { name: 'elsewhere' } });

  const clock = new FakeClock();
  type Slim = { metadata: KubeObject['metadata']; keys: number };
  const inf = SharedInformer.forResource<Slim>(c, resources.configmaps, {
    namespace: ns,
    clock,
    resyncPeriodMs: 60_000,
    // CoreDNS-style slimming: keep identity and what we need, drop the rest.
    transform: (o) => ({
      metadata: { name: o.metadata.name, namespace: o.metadata.namespace, resourceVersion: o.metadata.resourceVersion, labels: o.metadata.labels },
      keys: Object.keys((o.data as object) ?? {}).length,
    }),
    indexers: { [SERVICE_NAME_INDEX]: serviceNameIndexFunc },
  });
  const { log, handler } = recorder<Slim & KubeObject>();
  inf.addEventHandler(handler as ResourceEventHandler<Slim>);
  assert.equal(inf.hasSynced(), false);
  inf.run();
  assert.equal(await inf.waitForSync(), true);
  assert.deepEqual(log, ['add a (initial)']);
  assert.deepEqual(inf.store.get(`${ns}/a`), {
    metadata: { name: 'a', namespace: ns, resourceVersion: inf.store.get(`${ns}/a`)!.metadata.resourceVersion, labels: { 'kubernetes.io/service-name': 'web' } },
    keys: 1,
  });
  assert.equal(inf.store.get('default/elsewhere'), undefined, 'namespace scoping');

  await c.create(cms, { metadata: { name: 'b', labels: { 'kubernetes.io/service-name': 'web' } } });
  await c.patch({ ...cms, name: 'a' }, { data: { k2: 'v2' } });
  await c.delete({ ...cms, name: 'b' });
  await waitFor('delete b', () => log.length === 4);
  assert.deepEqual(log, ['add a (initial)', 'add b', 'update a changed', 'delete b']);
  assert.equal(inf.store.get(`${ns}/a`)!.keys, 2);
  assert.deepEqual(inf.store.byIndex(SERVICE_NAME_INDEX, `${ns}/web`).map((o) => o.metadata.name), ['a']);
  assert.deepEqual(inf.store.byIndex('namespace', ns).map((o) => o.metadata.name), ['a']);

  // Same resourceVersion again (a replayed event) is not an update…
  const current = await c.get({ ...cms, name: 'a' });
  inf.upsert(current);
  assert.equal(log.length, 4);
  // …except on resync, which re-delivers the cache as onUpdate(obj, obj).
  clock.step(60_000);
  assert.deepEqual(log.slice(4), ['update a resync']);

  // A handler that joins late is replayed the cache.
  const late = recorder<Slim & KubeObject>();
  inf.addEventHandler(late.handler as ResourceEventHandler<Slim>);
  assert.deepEqual(late.log, ['add a (initial)']);
  inf.stop();
});

test('informer recovers from 410 Gone by re-listing and converges, deletes included', async () => {
  const ns = 'inf-gone';
  await makeNamespace(ns);
  const cms = { ...resources.configmaps, namespace: ns };
  for (const n of ['a', 'b', 'c']) await c.create(cms, { metadata: { name: n } });

  // The hook holds the reflector before its second watch (after the server ended the first one
  // at timeoutSeconds), as if the connection were down.
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let watches = 0;
  let held = false;
  const inf = SharedInformer.forResource(c, resources.configmaps, {
    namespace: ns,
    reflector: {
      watchTimeoutSeconds: 1,
      beforeWatch: async () => {
        if (++watches !== 2) return;
        held = true;
        await gate;
      },
    },
  });
  const { log, handler } = recorder();
  inf.addEventHandler(handler);
  inf.run();
  await inf.waitForSync();
  assert.deepEqual(log.sort(), ['add a (initial)', 'add b (initial)', 'add c (initial)']);
  log.length = 0;
  await c.create(cms, { metadata: { name: 'live' } });
  await waitFor('the first watch to deliver', () => log.includes('add live'));
  log.length = 0;
  const t0 = Date.now();
  await waitFor('the first watch to end and the reflector to pause', () => held, 5000);
  assert.ok(Date.now() - t0 > 500, 'the first watch lasted until the server timeout');
  const rvBefore = inf.lastSyncResourceVersion;

  // While disconnected: delete, update, create, and a create+delete the informer never sees.
  await c.delete({ ...cms, name: 'a' });
  await c.patch({ ...cms, name: 'b' }, { data: { x: '1' } });
  await c.create(cms, { metadata: { name: 'd' } });
  await c.create(cms, { metadata: { name: 'e' } });
  await c.delete({ ...cms, name: 'e' });
  await s.cp.storage.compact(await s.cp.storage.currentRevision());
  release();

  await waitFor('convergence', () => log.length >= 3);
  assert.deepEqual(log.sort(), ['add d', 'delete a (final state unknown)', 'update b changed']);
  assert.deepEqual(inf.store.listKeys().sort(), [`${ns}/b`, `${ns}/c`, `${ns}/d`, `${ns}/live`]);
  assert.ok(Number(inf.lastSyncResourceVersion) > Number(rvBefore));

  // And the watch works again after the re-list.
  await c.delete({ ...cms, name: 'c' });
  await waitFor('delete c', () => log.includes('delete c'));
  inf.stop();
});

test('informer pages the initial LIST with limit/continue', async () => {
  const ns = 'inf-paging';
  await makeNamespace(ns);
  const cms = { ...resources.configmaps, namespace: ns };
  for (let i = 0; i < 7; i++) await c.create(cms, { metadata: { name: `cm-${i}` } });
  const real = listWatchFor(c, resources.configmaps, { namespace: ns });
  const pages: { limit: unknown; cont: boolean; items: number }[] = [];
  const counting: ListerWatcher<KubeObject> = {
    async list(q, signal) {
      const page = await real.list(q, signal);
      pages.push({ limit: q.limit, cont: Boolean(q.continue), items: page.items.length });
      return page;
    },
    watch: (q, onEvent, signal) => real.watch(q, onEvent, signal),
  };
  const inf = new SharedInformer(counting, { reflector: { pageSize: 3 } });
  inf.run();
  await inf.waitForSync();
  assert.deepEqual(pages, [
    { limit: 3, cont: false, items: 3 },
    { limit: 3, cont: true, items: 3 },
    { limit: 3, cont: true, items: 1 },
  ]);
  assert.equal(inf.store.list().length, 7);
  inf.stop();
});

test('reflector backs off on connection errors and syncs once the server is reachable', async () => {
  const link = join(s.dataDir, 'late.sock');
  const clock = new FakeClock();
  const late = RestClient.fromUnixSocket(link);
  const inf = SharedInformer.forResource(late, resources.namespaces, { clock, reflector: { initialBackoffMs: 1000 } });
  inf.run();
  try {
    await waitFor('the first failed LIST to schedule a backoff timer', () => clock.pendingTimers === 1);
    clock.step(500);
    // Asserting that no retry happens: a pause is the only way to give one the chance.
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(inf.hasSynced(), false, 'no retry before the backoff elapses');
    symlinkSync(s.cp.socketPath, link);
    clock.step(1000); // past 1000 ms plus at most 20% jitter
    assert.equal(await inf.waitForSync(AbortSignal.timeout(5000)), true);
    assert.ok(inf.store.get('default'));
  } finally {
    inf.stop();
    late.close();
    rmSync(link, { force: true });
  }
});

test('after the server ends a watch, the reflector re-watches from the last resourceVersion without re-listing', async () => {
  const ns = 'inf-rewatch';
  await makeNamespace(ns);
  const cms = { ...resources.configmaps, namespace: ns };
  const real = listWatchFor(c, resources.configmaps, { namespace: ns });
  let lists = 0;
  const watchRVs: string[] = [];
  const counting: ListerWatcher<KubeObject> = {
    list: (q, signal) => {
      lists++;
      return real.list(q, signal);
    },
    watch: (q, onEvent, signal) => {
      watchRVs.push(String(q.resourceVersion));
      return real.watch(q, onEvent, signal);
    },
  };
  const inf = new SharedInformer(counting, { reflector: { watchTimeoutSeconds: 1 } });
  const { log, handler } = recorder();
  inf.addEventHandler(handler);
  inf.run();
  await inf.waitForSync();
  await waitFor('the first watch', () => watchRVs.length === 1);
  const created = await c.create(cms, { metadata: { name: 'x' } });
  await waitFor('a second watch after the first timed out', () => watchRVs.length >= 2, 5000);
  await c.patch({ ...cms, name: 'x' }, { data: { a: 'b' } });
  await waitFor('the update over the second watch', () => log.length === 2);
  assert.equal(lists, 1, 'no re-list');
  assert.equal(watchRVs[1], created.metadata.resourceVersion, 'resumed from the last event seen');
  assert.deepEqual(log, ['add x', 'update x changed'], 'nothing replayed or lost');
  inf.stop();
});
