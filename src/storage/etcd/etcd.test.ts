// The shared storage conformance suite against a real etcd (Debian's etcd-server, started here
// on loopback ports), plus what only etcd has: key prefixes sharing one etcd, resume across an
// etcd restart, and compaction made by another API server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { collect, runStorageSuite } from '../conformance.js';
import { CompactedError } from '../errors.js';
import { openStorage } from '../registry.js';
import type { Storage } from '../types.js';
import { startEtcdCluster } from './etcd-server.js';
import type { EtcdCluster } from './etcd-server.js';

let etcd: EtcdCluster;
before(async () => {
  etcd = await startEtcdCluster();
});
after(async () => {
  await etcd?.stop();
});

let n = 0;
/** Each case gets its own key prefix, as separate clusters sharing one etcd would. */
const fresh = (): Promise<Storage> => openStorage(`${etcd.url}?prefix=/case-${n++}`);

runStorageSuite({ name: 'etcd', newStorage: fresh });

/** Retry a write while etcd is coming back (the client reports it unavailable meanwhile). */
async function eventually<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('etcd driver', () => {
  it('keeps clusters with different prefixes apart on one etcd', async () => {
    const a = await openStorage(`${etcd.url}?prefix=/cluster-a`);
    const b = await openStorage(`${etcd.url}?prefix=/cluster-b`);
    try {
      const wb = collect(b, '/registry/', 0);
      await a.create('/registry/pods/x', 'from a');
      const rb = await b.create('/registry/pods/x', 'from b');
      assert.equal((await a.get('/registry/pods/x'))?.value, 'from a');
      assert.deepEqual((await b.list('/registry/')).items.map((i) => i.value), ['from b']);
      assert.equal(await a.count('/registry/'), 1);
      const [e] = await wb.waitFor(1);
      assert.deepEqual([e!.kv.key, e!.kv.value, e!.revision], ['/registry/pods/x', 'from b', rb]);
      assert.equal(wb.events.length, 1);
      wb.watcher.close();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a watch resumes exactly across an etcd restart', async () => {
    const s = await fresh();
    try {
      const from = await s.currentRevision();
      const w = collect(s, '/r/', from);
      for (let i = 0; i < 20; i++) await s.create(`/r/before-${i}`, 'v');
      await w.waitFor(20);
      await etcd.members[0]!.restart();
      for (let i = 0; i < 20; i++) await eventually(() => s.create(`/r/after-${i}`, 'v'));
      const last = await s.currentRevision();
      const events = await w.waitFor(40);
      assert.deepEqual(events.map((e) => e.revision), Array.from({ length: last - from }, (_, i) => from + 1 + i));
      assert.deepEqual(w.errors, []);
      w.watcher.close();
    } finally {
      await s.close();
    }
  });

  it("answers 410-style CompactedError after another server's compaction", async () => {
    const url = `${etcd.url}?prefix=/compaction-${n++}`;
    const [a, b, c] = [await openStorage(url), await openStorage(url), await openStorage(url)];
    try {
      const r1 = await a.create('/x/1', 'v');
      const r2 = await a.update('/x/1', 'v2', r1);
      await a.create('/x/2', 'v');
      const old = collect(b, '/x/', r1 - 1);
      await old.waitFor(3);
      old.watcher.close();
      await a.compact(r2);
      assert.equal(await b.compactedRevision(), r2);
      await assert.rejects(b.list('/x/', { revision: r1 }), (err: unknown) => err instanceof CompactedError && err.compacted === r2);
      assert.throws(() => b.watch('/x/', { fromRevision: r1, onEvent: () => {} }), CompactedError);
      // c has not heard of the compaction: etcd cancels its watch, which ends with the error.
      const late = collect(c, '/x/', r1);
      const deadline = Date.now() + 10_000;
      while (late.errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.equal(late.errors.length, 1);
      assert.ok(late.errors[0] instanceof CompactedError);
      assert.equal((late.errors[0] as CompactedError).compacted, r2);
      assert.deepEqual(late.events, []);
      // From the compacted revision itself, history is still there.
      const ok = collect(c, '/x/', r2);
      await ok.waitFor(1);
      ok.watcher.close();
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('rejects malformed URLs with the offending part named', async () => {
    await assert.rejects(openStorage('etcd://'), /names no etcd endpoint/);
    await assert.rejects(openStorage('etcd://localhost'), /invalid etcd endpoint "localhost"/);
    await assert.rejects(openStorage('etcd://127.0.0.1:2379?prefx=/a'), /unknown parameter "prefx"/);
    await assert.rejects(openStorage('etcd://127.0.0.1:2379?prefix=a'), /prefix must start with/);
    await assert.rejects(openStorage('etcd://127.0.0.1:2379?cert=/c'), /cert and key must be given together/);
  });
});
