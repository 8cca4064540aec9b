// Two API servers on one etcd allocate ClusterIPs and NodePorts without ever handing one out
// twice: each allocation is the create of a per-value key (src/allocators/allocation-keys.ts),
// and on etcd that create is a transaction guarded by create_revision == 0, so the store decides
// between servers whose in-memory bitmaps know nothing of each other's allocations.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEtcdCluster } from '../src/storage/etcd/etcd-server.js';
import type { EtcdCluster } from '../src/storage/etcd/etcd-server.js';
import { startTestServer, type TestServer } from './helpers/apiserver.js';
import { ApiClient } from './helpers/http.js';

type Obj = any;

describe('two API servers on one etcd', () => {
  let etcd: EtcdCluster;
  const servers: TestServer[] = [];
  const clients: ApiClient[] = [];
  before(async () => {
    etcd = await startEtcdCluster();
    // Small ranges, so racing servers pick the same candidates often.
    const opts = { storage: `${etcd.url}?prefix=/alloc`, serviceClusterIPRange: '10.96.0.0/24', serviceNodePortRange: '30000-30299' };
    for (let i = 0; i < 2; i++) {
      const s = await startTestServer(opts);
      servers.push(s);
      clients.push(new ApiClient(s.cp.url, s.dataDir));
    }
  });
  after(async () => {
    for (const c of clients) c.close();
    for (const s of servers) await s.stop();
    await etcd?.stop();
  });

  it('never gives two of 200 racing Services the same ClusterIP or NodePort', async () => {
    const n = 200;
    const rs = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        clients[i % 2]!.request('POST', '/api/v1/namespaces/default/services', {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: `race-${i}` },
          spec: { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80 }] },
        }),
      ),
    );
    for (const r of rs) assert.equal(r.status, 201, r.text);
    const lists = await Promise.all(clients.map((c) => c.request('GET', '/api/v1/namespaces/default/services')));
    const byServer = lists.map((l) => (l.body.items as Obj[]).filter((o) => o.metadata.name.startsWith('race-')));
    // Both servers read the same objects from etcd.
    assert.deepEqual(
      byServer[0]!.map((o) => [o.metadata.name, o.metadata.resourceVersion]),
      byServer[1]!.map((o) => [o.metadata.name, o.metadata.resourceVersion]),
    );
    const mine = byServer[0]!;
    assert.equal(mine.length, n);
    const ips = mine.map((o) => o.spec.clusterIP as string);
    assert.equal(new Set(ips).size, n, 'duplicate ClusterIP');
    const ports = mine.map((o) => o.spec.ports[0].nodePort as number);
    assert.equal(new Set(ports).size, n, 'duplicate NodePort');
    // What the create responses said is what was stored.
    assert.deepEqual(rs.map((r) => r.body.spec.clusterIP).sort(), [...ips].sort());
    // The kubernetes Service both servers bootstrap holds its own, distinct ClusterIP.
    const kube = (await clients[0]!.request('GET', '/api/v1/namespaces/default/services/kubernetes')).body;
    assert.ok(!ips.includes(kube.spec.clusterIP));
  });
});
