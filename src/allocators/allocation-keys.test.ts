import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStorage } from '../storage/index.js';
import type { Storage } from '../storage/index.js';
import { itemKey, itemsPrefix, listStoredValues, metaKey } from './allocation-keys.js';
import { ClusterIPRange } from './cluster-ip.js';
import { NodePortRange } from './node-port.js';
import { PersistedAllocator } from './persisted.js';
import { encodeRangeAllocation, serviceIPsKey, serviceNodePortsKey } from './range-allocation.js';

const openIPs = (storage: Storage, cidr = '10.96.0.0/16') => PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange(cidr));

/** Writes what an earlier svcnet (or kube-apiserver 1.32) stored: the whole bitmap in one key. */
async function seedLegacy(storage: Storage, cidr: string, ips: readonly string[]): Promise<void> {
  const core = new ClusterIPRange(cidr);
  for (const ip of ips) core.allocate(ip);
  await storage.create(serviceIPsKey, encodeRangeAllocation(core));
}

describe('stored values', () => {
  it('lists only canonical value keys and skips foreign ones', async () => {
    const storage = new MemoryStorage();
    await storage.create(itemKey(serviceNodePortsKey, 30080), '{}');
    await storage.create(`${itemsPrefix(serviceNodePortsKey)}030081`, '{}');
    await storage.create(`${itemsPrefix(serviceNodePortsKey)}http`, '{}');
    const values = await listStoredValues(storage, serviceNodePortsKey, new NodePortRange());
    assert.deepEqual([...values.keys()], [30080]);
  });
});

describe('range changes', () => {
  it('a grown range keeps every stored value and records the new range', async () => {
    const storage = new MemoryStorage();
    const old = await openIPs(storage, '10.96.0.0/24');
    await old.allocate('10.96.0.5');
    await old.allocate('10.96.0.200');
    assert.equal(old.previousRange, undefined);
    const grown = await openIPs(storage, '10.96.0.0/16');
    assert.equal(grown.previousRange, '10.96.0.0/24');
    assert.deepEqual([grown.has('10.96.0.5'), grown.has('10.96.0.200'), grown.used()], [true, true, 2]);
    assert.deepEqual(JSON.parse((await storage.get(metaKey(serviceIPsKey)))!.value), { range: '10.96.0.0/16' });
    assert.equal((await openIPs(storage, '10.96.0.0/16')).previousRange, undefined, 'noticed once');
  });

  it('a shrunk range leaves values outside it to the repair loop', async () => {
    const storage = new MemoryStorage();
    const old = await openIPs(storage, '10.96.0.0/24');
    await old.allocate('10.96.0.5');
    await old.allocate('10.96.0.200');
    const shrunk = await openIPs(storage, '10.96.0.0/25');
    assert.equal(shrunk.previousRange, '10.96.0.0/24');
    assert.deepEqual([shrunk.has('10.96.0.5'), shrunk.has('10.96.0.200'), shrunk.used()], [true, false, 1]);
    // Still stored (a Service may hold it; repair reports or frees it) ...
    const { values } = await shrunk.readStored();
    assert.deepEqual([...values.keys()].sort(), ['10.96.0.200', '10.96.0.5']);
    // ... and the Service's release removes it.
    await shrunk.release('10.96.0.200');
    assert.equal(await storage.get(itemKey(serviceIPsKey, '10.96.0.200')), undefined);
  });
});

describe('migration from the whole-bitmap key', () => {
  it('imports the legacy bitmap once as value keys and deletes it', async () => {
    const storage = new MemoryStorage();
    await seedLegacy(storage, '10.96.0.0/16', ['10.96.0.1', '10.96.0.10', '10.96.200.7']);
    const a = await openIPs(storage);
    assert.deepEqual([a.has('10.96.0.1'), a.has('10.96.0.10'), a.has('10.96.200.7'), a.used()], [true, true, true, 3]);
    assert.equal(await storage.get(serviceIPsKey), undefined, 'the legacy key is gone');
    assert.equal(await storage.count(itemsPrefix(serviceIPsKey)), 3);
    assert.equal(a.previousRange, undefined);
    await assert.rejects(a.allocate('10.96.0.10'), /provided IP is already allocated/);
    const rev = await storage.currentRevision();
    assert.equal((await openIPs(storage)).used(), 3);
    assert.equal(await storage.currentRevision(), rev, 'a second open writes nothing');
  });

  it('a legacy bitmap of another range is imported and the range change noticed', async () => {
    const storage = new MemoryStorage();
    await seedLegacy(storage, '10.96.0.0/24', ['10.96.0.5', '10.96.0.200']);
    const a = await openIPs(storage, '10.96.0.0/25');
    assert.equal(a.previousRange, '10.96.0.0/24');
    assert.deepEqual([a.has('10.96.0.5'), a.has('10.96.0.200')], [true, false]);
    assert.equal(await storage.count(itemsPrefix(serviceIPsKey)), 2, 'the out-of-range value is kept for repair');
  });

  it('two API servers migrating at once agree', async () => {
    const storage = new MemoryStorage();
    await seedLegacy(storage, '10.96.0.0/16', ['10.96.0.1', '10.96.3.3']);
    const [a, b] = await Promise.all([openIPs(storage), openIPs(storage)]);
    assert.deepEqual([a.used(), b.used()], [2, 2]);
    assert.equal(await storage.get(serviceIPsKey), undefined);
    assert.equal(await storage.count(itemsPrefix(serviceIPsKey)), 2);
  });

  it('ports migrate too', async () => {
    const storage = new MemoryStorage();
    const legacy = new NodePortRange();
    legacy.allocate(30080);
    legacy.allocate(32767);
    await storage.create(serviceNodePortsKey, encodeRangeAllocation(legacy));
    const ports = await PersistedAllocator.open(storage, serviceNodePortsKey, new NodePortRange());
    assert.deepEqual([ports.has(30080), ports.has(32767), ports.used()], [true, true, 2]);
    assert.ok(await storage.get(itemKey(serviceNodePortsKey, 32767)));
  });
});
