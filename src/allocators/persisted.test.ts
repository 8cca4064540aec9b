import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MemoryStorage, SqliteStorage } from '../storage/index.js';
import type { Storage } from '../storage/index.js';
import { ClusterIPRange } from './cluster-ip.js';
import { AlreadyAllocatedError, NotInRangeError, RangeFullError } from './errors.js';
import { NodePortRange } from './node-port.js';
import { PersistedAllocator } from './persisted.js';
import { itemsPrefix, metaKey } from './allocation-keys.js';
import { serviceIPsKey, serviceNodePortsKey } from './range-allocation.js';
import { probeWrites, wrapStorage } from './testing-storage.js';

const dir = mkdtempSync(join(tmpdir(), 'svcnet-alloc-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `state-${n++}.db`);

const openIPs = (storage: Storage, cidr = '10.96.0.0/16', random?: (n: number) => number) =>
  PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange(cidr, random ? { random } : {}));
const openPorts = (storage: Storage) => PersistedAllocator.open(storage, serviceNodePortsKey, new NodePortRange());

describe('PersistedAllocator', () => {
  it('stores one small key per value and survives reopen (memory)', async () => {
    const storage = new MemoryStorage();
    const a = await openIPs(storage);
    await a.allocate('10.96.0.10');
    const ip = await a.allocateNext();
    // durable before the promise resolved: a fresh reader sees both
    const b = await openIPs(storage);
    assert.equal(b.has('10.96.0.10'), true);
    assert.equal(b.has(ip), true);
    assert.equal(b.used(), 2);
    const { items } = await storage.list(itemsPrefix(serviceIPsKey));
    assert.deepEqual(items.map((kv) => kv.key).sort(), [`${serviceIPsKey}/items/10.96.0.10`, `${serviceIPsKey}/items/${ip}`].sort());
    for (const kv of items) assert.ok(Number.isFinite(Date.parse((JSON.parse(kv.value) as { at: string }).at)));
    assert.deepEqual(JSON.parse((await storage.get(metaKey(serviceIPsKey)))!.value), { range: '10.96.0.0/16' });
    assert.equal(await storage.get(serviceIPsKey), undefined, 'no whole-bitmap key');
    await a.release('10.96.0.10');
    assert.equal(await storage.get(`${serviceIPsKey}/items/10.96.0.10`), undefined, 'a release deletes the key');
  });

  it('survives closing and reopening a sqlite store', async () => {
    const path = freshPath();
    const s1 = await SqliteStorage.open(path);
    const ips = await openIPs(s1);
    const ports = await openPorts(s1);
    await ips.allocate('10.96.0.1');
    const port = await ports.allocateNext();
    await ports.allocate(30080);
    await ips.release('10.96.0.1');
    await ips.allocate('10.96.3.3');
    await s1.close();
    const s2 = await SqliteStorage.open(path);
    const ips2 = await openIPs(s2);
    const ports2 = await openPorts(s2);
    assert.equal(ips2.has('10.96.0.1'), false);
    assert.equal(ips2.has('10.96.3.3'), true);
    assert.equal(ports2.has(port), true);
    assert.equal(ports2.has(30080), true);
    assert.equal(ports2.used(), 2);
    await s2.close();
  });

  it('100 concurrent allocateNext calls never duplicate: 100 small creates in one group commit (sqlite)', async () => {
    const inner = await SqliteStorage.open(freshPath());
    const { storage, log } = probeWrites(inner);
    const a = await openIPs(storage, '10.0.0.0/24');
    const before = log.turns.size;
    const ips = await Promise.all(Array.from({ length: 100 }, () => a.allocateNext()));
    log.stop();
    assert.equal(new Set(ips).size, 100);
    assert.equal(log.creates, 101, 'one create per IP, plus the range key written by open');
    assert.deepEqual([log.updates, log.deletes], [0, 0]);
    assert.equal(a.stats.writes, 100);
    assert.ok(Math.max(...log.sizes) < 100, `every write is small, largest ${Math.max(...log.sizes)} bytes`);
    assert.equal(log.turns.size - before, 1, 'all 100 creates were committed together');
    assert.equal((await openIPs(storage, '10.0.0.0/24')).used(), 100);
    await inner.close();
  });

  it('allocations from many concurrent workers share few group commits (sqlite)', async () => {
    const inner = await SqliteStorage.open(freshPath());
    const { storage, log } = probeWrites(inner);
    const a = await openIPs(storage, '10.96.0.0/16');
    const before = log.turns.size;
    // 100 workers, each allocating 5 times in sequence: 500 allocations.
    const results = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const mine: string[] = [];
        for (let i = 0; i < 5; i++) mine.push(await a.allocateNext());
        return mine;
      }),
    );
    log.stop();
    const all = results.flat();
    assert.equal(new Set(all).size, 500);
    assert.equal(log.creates - 1, 500);
    const commits = log.turns.size - before;
    assert.ok(commits <= 10, `expected about 5 group commits, got ${commits}`);
    assert.equal((await openIPs(storage)).used(), 500);
    await inner.close();
  });

  for (const driver of ['memory', 'sqlite'] as const) {
    it(`two API servers on one store never hand out the same IP (${driver})`, async () => {
      const storage = driver === 'memory' ? new MemoryStorage() : await SqliteStorage.open(freshPath());
      // Same deterministic random source on both: they race for the very same addresses.
      const a = await openIPs(storage, '10.96.0.0/16', () => 0);
      const b = await openIPs(storage, '10.96.0.0/16', () => 0);
      const work = (x: PersistedAllocator<string>) =>
        Promise.all(
          Array.from({ length: 20 }, async () => {
            const got: string[] = [];
            for (let i = 0; i < 10; i++) got.push(await x.allocateNext());
            return got;
          }),
        );
      const [ra, rb] = await Promise.all([work(a), work(b)]);
      const all = [...ra.flat(), ...rb.flat()];
      assert.equal(all.length, 400);
      assert.equal(new Set(all).size, 400, 'no IP handed out twice');
      assert.ok(a.stats.conflicts + b.stats.conflicts > 0, 'the race was real');
      const fresh = await openIPs(storage);
      assert.equal(fresh.used(), 400);
      for (const ip of all) assert.ok(fresh.has(ip));
      assert.equal(await storage.count(itemsPrefix(serviceIPsKey)), 400);
      await storage.close();
    });
  }

  it('a stale server re-picks a dynamic IP another server took', async () => {
    const storage = new MemoryStorage();
    const a = await openIPs(storage, '10.0.0.0/24', () => 0);
    const b = await openIPs(storage, '10.0.0.0/24', () => 0);
    assert.equal(await a.allocateNext(), '10.0.0.17');
    assert.equal(await b.allocateNext(), '10.0.0.18');
    assert.equal(b.stats.conflicts, 1);
  });

  it('exactly one of two servers gets a contested specific IP', async () => {
    const storage = new MemoryStorage();
    const a = await openIPs(storage);
    const b = await openIPs(storage);
    const results = await Promise.allSettled([a.allocate('10.96.0.50'), b.allocate('10.96.0.50')]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(ok.length, 1);
    assert.equal(failed.length, 1);
    assert.ok(failed[0]!.reason instanceof AlreadyAllocatedError);
    assert.equal(failed[0]!.reason.message, 'provided IP is already allocated');
    assert.equal((await openIPs(storage)).has('10.96.0.50'), true);
  });

  it('sees releases and allocations made by another server', async () => {
    const storage = new MemoryStorage();
    const a = await openIPs(storage);
    const b = await openIPs(storage);
    await a.allocate('10.96.0.60');
    // b never saw the allocation, but its release must still reach the store
    await b.release('10.96.0.60');
    assert.equal((await openIPs(storage)).has('10.96.0.60'), false);
    // and a, which still believes it is taken, looks again before refusing
    await a.allocate('10.96.0.60');
    assert.equal((await openIPs(storage)).has('10.96.0.60'), true);
  });

  it('fails callers whose write failed, and recovers afterwards', async () => {
    const inner = new MemoryStorage();
    let broken = false;
    const storage = wrapStorage(inner, {
      create: async (k, v) => {
        if (broken) throw new Error('disk on fire');
        return inner.create(k, v);
      },
    });
    const a = await openIPs(storage);
    broken = true;
    await assert.rejects(a.allocate('10.96.0.7'), /disk on fire/);
    broken = false;
    await a.allocate('10.96.0.8');
    const fresh = await openIPs(inner);
    assert.equal(fresh.has('10.96.0.7'), false);
    assert.equal(fresh.has('10.96.0.8'), true);
    assert.equal(a.has('10.96.0.7'), false, 'memory does not claim a value that may be free');
    await a.allocate('10.96.0.7');
    assert.equal((await openIPs(inner)).has('10.96.0.7'), true);
  });

  it('errors of the core reach the caller without a write', async () => {
    const { storage, log } = probeWrites(new MemoryStorage());
    const a = await openIPs(storage);
    await assert.rejects(a.allocate('192.168.1.1'), NotInRangeError);
    await assert.rejects(a.allocate('not-an-ip'), /failed to parse service IP/);
    await a.allocate('10.96.0.9');
    await assert.rejects(a.allocate('10.96.0.9'), AlreadyAllocatedError);
    log.stop();
    assert.equal(log.creates, 2, 'the range key and 10.96.0.9');
  });

  it('re-reads the store before answering "range is full"', async () => {
    const storage = new MemoryStorage();
    const a = await openIPs(storage, '10.0.0.0/28');
    const b = await openIPs(storage, '10.0.0.0/28');
    const taken = await Promise.all(Array.from({ length: 14 }, () => a.allocateNext()));
    // b's memory is empty: it tries values a holds, learns they are taken, then finds the range full.
    await assert.rejects(b.allocateNext(), RangeFullError);
    assert.equal(b.used(), 14);
    await a.release(taken[3]!);
    // b still believes everything is taken; it looks again before saying no.
    assert.equal(await b.allocateNext(), taken[3]);
    assert.ok(b.stats.reloads >= 1);
  });

  it('serializes operations on one value: release then allocate of the same IP', async () => {
    const storage = new MemoryStorage();
    const a = await openIPs(storage);
    await a.allocate('10.96.0.30');
    const [, , third] = await Promise.allSettled([a.release('10.96.0.30'), a.allocate('10.96.0.30'), a.allocate('10.96.0.30')]);
    assert.equal(third.status, 'rejected');
    assert.ok((third as PromiseRejectedResult).reason instanceof AlreadyAllocatedError);
    assert.equal((await openIPs(storage)).has('10.96.0.30'), true);
  });

  it('ports are stored under servicenodeports by number', async () => {
    const storage = new MemoryStorage();
    const ports = await openPorts(storage);
    await ports.allocate(30080);
    await assert.rejects(ports.allocate(30080), /provided port is already allocated/);
    assert.ok(await storage.get(`${serviceNodePortsKey}/items/30080`));
    assert.deepEqual(JSON.parse((await storage.get(metaKey(serviceNodePortsKey)))!.value), { range: '30000-32767' });
  });
});

