import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStorage } from '../storage/index.js';
import { ClusterIPRange } from './cluster-ip.js';
import { NodePortRange } from './node-port.js';
import { PersistedAllocator } from './persisted.js';
import { secondaryServiceIPsKey, serviceIPsKey, serviceNodePortsKey } from './range-allocation.js';
import { collectServiceNodePortsForRepair as collectServiceNodePorts } from '../api/service.js';
import type { Protocol, Service } from '../api/types/core/v1.js';
import { repairClusterIPs, repairNodePorts } from './repair.js';
import type { EventRecorder, EventType } from './repair.js';

interface Recorded {
  readonly service: string;
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
}

function recorder(): EventRecorder & { events: Recorded[] } {
  const events: Recorded[] = [];
  return {
    events,
    event(service, type, reason, message) {
      events.push({ service: service.metadata?.name ?? '', type, reason, message });
    },
  };
}

const svc = (name: string, clusterIPs: string[]): Service => ({
  metadata: { name, namespace: 'default' },
  spec: { clusterIP: clusterIPs[0] ?? '', clusterIPs },
});

const np = (name: string, ports: Array<[number, Protocol?]>, healthCheckNodePort?: number): Service => ({
  metadata: { name, namespace: 'default' },
  spec: {
    clusterIP: '10.96.0.1',
    clusterIPs: ['10.96.0.1'],
    ports: ports.map(([nodePort, protocol]) => ({ port: 80, nodePort, protocol: protocol ?? 'TCP' })),
    ...(healthCheckNodePort ? { healthCheckNodePort } : {}),
  },
});

