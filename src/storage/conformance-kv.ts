// Conformance cases for reads and guarded writes (see conformance.ts).
import assert from 'node:assert/strict';
import { ConflictError, FutureRevisionError, KeyExistsError, KeyNotFoundError } from './errors.js';
import type { Storage } from './types.js';

export type StorageCase = (s: Storage) => Promise<void>;

export const kvCases: Record<string, StorageCase> = {
  'create then get returns the value and its revisions': async (s) => {
    const before = await s.currentRevision();
    const rev = await s.create('/registry/pods/a', '{"a":1}');
    assert.equal(rev, before + 1);
    assert.deepEqual(await s.get('/registry/pods/a'), { key: '/registry/pods/a', value: '{"a":1}', createRevision: rev, modRevision: rev });
    assert.equal(await s.get('/registry/pods/missing'), undefined);
    assert.equal(await s.currentRevision(), rev);
  },

  'a fresh store starts above revision 0': async (s) => {
    assert.ok((await s.currentRevision()) >= 1);
    assert.ok((await s.list('/')).revision >= 1);
  },

  'create of an existing key throws KeyExistsError and uses no revision': async (s) => {
    const rev = await s.create('/k', 'v1');
    await assert.rejects(s.create('/k', 'v2'), (err: unknown) => err instanceof KeyExistsError && err.key === '/k');
    assert.equal(await s.currentRevision(), rev);
    assert.equal((await s.get('/k'))?.value, 'v1');
  },

  'every write advances the revision by exactly 1': async (s) => {
    let rev = await s.currentRevision();
    const expectNext = (got: number) => assert.equal(got, ++rev);
    expectNext(await s.create('/a', '1'));
    expectNext(await s.update('/a', '2', rev));
    expectNext((await s.delete('/a')).revision);
    expectNext(await s.create('/a', '3'));
    await assert.rejects(s.update('/a', '4', 1));
    expectNext(await s.create('/b', '1'));
  },

  'list returns keys with the prefix in key order': async (s) => {
    for (const k of ['/r/pods/ns1/b', '/r/pods/ns1/a', '/r/pods/ns10/a', '/r/pods/ns2/c', '/r/podsx/a', '/r/pod']) await s.create(k, k);
    const res = await s.list('/r/pods/ns1/');
    assert.deepEqual(res.items.map((i) => i.key), ['/r/pods/ns1/a', '/r/pods/ns1/b']);
    assert.equal(res.revision, await s.currentRevision());
    assert.equal(res.more, false);
    assert.deepEqual((await s.list('/r/pods/')).items.map((i) => i.key), ['/r/pods/ns1/a', '/r/pods/ns1/b', '/r/pods/ns10/a', '/r/pods/ns2/c']);
    assert.equal((await s.list('')).items.length, 6);
    assert.deepEqual((await s.list('/nothing/')).items, []);
  },

  'list pages with limit and startAfter': async (s) => {
    const keys = Array.from({ length: 7 }, (_, i) => `/p/k${i}`);
    for (const k of keys) await s.create(k, k);
    await s.create('/q/other', 'x');
    const page1 = await s.list('/p/', { limit: 3 });
    assert.deepEqual(page1.items.map((i) => i.key), keys.slice(0, 3));
    assert.equal(page1.more, true);
    assert.equal(page1.remaining, 4);
    const page2 = await s.list('/p/', { limit: 3, startAfter: '/p/k2', revision: page1.revision });
    assert.deepEqual(page2.items.map((i) => i.key), keys.slice(3, 6));
    assert.equal(page2.remaining, 1);
    const page3 = await s.list('/p/', { limit: 3, startAfter: '/p/k5' });
    assert.deepEqual(page3.items.map((i) => i.key), ['/p/k6']);
    assert.equal(page3.more, false);
    assert.equal(page3.remaining, 0);
    const exact = await s.list('/p/', { limit: 7 });
    assert.equal(exact.more, false);
  },

  'list at a past revision sees the state of then': async (s) => {
    await s.create('/h/a', 'a1');
    const r2 = await s.create('/h/b', 'b1');
    await s.update('/h/a', 'a2', r2 - 1);
    await s.delete('/h/b');
    await s.create('/h/c', 'c1');
    const then = await s.list('/h/', { revision: r2 });
    assert.equal(then.revision, r2);
    assert.deepEqual(then.items.map((i) => [i.key, i.value, i.modRevision]), [['/h/a', 'a1', r2 - 1], ['/h/b', 'b1', r2]]);
    const paged = await s.list('/h/', { revision: r2, limit: 1 });
    assert.deepEqual([paged.items.map((i) => i.key), paged.more, paged.remaining], [['/h/a'], true, 1]);
    const now = await s.list('/h/');
    assert.deepEqual(now.items.map((i) => [i.key, i.value]), [['/h/a', 'a2'], ['/h/c', 'c1']]);
    await assert.rejects(s.list('/h/', { revision: now.revision + 5 }), FutureRevisionError);
  },

  'count counts keys with the prefix': async (s) => {
    for (const k of ['/c/a/1', '/c/a/2', '/c/b/1']) await s.create(k, 'v');
    assert.equal(await s.count('/c/a/'), 2);
    assert.equal(await s.count('/c/'), 3);
    assert.equal(await s.count('/none/'), 0);
    await s.delete('/c/a/1');
    assert.equal(await s.count('/c/a/'), 1);
  },

  'update is guarded by the mod revision': async (s) => {
    const created = await s.create('/u', 'v1');
    const updated = await s.update('/u', 'v2', created);
    assert.deepEqual(await s.get('/u'), { key: '/u', value: 'v2', createRevision: created, modRevision: updated });
    await assert.rejects(s.update('/u', 'v3', created), (err: unknown) =>
      err instanceof ConflictError && err.key === '/u' && err.expected === created && err.actual === updated);
    await assert.rejects(s.update('/missing', 'v', 1), (err: unknown) => err instanceof KeyNotFoundError && err.key === '/missing');
    assert.equal((await s.get('/u'))?.value, 'v2');
  },

  'delete returns the last value and honours the guard': async (s) => {
    const created = await s.create('/d', 'v1');
    await assert.rejects(s.delete('/d', created + 100), ConflictError);
    const res = await s.delete('/d', created);
    assert.deepEqual(res.kv, { key: '/d', value: 'v1', createRevision: created, modRevision: created });
    assert.equal(res.revision, created + 1);
    assert.equal(await s.get('/d'), undefined);
    await assert.rejects(s.delete('/d'), KeyNotFoundError);
    const again = await s.create('/d', 'v2');
    assert.equal((await s.get('/d'))?.createRevision, again);
    assert.equal((await s.delete('/d')).kv.value, 'v2');
  },

  'many writes issued in one tick all succeed with distinct revisions': async (s) => {
    const start = await s.currentRevision();
    const n = 1000;
    const results = await Promise.allSettled([
      ...Array.from({ length: n }, (_, i) => s.create(`/burst/${i}`, `v${i}`)),
      s.create('/burst/0', 'duplicate'),
    ]);
    const revs = results.slice(0, n).map((r) => (r.status === 'fulfilled' ? r.value : assert.fail(String(r.reason))));
    assert.equal(results[n]!.status, 'rejected');
    assert.ok((results[n] as PromiseRejectedResult).reason instanceof KeyExistsError);
    assert.deepEqual([...revs].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => start + 1 + i));
    assert.equal(await s.count('/burst/'), n);
    assert.equal(await s.currentRevision(), start + n);
  },
};
