import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MemoryStorage, SqliteStorage } from '../storage/index.js';
import type { Storage } from '../storage/index.js';
import { ClusterIPRange } from './cluster-ip.js';
import { AlreadyAllocatedError, NotInRangeError } from './errors.js';
import { NodePortRange } from './node-port.js';
import { PersistedAllocator } from './persisted.js';
import { serviceIPsKey, serviceNodePortsKey } from './range-allocation.js';
import type { RangeAllocation } from './range-allocation.js';

const dir = mkdtempSync(join(tmpdir(), 'svcnet-alloc-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `state-${n++}.db`);

/** The store with some methods replaced (the drivers keep #private state, so no prototype tricks). */
function wrapStorage(inner: Storage, overrides: Partial<Storage>): Storage {
  return new Proxy(inner, {
    get(target, prop) {
      if (prop in overrides) return overrides[prop as keyof Storage];
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/** Counts the writes that reach the store. */
function countingStorage(inner: Storage): Storage & { updates: number } {
  const counter = { updates: 0 };
  const s = wrapStorage(inner, {
    update: async (key, value, rev) => {
      counter.updates++;
      return inner.update(key, value, rev);
    },
  });
  return Object.defineProperty(s, 'updates', { get: () => counter.updates }) as Storage & { updates: number };
}

const openIPs = (storage: Storage, cidr = '10.96.0.0/16', random?: (n: number) => number) =>
  PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange(cidr, random ? { random } : {}));
const openPorts = (storage: Storage) => PersistedAllocator.open(storage, serviceNodePortsKey, new NodePortRange());

describe('PersistedAllocator', () => {
  it('stores a RangeAllocation and survives reopen (memory)', async () => {
    const storage = new MemoryStorage();
    const a = await openIPs(storage);
    await a.allocate('10.96.0.10');
    const ip = await a.allocateNext();
    // durable before the promise resolved: a fresh reader sees both
    const b = await openIPs(storage);
    assert.equal(b.has('10.96.0.10'), true);
    assert.equal(b.has(ip), true);
    assert.equal(b.used(), 2);
    const stored = JSON.parse((await storage.get(serviceIPsKey))!.value) as RangeAllocation;
    assert.equal(stored.kind, 'RangeAllocation');
    assert.equal(stored.range, '10.96.0.0/16');
    assert.ok(Buffer.from(stored.data, 'base64').length > 0);
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

  it('100 concurrent allocateNext calls never duplicate and share one write', async () => {
    const storage = countingStorage(new MemoryStorage());
    const a = await openIPs(storage, '10.0.0.0/24');
    const ips = await Promise.all(Array.from({ length: 100 }, () => a.allocateNext()));
    assert.equal(new Set(ips).size, 100);
    assert.equal(storage.updates, 1);
    assert.equal(a.stats.writes, 1);
    assert.equal((await openIPs(storage, '10.0.0.0/24')).used(), 100);
  });

  it('coalesces allocations that arrive while a write is in flight (sqlite)', async () => {
    const inner = await SqliteStorage.open(freshPath());
    const storage = countingStorage(inner);
    const a = await openIPs(storage, '10.96.0.0/16');
    // 100 workers, each allocating 5 times in sequence: 500 allocations.
    const results = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const mine: string[] = [];
        for (let i = 0; i < 5; i++) mine.push(await a.allocateNext());
        return mine;
      }),
    );
    const all = results.flat();
    assert.equal(new Set(all).size, 500);
    assert.ok(storage.updates <= 20, `expected few writes, got ${storage.updates}`);
    assert.equal((await openIPs(storage)).used(), 500);
    await inner.close();
  });

  it('two API servers on one store never hand out the same IP', async () => {
    const storage = new MemoryStorage();
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
  });

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
      update: async (k, v, r) => {
        if (broken) throw new Error('disk on fire');
        return inner.update(k, v, r);
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
    assert.equal(a.has('10.96.0.7'), false, 'memory reloaded from the store');
  });

  it('errors of the core reach the caller without a write', async () => {
    const storage = countingStorage(new MemoryStorage());
    const a = await openIPs(storage);
    await assert.rejects(a.allocate('192.168.1.1'), NotInRangeError);
    await a.allocate('10.96.0.9');
    await assert.rejects(a.allocate('10.96.0.9'), AlreadyAllocatedError);
    assert.equal(storage.updates, 1);
  });

  it('carries over a snapshot written for another range', async () => {
    const storage = new MemoryStorage();
    const old = await openIPs(storage, '10.96.0.0/24');
    await old.allocate('10.96.0.5');
    await old.allocate('10.96.0.200');
    const grown = await openIPs(storage, '10.96.0.0/16');
    assert.equal(grown.has('10.96.0.5'), true);
    assert.equal(grown.has('10.96.0.200'), true);
    await grown.allocate('10.96.9.9');
    const stored = JSON.parse((await storage.get(serviceIPsKey))!.value) as RangeAllocation;
    assert.equal(stored.range, '10.96.0.0/16');
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