describe('repairClusterIPs', () => {
  it('rebuilds from Services with upstream warning events', async () => {
    const storage = new MemoryStorage();
    const alloc = await PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange('10.96.0.0/16'));
    await alloc.allocate('10.96.0.10');
    const services = [
      svc('ok', ['10.96.0.10']),
      svc('missing', ['10.96.5.5']),
      svc('dup', ['10.96.0.10']),
      svc('outside', ['192.168.1.1']),
      svc('garbage', ['not-an-ip']),
      svc('v6', ['fd00::5']),
      svc('headless', ['None']),
      { metadata: { name: 'external' }, spec: {} },
    ];
    const rec = recorder();
    await repairClusterIPs(services, alloc, rec);
    assert.deepEqual(rec.events, [
      { service: 'missing', type: 'Warning', reason: 'ClusterIPNotAllocated', message: 'Cluster IP [IPv4]:10.96.5.5 is not allocated; repairing' },
      {
        service: 'dup',
        type: 'Warning',
        reason: 'ClusterIPAlreadyAllocated',
        message: 'Cluster IP [IPv4]:10.96.0.10 was assigned to multiple services; please recreate service',
      },
      {
        service: 'outside',
        type: 'Warning',
        reason: 'ClusterIPOutOfRange',
        message: 'Cluster IP [IPv4]:192.168.1.1 is not within the service CIDR 10.96.0.0/16; please recreate service',
      },
      { service: 'garbage', type: 'Warning', reason: 'ClusterIPNotValid', message: 'Cluster IP <nil> is not a valid IP; please recreate service' },
      {
        service: 'v6',
        type: 'Warning',
        reason: 'ClusterIPNotValid',
        message: 'Cluster IP fd00::5(IPv6) is of ip family that is no longer configured on cluster; please recreate service',
      },
    ]);
    // The missing IP was stored, and the live allocator knows it.
    assert.equal(alloc.has('10.96.5.5'), true);
    const fresh = await PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange('10.96.0.0/16'));
    assert.deepEqual([fresh.has('10.96.0.10'), fresh.has('10.96.5.5'), fresh.used()], [true, true, 2]);
    // A second pass finds nothing to say.
    const rec2 = recorder();
    await repairClusterIPs(services.slice(0, 2), alloc, rec2);
    assert.deepEqual(rec2.events, []);
  });

  it('keeps a leaked IP for two passes and frees it on the third', async () => {
    const storage = new MemoryStorage();
    const alloc = await PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange('10.96.0.0/16'));
    await alloc.allocate('10.96.0.77');
    await alloc.allocate('10.96.0.10');
    const services = [svc('dns', ['10.96.0.10'])];
    const leaks = new Map<string, number>();
    const rec = recorder();
    const r1 = await repairClusterIPs(services, alloc, rec, leaks);
    assert.deepEqual(r1, { kept: ['10.96.0.77'], freed: [] });
    assert.equal(alloc.has('10.96.0.77'), true);
    const r2 = await repairClusterIPs(services, alloc, rec, leaks);
    assert.deepEqual(r2, { kept: ['10.96.0.77'], freed: [] });
    const r3 = await repairClusterIPs(services, alloc, rec, leaks);
    assert.deepEqual(r3, { kept: [], freed: ['10.96.0.77'] });
    assert.equal(alloc.has('10.96.0.77'), false);
    assert.equal(alloc.has('10.96.0.10'), true);
    const fresh = await PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange('10.96.0.0/16'));
    assert.equal(fresh.has('10.96.0.77'), false);
    assert.equal(rec.events.length, 0);
  });

  it('a Service appearing during the grace clears the leak count', async () => {
    const storage = new MemoryStorage();
    const alloc = await PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange('10.96.0.0/16'));
    await alloc.allocate('10.96.0.77');
    const leaks = new Map<string, number>();
    await repairClusterIPs([], alloc, recorder(), leaks);
    await repairClusterIPs([], alloc, recorder(), leaks);
    await repairClusterIPs([svc('late', ['10.96.0.77'])], alloc, recorder(), leaks);
    assert.equal(leaks.has('10.96.0.77'), false);
    const r = await repairClusterIPs([], alloc, recorder(), leaks);
    assert.deepEqual(r.kept, ['10.96.0.77'], 'full grace again');
  });

  it('repairs both families of a dual-stack cluster', async () => {
    const storage = new MemoryStorage();
    const v4 = await PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange('10.96.0.0/16'));
    const v6 = await PersistedAllocator.open(storage, secondaryServiceIPsKey, new ClusterIPRange('fd00::/108'));
    const rec = recorder();
    await repairClusterIPs([svc('dual', ['10.96.0.20', 'fd00::20']), svc('bad6', ['fd01::1'])], [v4, v6], rec);
    assert.equal(v4.has('10.96.0.20'), true);
    assert.equal(v6.has('fd00::20'), true);
    assert.deepEqual(
      rec.events.map((e) => e.message),
      [
        'Cluster IP [IPv4]:10.96.0.20 is not allocated; repairing',
        'Cluster IP [IPv6]:fd00::20 is not allocated; repairing',
        'Cluster IP [IPv6]:fd01::1 is not within the service CIDR fd00::/108; please recreate service',
      ],
    );
  });

  it('an allocation landing during a pass is neither freed nor a conflict', async () => {
    const storage = new MemoryStorage();
    const alloc = await PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange('10.96.0.0/16'));
    const other = await PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange('10.96.0.0/16'));
    let lists = 0;
    const source = async () => {
      // Another API server allocates after the repair read the store (its Service is not written yet).
      if (lists++ === 0) await other.allocate('10.96.0.99');
      return [svc('a', ['10.96.0.5'])];
    };
    const r = await repairClusterIPs(source, alloc, recorder());
    assert.equal(lists, 1, 'independent keys: nothing to redo');
    assert.deepEqual(r, { kept: [], freed: [] });
    const fresh = await PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange('10.96.0.0/16'));
    assert.deepEqual([fresh.has('10.96.0.99'), fresh.has('10.96.0.5')], [true, true]);
  });

  it('starts over when a missing IP gets allocated between reading and saving', async () => {
    const storage = new MemoryStorage();
    const alloc = await PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange('10.96.0.0/16'));
    const other = await PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange('10.96.0.0/16'));
    let lists = 0;
    const source = async () => {
      if (lists++ === 0) await other.allocate('10.96.0.5');
      return [svc('a', ['10.96.0.5'])];
    };
    const rec = recorder();
    const r = await repairClusterIPs(source, alloc, rec);
    assert.equal(lists, 2, 'the create found the key and the pass was redone');
    assert.deepEqual(r, { kept: [], freed: [] });
    assert.deepEqual(
      rec.events.map((e) => e.reason),
      ['ClusterIPNotAllocated'],
      'only the first pass, which had read the store before the allocation, reported it',
    );
    assert.equal(alloc.has('10.96.0.5'), true);
  });

  it('does not free a leaked IP that was released and allocated again since it was read', async () => {
    const storage = new MemoryStorage();
    const alloc = await PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange('10.96.0.0/16'));
    const other = await PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange('10.96.0.0/16'));
    await alloc.allocate('10.96.0.77');
    const leaks = new Map<string, number>();
    await repairClusterIPs([], alloc, recorder(), leaks);
    await repairClusterIPs([], alloc, recorder(), leaks);
    // On the third pass, after the store was read: released and handed out again elsewhere.
    const source = async () => {
      await other.release('10.96.0.77');
      await other.allocate('10.96.0.77');
      return [];
    };
    const r = await repairClusterIPs(source, alloc, recorder(), leaks);
    assert.deepEqual(r, { kept: [], freed: [] });
    assert.equal(leaks.has('10.96.0.77'), false, 'the new allocation gets a full grace');
    assert.ok(await storage.get(`${serviceIPsKey}/items/10.96.0.77`), 'the new allocation survives');
  });

  it('keeps the key of an out-of-range IP a Service holds, and frees an unused one after the grace', async () => {
    const storage = new MemoryStorage();
    const old = await PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange('10.96.0.0/24'));
    await old.allocate('10.96.0.200');
    await old.allocate('10.96.0.201');
    const alloc = await PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange('10.96.0.0/25'));
    const services = [svc('held', ['10.96.0.200'])];
    const leaks = new Map<string, number>();
    const rec = recorder();
    for (let i = 0; i < 3; i++) await repairClusterIPs(services, alloc, rec, leaks);
    assert.deepEqual(
      [...new Set(rec.events.map((e) => e.message))],
      ['Cluster IP [IPv4]:10.96.0.200 is not within the service CIDR 10.96.0.0/25; please recreate service'],
    );
    assert.ok(await storage.get(`${serviceIPsKey}/items/10.96.0.200`), 'held by a Service');
    assert.equal(await storage.get(`${serviceIPsKey}/items/10.96.0.201`), undefined, 'leaked, freed on the third pass');
  });

  it('forgets the count of a leaked IP once it is released, so its next allocation gets a full grace', async () => {
    const storage = new MemoryStorage();
    const alloc = await PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange('10.96.0.0/16'));
    await alloc.allocate('10.96.0.42');
    const leaks = new Map<string, number>();
    await repairClusterIPs([], alloc, recorder(), leaks);
    await repairClusterIPs([], alloc, recorder(), leaks);
    assert.equal(leaks.get('10.96.0.42'), 0, 'the next pass would free it');
    await alloc.release('10.96.0.42');
    await repairClusterIPs([], alloc, recorder(), leaks);
    assert.equal(leaks.has('10.96.0.42'), false);
    // Allocated again while a pass runs (its Service not written yet): kept, not freed on sight.
    const pending = alloc.allocate('10.96.0.42');
    const r = await repairClusterIPs([], alloc, recorder(), leaks);
    await pending;
    assert.deepEqual(r, { kept: ['10.96.0.42'], freed: [] });
    assert.equal((await PersistedAllocator.open(storage, serviceIPsKey, new ClusterIPRange('10.96.0.0/16'))).has('10.96.0.42'), true);
  });
});

