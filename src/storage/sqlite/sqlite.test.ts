import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runStorageSuite } from '../conformance.js';
import { openStorage } from '../registry.js';
import { SqliteStorage } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'svcnet-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `state-${n++}.db`);

runStorageSuite({ name: 'sqlite', newStorage: async () => SqliteStorage.open(freshPath()) });

describe('sqlite driver', () => {
  it('reopening keeps data, compaction and the revision counter', async () => {
    const path = freshPath();
    const s1 = await SqliteStorage.open(path);
    const r1 = await s1.create('/a', '1');
    const r2 = await s1.update('/a', '2', r1);
    const r3 = (await s1.delete('/a')).revision;
    await s1.compact(r3);
    await s1.close();
    const s2 = await SqliteStorage.open(path);
    assert.equal(await s2.currentRevision(), r3);
    assert.equal(await s2.compactedRevision(), r3);
    assert.equal(await s2.get('/a'), undefined);
    // The delete at r3 was the newest row; its revision must not be handed out again.
    assert.equal(await s2.create('/a', '3'), r3 + 1);
    assert.ok(r2 < r3);
    await s2.close();
  });

  it('refuses a second process-level opener of the same file', async () => {
    const path = freshPath();
    const s1 = await SqliteStorage.open(path);
    assert.throws(() => new SqliteStorage(path), /in use by another process/);
    await s1.close();
  });

  it('keeps keys with unusual characters in prefix order', async () => {
    const s = await SqliteStorage.open(freshPath());
    for (const k of ['/u/\uffff', '/u/\u{1F600}', '/u/a', '/u\u{10FFFF}x', '/v']) await s.create(k, k);
    assert.deepEqual((await s.list('/u/')).items.map((i) => i.key), ['/u/a', '/u/\uffff', '/u/\u{1F600}']);
    assert.equal(await s.count('/u'), 4);
    await s.close();
  });
});

describe('storage registry', () => {
  it('opens drivers by URL scheme', async () => {
    const abs = await openStorage(`sqlite://${freshPath()}`);
    assert.equal(abs.name, 'sqlite');
    await abs.close();
    const mem = await openStorage('memory://');
    assert.equal(mem.name, 'memory');
    await mem.close();
  });

  it('names the supported schemes for an unknown one', async () => {
    await assert.rejects(openStorage('postgres://db/x'), /unsupported storage scheme "postgres".*memory:\/\/, sqlite:\/\//);
    await assert.rejects(openStorage('/just/a/path'), /invalid storage URL/);
  });
});