describe('transactions and dry run', () => {
  it('revert releases everything the transaction took, across allocators', async () => {
    const storage = new MemoryStorage();
    const v4 = await openIPs(storage);
    const v6 = await PersistedAllocator.open(storage, '/registry/ranges/secondaryserviceips', new ClusterIPRange('fd00::/108'));
    const ports = await openPorts(storage);
    const { AllocationTransaction } = await import('./transaction.js');
    const txn = new AllocationTransaction();
    await txn.allocate(v4, '10.96.0.10');
    const ip6 = await txn.allocateNext(v6);
    const p1 = await txn.allocateNext(ports);
    await txn.allocate(ports, 30080);
    assert.deepEqual(txn.allocatedFrom(ports), [p1, 30080]);
    assert.equal((await openPorts(storage)).used(), 2, 'allocations are durable before commit');
    await txn.revert();
    assert.equal(v4.has('10.96.0.10'), false);
    assert.equal(v6.has(ip6), false);
    assert.equal(ports.used(), 0);
    assert.equal((await openPorts(storage)).used(), 0);
    assert.equal((await openIPs(storage)).used(), 0);
    await assert.rejects(async () => txn.allocate(v4, '10.96.0.11'), /already committed or reverted/);
  });

  it('commit keeps allocations and performs deferred releases', async () => {
    const storage = new MemoryStorage();
    const ports = await openPorts(storage);
    await ports.allocate(30500);
    const txn = ports.transaction();
    await txn.allocate(30501);
    txn.releaseOnCommit(30500);
    assert.equal(ports.has(30500), true, 'release waits for commit');
    await txn.commit();
    assert.equal(ports.has(30500), false);
    assert.equal(ports.has(30501), true);
    const fresh = await openPorts(storage);
    assert.deepEqual([fresh.has(30500), fresh.has(30501)], [false, true]);
  });

  it('revert after a failed allocation releases only what was taken', async () => {
    const storage = new MemoryStorage();
    const ports = await openPorts(storage);
    await ports.allocate(30080);
    const txn = ports.transaction();
    const first = await txn.allocateNext();
    await assert.rejects(txn.allocate(30080), AlreadyAllocatedError);
    await txn.revert();
    assert.equal(ports.has(first), false);
    assert.equal(ports.has(30080), true, 'the other owner keeps its port');
  });

  it('dry run takes and writes nothing', async () => {
    const storage = new MemoryStorage();
    const ips = await openIPs(storage, '10.96.0.0/12');
    const ports = await openPorts(storage);
    await ips.allocate('10.96.0.10');
    await ports.allocate(30080);
    const rev = await storage.currentRevision();

    const t = ips.transaction({ dryRun: true });
    assert.equal(await t.allocateNext(), '10.96.0.0', 'network address placeholder');
    await t.allocate('10.96.0.10'); // upstream's dry run only checks the range
    await assert.rejects(t.allocate('192.168.1.1'), NotInRangeError);
    await t.revert();

    const tp = ports.transaction({ dryRun: true });
    assert.equal(await tp.allocateNext(), 32769);
    assert.equal(await tp.allocateNext(), 32770);
    await assert.rejects(tp.allocate(30080), AlreadyAllocatedError);
    await tp.allocate(30081);
    await assert.rejects(tp.allocate(30081), AlreadyAllocatedError);
    tp.releaseOnCommit(30080);
    await tp.commit();

    assert.equal(await ips.allocateNext({ dryRun: true }), '10.96.0.0');
    await ips.allocate('10.96.0.99', { dryRun: true });
    await ports.release(30080, { dryRun: true });
    await ips.flush();
    await ports.flush();
    assert.equal(await storage.currentRevision(), rev, 'nothing was written');
    assert.equal(ips.used(), 1);
    assert.equal(ports.used(), 1);
    assert.equal(ports.has(30081), false);
    assert.equal(ips.has('10.96.0.99'), false);
  });
});