describe('repairNodePorts', () => {
  it('collects nodePorts as upstream does', () => {
    assert.deepEqual(collectServiceNodePorts(np('a', [[30053, 'TCP'], [30053, 'UDP']])), [30053]);
    assert.deepEqual(collectServiceNodePorts(np('b', [[30080], [30080]])), [30080, 30080]);
    assert.deepEqual(collectServiceNodePorts(np('c', [[30080]], 30100)), [30080, 30100]);
    assert.deepEqual(collectServiceNodePorts(np('d', [[30100, 'UDP']], 30100)), [30100]);
  });

  it('rebuilds from Services with upstream warning events and leak grace', async () => {
    const storage = new MemoryStorage();
    const ports = await PersistedAllocator.open(storage, serviceNodePortsKey, new NodePortRange());
    await ports.allocate(30080);
    await ports.allocate(31000); // leaked
    const services = [
      np('web', [[30080]]),
      np('dns', [[30053, 'TCP'], [30053, 'UDP']], 30054),
      np('dup', [[30080]]),
      np('low', [[80]]),
    ];
    const rec = recorder();
    const leaks = new Map<number, number>();
    const r1 = await repairNodePorts(services, ports, rec, leaks);
    assert.deepEqual(rec.events, [
      { service: 'dns', type: 'Warning', reason: 'PortNotAllocated', message: 'Port 30053 is not allocated; repairing' },
      { service: 'dns', type: 'Warning', reason: 'PortNotAllocated', message: 'Port 30054 is not allocated; repairing' },
      { service: 'dup', type: 'Warning', reason: 'PortAlreadyAllocated', message: 'Port 30080 was assigned to multiple services; please recreate service' },
      { service: 'low', type: 'Warning', reason: 'PortOutOfRange', message: 'Port 80 is not within the port range 30000-32767; please recreate service' },
    ]);
    assert.deepEqual(r1.kept, [31000]);
    assert.deepEqual([ports.has(30053), ports.has(30054), ports.has(31000)], [true, true, true]);
    await repairNodePorts(services, ports, recorder(), leaks);
    const r3 = await repairNodePorts(services, ports, recorder(), leaks);
    assert.deepEqual(r3.freed, [31000]);
    const fresh = await PersistedAllocator.open(storage, serviceNodePortsKey, new NodePortRange());
    assert.deepEqual([fresh.has(31000), fresh.has(30080), fresh.used()], [false, true, 3]);
  });
});
