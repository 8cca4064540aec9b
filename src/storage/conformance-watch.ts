// Conformance cases for watch and compaction (see conformance.ts).
import assert from 'node:assert/strict';
import type { StorageCase } from './conformance-kv.js';
import { CompactedError, FutureRevisionError } from './errors.js';
import type { Storage, WatchEvent, Watcher } from './types.js';

/** Collects a watch's events; waitFor resolves once n have arrived (or fails after 10s). */
export function collect(s: Storage, prefix: string, fromRevision: number) {
  const events: WatchEvent[] = [];
  const errors: Error[] = [];
  const watcher: Watcher = s.watch(prefix, { fromRevision, onEvent: (e) => events.push(e), onError: (e) => errors.push(e) });
  const waitFor = async (n: number): Promise<WatchEvent[]> => {
    const deadline = Date.now() + 10_000;
    while (events.length < n) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${n} events, have ${events.length}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    return events;
  };
  return { events, errors, watcher, waitFor };
}

/** Yield to the event loop a few times so any pending deliveries would have happened. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 5));
}

function assertContiguous(events: readonly WatchEvent[], after: number, last: number): void {
  assert.deepEqual(
    events.map((e) => e.revision),
    Array.from({ length: last - after }, (_, i) => after + 1 + i),
  );
}

export const watchCases: Record<string, StorageCase> = {
  'watch from 0 sees only future events, with prevKv': async (s) => {
    const r1 = await s.create('/w/a', 'old');
    const w = collect(s, '/w/', 0);
    const r2 = await s.update('/w/a', 'new', r1);
    const r3 = await s.create('/w/b', 'b');
    const r4 = (await s.delete('/w/a')).revision;
    await s.create('/other/x', 'x');
    const events = await w.waitFor(3);
    await settle();
    assert.equal(events.length, 3);
    assert.deepEqual(events[0], {
      type: 'PUT',
      kv: { key: '/w/a', value: 'new', createRevision: r1, modRevision: r2 },
      prevKv: { key: '/w/a', value: 'old', createRevision: r1, modRevision: r1 },
      revision: r2,
    });
    assert.equal(events[1]!.type, 'PUT');
    assert.equal(events[1]!.prevKv, undefined);
    assert.equal(events[1]!.revision, r3);
    assert.deepEqual(events[2], {
      type: 'DELETE',
      kv: { key: '/w/a', value: 'new', createRevision: r1, modRevision: r4 },
      prevKv: { key: '/w/a', value: 'new', createRevision: r1, modRevision: r2 },
      revision: r4,
    });
    w.watcher.close();
  },

  'watch delivers asynchronously, never inside the write': async (s) => {
    const w = collect(s, '/async/', 0);
    const p = s.create('/async/a', 'v');
    assert.equal(w.events.length, 0);
    await p;
    await w.waitFor(1);
    w.watcher.close();
  },

  'watch from a revision replays history with prevKv, filtered by prefix': async (s) => {
    const from = await s.currentRevision();
    const r1 = await s.create('/rp/a', '1');
    await s.create('/rq/a', 'other');
    const r3 = await s.update('/rp/a', '2', r1);
    const r4 = (await s.delete('/rp/a', r3)).revision;
    const w = collect(s, '/rp/', from);
    const events = await w.waitFor(3);
    assert.deepEqual(events.map((e) => [e.type, e.revision, e.kv.value, e.prevKv?.value]), [
      ['PUT', r1, '1', undefined],
      ['PUT', r3, '2', '1'],
      ['DELETE', r4, '2', '2'],
    ]);
    const r5 = await s.create('/rp/b', 'live');
    await w.waitFor(4);
    assert.equal(w.events[3]!.revision, r5);
    w.watcher.close();
  },

  'watch hands over from replay to live with no gap or duplicate under concurrent writes': async (s) => {
    const from = (await s.currentRevision()) + 7;
    // More history than one replay chunk, so the replay spans several event-loop turns.
    for (let i = 0; i < 2500; i += 500) await Promise.all(Array.from({ length: 500 }, (_, j) => s.create(`/ho/${i + j}`, 'x')));
    const w = collect(s, '/ho/', from);
    // Keep writing, across many ticks, while the replay runs.
    for (let i = 0; i < 40; i++) {
      await Promise.all(Array.from({ length: 25 }, (_, j) => s.create(`/ho/live-${i}-${j}`, 'y')));
    }
    const last = await s.currentRevision();
    await w.waitFor(last - from);
    await settle();
    assertContiguous(w.events, from, last);
    assert.deepEqual(w.errors, []);
    w.watcher.close();
  },

  'watch from a future revision waits for it': async (s) => {
    const now = await s.currentRevision();
    const w = collect(s, '/f/', now + 2);
    for (let i = 0; i < 4; i++) await s.create(`/f/${i}`, 'v');
    const events = await w.waitFor(2);
    await settle();
    assertContiguous(events, now + 2, now + 4);
    w.watcher.close();
  },

  'closed watchers get nothing more; other watchers are unaffected': async (s) => {
    const a = collect(s, '/x/', 0);
    const b = collect(s, '/x/', 0);
    await s.create('/x/1', 'v');
    await a.waitFor(1);
    a.watcher.close();
    a.watcher.close();
    await s.create('/x/2', 'v');
    await b.waitFor(2);
    await settle();
    assert.equal(a.events.length, 1);
    assert.deepEqual(a.errors, []);
    b.watcher.close();
  },

  'a throwing watcher ends only its own watch': async (s) => {
    const errors: Error[] = [];
    s.watch('/t/', { fromRevision: 0, onEvent: () => { throw new Error('boom'); }, onError: (e) => errors.push(e) });
    const ok = collect(s, '/t/', 0);
    await s.create('/t/1', 'v');
    await s.create('/t/2', 'v');
    await ok.waitFor(2);
    await settle();
    assert.deepEqual(errors.map((e) => e.message), ['boom']);
    ok.watcher.close();
  },

  'compaction drops history, keeps current values, and expires old revisions': async (s) => {
    const r1 = await s.create('/cp/a', 'a1');
    const r2 = await s.create('/cp/b', 'b1');
    const r3 = await s.update('/cp/a', 'a2', r1);
    const r4 = (await s.delete('/cp/b', r2)).revision;
    const r5 = await s.create('/cp/c', 'c1');
    const r6 = await s.update('/cp/c', 'c2', r5);
    const atR4 = await s.list('/cp/', { revision: r4 });
    await s.compact(r4);
    assert.equal(await s.compactedRevision(), r4);
    assert.throws(() => s.watch('/cp/', { fromRevision: r3, onEvent: () => {} }), (err: unknown) => err instanceof CompactedError && err.requested === r3);
    await assert.rejects(s.list('/cp/', { revision: r3 }), CompactedError);
    assert.deepEqual(await s.list('/cp/', { revision: r4 }), atR4);
    const w = collect(s, '/cp/', r4);
    const events = await w.waitFor(2);
    assert.deepEqual(events.map((e) => [e.revision, e.kv.value, e.prevKv?.value]), [[r5, 'c1', undefined], [r6, 'c2', 'c1']]);
    w.watcher.close();
    assert.deepEqual((await s.list('/cp/')).items.map((i) => [i.key, i.value, i.createRevision]), [['/cp/a', 'a2', r1], ['/cp/c', 'c2', r5]]);
    // Updating a key whose previous row predates the compaction still yields its prevKv.
    const w2 = collect(s, '/cp/a', r6);
    const r7 = await s.update('/cp/a', 'a3', r3);
    const [e7] = await w2.waitFor(1);
    assert.deepEqual([e7!.revision, e7!.prevKv?.value, e7!.prevKv?.modRevision], [r7, 'a2', r3]);
    w2.watcher.close();
    await s.compact(r7);
    assert.deepEqual((await s.list('/cp/')).items.map((i) => i.value), ['a3', 'c2']);
    await s.compact(r1);
    assert.equal(await s.compactedRevision(), r7);
    await assert.rejects(s.compact(r7 + 10), FutureRevisionError);
    assert.equal(await s.create('/cp/d', 'd'), r7 + 1);
  },

  'close ends watches with an error and rejects later calls': async (s) => {
    const w = collect(s, '/z/', 0);
    const pending = s.create('/z/1', 'v');
    await s.close();
    assert.ok((await pending) > 0);
    assert.equal(w.errors.length, 1);
    await assert.rejects(s.get('/z/1'));
    await assert.rejects(s.create('/z/2', 'v'));
    await s.close();
  },
};
