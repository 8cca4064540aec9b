// ClusterIP and NodePort allocation seen from outside: exhaustion and the requested-value errors
// (pkg/registry/core/service/ipallocator and portallocator texts, wrapped by alloc.go), ownership
// across a restart on the same data, no duplicates under concurrent creates, release on delete,
// and the type changes of the Service conformance tests at API level.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startControlPlane, type ControlPlane } from '../src/cluster/control-plane.js';
import { createLogger } from '../src/util/logger.js';
import { startTestServer, type TestServer } from './helpers/apiserver.js';
import { ApiClient } from './helpers/http.js';
import { Kubectl, kubectlBinary } from './helpers/kubectl.js';

type Obj = Record<string, any>;
const svc = (name: string, spec: Obj): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec });
const P80 = [{ port: 80 }];
const docs = (ms: readonly Obj[]) => ms.map((m) => stringify(m)).join('---\n');
const created = (names: readonly string[]) => names.map((n) => `service/${n} created\n`).join('');

async function listServices(k: Kubectl): Promise<Obj[]> {
  return (parse(await k.ok(['get', 'svc', '-A', '-o', 'yaml'])) as Obj).items as Obj[];
}
const nodePortsOf = (o: Obj): number[] => [
  ...((o.spec.ports ?? []) as Obj[]).map((p) => p.nodePort).filter((n) => n),
  ...(o.spec.healthCheckNodePort ? [o.spec.healthCheckNodePort] : []),
];

const skip = kubectlBinary() ? false : 'kubectl is not installed';

describe('a /28 service CIDR and a 5-port node port range', { skip }, () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ serviceClusterIPRange: '10.96.0.0/28', serviceNodePortRange: '30000-30004' });
  });
  after(async () => {
    await s?.stop();
  });

  it('hands out every node port once, then reports the range full', async () => {
    const names = ['n1', 'n2', 'n3', 'n4', 'n5'];
    assert.equal(await s.kubectl.ok(['create', '-f', '-'], { input: docs(names.map((n) => svc(n, { type: 'NodePort', ports: P80 }))) }), created(names));
    const ports = (await listServices(s.kubectl)).flatMap(nodePortsOf).sort();
    assert.deepEqual(ports, [30000, 30001, 30002, 30003, 30004]);
    const r = await s.kubectl.run(['create', '-f', '-'], { input: JSON.stringify(svc('n6', { type: 'NodePort', ports: P80 })) });
    assert.equal(r.stderr, 'Error from server (InternalError): error when creating "STDIN": Internal error occurred: failed to allocate a nodePort: range is full\n');
    assert.equal(r.code, 1);
  });

  it('hands out the 14 addresses once (the failed create gave its IP back), then reports the range full', async () => {
    // kubernetes (10.96.0.1) and n1..n5 hold 6 of the 14 usable addresses.
    const names = Array.from({ length: 8 }, (_, i) => `c${i + 1}`);
    assert.equal(await s.kubectl.ok(['create', '-f', '-'], { input: docs(names.map((n) => svc(n, { ports: P80 }))) }), created(names));
    const ips = (await listServices(s.kubectl)).map((o) => o.spec.clusterIP as string).sort((a, b) => Number(a.split('.')[3]) - Number(b.split('.')[3]));
    assert.deepEqual(ips, Array.from({ length: 14 }, (_, i) => `10.96.0.${i + 1}`));
    const r = await s.kubectl.run(['create', '-f', '-'], { input: JSON.stringify(svc('c9', { ports: P80 })) });
    assert.equal(r.stderr, 'Error from server (InternalError): error when creating "STDIN": Internal error occurred: failed to allocate a serviceIP: range is full\n');
    assert.equal(r.code, 1);
  });

  it('still creates Services that need no address', async () => {
    const ms = [svc('h1', { clusterIP: 'None', selector: { app: 'x' }, ports: P80 }), svc('e1', { type: 'ExternalName', externalName: 'example.com' })];
    assert.equal(await s.kubectl.ok(['create', '-f', '-'], { input: docs(ms) }), created(['h1', 'e1']));
  });

  it('rejects requested addresses that are taken or outside the range', async () => {
    const cases: [string, string][] = [
      ['10.96.0.1', 'provided IP is already allocated'],
      ['10.96.0.20', 'the provided IP (10.96.0.20) is not in the valid range. The range of valid IPs is 10.96.0.0/28'],
      // The network and broadcast addresses are outside the bitmap.
      ['10.96.0.0', 'the provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/28'],
      ['10.96.0.15', 'the provided IP (10.96.0.15) is not in the valid range. The range of valid IPs is 10.96.0.0/28'],
    ];
    for (const [ip, msg] of cases) {
      const r = await s.kubectl.run(['create', '-f', '-'], { input: JSON.stringify(svc('req', { clusterIP: ip, ports: P80 })) });
      assert.equal(r.stderr, `The Service "req" is invalid: spec.clusterIPs: Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: ${msg}\n`);
    }
    const r = await s.kubectl.run(['create', '-f', '-'], { input: JSON.stringify(svc('reqp', { type: 'NodePort', ports: [{ port: 80, nodePort: 30005 }] })) });
    // The IP allocation comes first, and the range is full.
    assert.equal(r.stderr, 'Error from server (InternalError): error when creating "STDIN": Internal error occurred: failed to allocate a serviceIP: range is full\n');
  });

  it('releases the address and node port on delete', async () => {
    const n3 = (parse(await s.kubectl.ok(['get', 'svc', 'n3', '-o', 'yaml'])) as Obj).spec;
    assert.equal(await s.kubectl.ok(['delete', 'svc', 'n3']), 'service "n3" deleted\n');
    const again = svc('n3-again', { type: 'NodePort', clusterIP: n3.clusterIP, ports: [{ port: 80, nodePort: n3.ports[0].nodePort }] });
    assert.equal(await s.kubectl.ok(['create', '-f', '-'], { input: JSON.stringify(again) }), 'service/n3-again created\n');
  });
});

describe('allocations across a restart on the same data', { skip }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'svcnet-restart-'));
  const opts = {
    dataDir,
    port: 0,
    serviceClusterIPRange: '10.96.0.0/27',
    serviceNodePortRange: '30000-30019',
    logger: createLogger({ level: 'error' }),
  };
  let cp: ControlPlane | undefined;
  let k: Kubectl;
  after(async () => {
    await cp?.stop();
    k?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every ClusterIP and NodePort with its Service and never hands them out again', async () => {
    cp = await startControlPlane(opts);
    k = new Kubectl(cp.kubeconfigPath);
    const first = [
      ...Array.from({ length: 4 }, (_, i) => svc(`a${i}`, { type: 'NodePort', ports: P80 })),
      svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: P80 }),
    ];
    await k.ok(['create', '-f', '-'], { input: docs(first) });
    const owned = (items: Obj[]) =>
      Object.fromEntries(items.map((o) => [o.metadata.name, { ip: o.spec.clusterIP, ports: nodePortsOf(o) }]));
    const before = owned(await listServices(k));
    k.cleanup();
    await cp.stop();
    cp = await startControlPlane(opts);
    k = new Kubectl(cp.kubeconfigPath);
    assert.deepEqual(owned(await listServices(k)), before);
    // 6 node ports are held (4 + the LoadBalancer's nodePort and healthCheckNodePort): exactly 14
    // more can be had, each new.
    const more = Array.from({ length: 14 }, (_, i) => `b${i}`);
    assert.equal(await k.ok(['create', '-f', '-'], { input: docs(more.map((n) => svc(n, { type: 'NodePort', ports: P80 }))) }), created(more));
    const all = await listServices(k);
    const ports = all.flatMap(nodePortsOf);
    assert.equal(ports.length, 20);
    assert.equal(new Set(ports).size, 20, `no node port twice: ${ports}`);
    const ips = all.map((o) => o.spec.clusterIP);
    assert.equal(new Set(ips).size, ips.length, `no ClusterIP twice: ${ips}`);
    const r = await k.run(['create', '-f', '-'], { input: JSON.stringify(svc('b-full', { type: 'NodePort', ports: P80 })) });
    assert.equal(r.stderr, 'Error from server (InternalError): error when creating "STDIN": Internal error occurred: failed to allocate a nodePort: range is full\n');
  });
});

describe('concurrent creates', () => {
  let s: TestServer;
  let api: ApiClient;
  before(async () => {
    // Small ranges so that a race would likely hand a value out twice.
    s = await startTestServer({ serviceClusterIPRange: '10.96.0.0/24', serviceNodePortRange: '30000-30199' });
    api = new ApiClient(s.cp.url, s.dataDir);
  });
  after(async () => {
    api?.close();
    await s?.stop();
  });

  it('never gives two of 100 concurrent Services the same ClusterIP or NodePort', async () => {
    const rs = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        api.post('/api/v1/namespaces/default/services', svc(`p${i}`, { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] })),
      ),
    );
    for (const r of rs) assert.equal(r.status, 201, r.text);
    const list = (await api.get('/api/v1/namespaces/default/services')).body as Obj;
    const mine = (list.items as Obj[]).filter((o) => /^p\d+$/.test(o.metadata.name));
    assert.equal(mine.length, 100);
    const ips = mine.map((o) => o.spec.clusterIP);
    assert.equal(new Set(ips).size, 100);
    const ports = mine.flatMap(nodePortsOf);
    assert.equal(ports.length, 200);
    assert.equal(new Set(ports).size, 200);
    // What the create responses said is what was stored.
    assert.deepEqual(rs.map((r) => r.body.spec.clusterIP).sort(), [...ips].sort());
  });
});

describe('type changes of the conformance tests, at API level', { skip }, () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s?.stop();
  });
  const get = async (name: string) => parse(await s.kubectl.ok(['get', 'svc', name, '-o', 'yaml'])) as Obj;
  const create = (m: Obj) => s.kubectl.ok(['create', '-f', '-'], { input: JSON.stringify(m) });
  const replace = (m: Obj) => s.kubectl.ok(['replace', '-f', '-'], { input: JSON.stringify(m) });
  const patch = (name: string, p: Obj) => s.kubectl.ok(['patch', 'svc', name, '--type', 'merge', '-p', JSON.stringify(p)]);
  const inRange = (ip: string) => /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/.test(ip);

  it('ExternalName → ClusterIP allocates a ClusterIP', async () => {
    await create(svc('en-cip', { type: 'ExternalName', externalName: 'example.com' }));
    await replace(svc('en-cip', { type: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] }));
    const o = await get('en-cip');
    assert.ok(inRange(o.spec.clusterIP), o.spec.clusterIP);
    assert.deepEqual(o.spec.clusterIPs, [o.spec.clusterIP]);
    assert.deepEqual(o.spec.ipFamilies, ['IPv4']);
    assert.equal(o.spec.ipFamilyPolicy, 'SingleStack');
    assert.equal(o.spec.internalTrafficPolicy, 'Cluster');
    assert.equal(o.spec.externalName, undefined);
  });

  it('ExternalName → NodePort allocates a ClusterIP and a nodePort', async () => {
    await create(svc('en-np', { type: 'ExternalName', externalName: 'example.com' }));
    await replace(svc('en-np', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] }));
    const o = await get('en-np');
    assert.ok(inRange(o.spec.clusterIP), o.spec.clusterIP);
    assert.ok(o.spec.ports[0].nodePort >= 30000 && o.spec.ports[0].nodePort <= 32767);
    assert.equal(o.spec.externalTrafficPolicy, 'Cluster');
  });

  it('ClusterIP → ExternalName releases the ClusterIP', async () => {
    await create(svc('cip-en', { clusterIP: '10.96.0.50', ports: P80 }));
    await patch('cip-en', { spec: { type: 'ExternalName', externalName: 'example.com', clusterIP: '' } });
    const o = await get('cip-en');
    for (const f of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) assert.equal(o.spec[f], undefined, f);
    assert.equal(o.spec.type, 'ExternalName');
    await create(svc('cip-en-reuse', { clusterIP: '10.96.0.50', ports: P80 }));
  });

  it('NodePort → ExternalName releases the ClusterIP and the nodePort', async () => {
    await create(svc('np-en', { type: 'NodePort', clusterIP: '10.96.0.51', ports: [{ port: 80, nodePort: 30051 }] }));
    await replace(svc('np-en', { type: 'ExternalName', externalName: 'example.com' }));
    const o = await get('np-en');
    assert.equal(o.spec.clusterIP, undefined);
    assert.equal(o.spec.ports, undefined);
    assert.equal(o.spec.externalTrafficPolicy, undefined);
    await create(svc('np-en-reuse', { type: 'NodePort', clusterIP: '10.96.0.51', ports: [{ port: 80, nodePort: 30051 }] }));
  });

  it('NodePort → ClusterIP drops and releases the nodePorts', async () => {
    await create(svc('np-cip', { type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30052 }, { name: 'b', port: 81, nodePort: 30053 }] }));
    await patch('np-cip', { spec: { type: 'ClusterIP' } });
    const o = await get('np-cip');
    assert.deepEqual(
      o.spec.ports.map((p: Obj) => p.nodePort),
      [undefined, undefined],
    );
    assert.equal(o.spec.externalTrafficPolicy, undefined);
    await create(svc('np-cip-reuse', { type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30052 }, { name: 'b', port: 81, nodePort: 30053 }] }));
  });

  it('NodePort → ClusterIP with kubectl apply releases the allocated nodePort', async () => {
    const file = (type: string) =>
      s.kubectl.writeManifest('apply-np.yaml', `apiVersion: v1\nkind: Service\nmetadata:\n  name: np-apply\nspec:\n  type: ${type}\n  ports:\n  - port: 80\n`);
    await s.kubectl.ok(['apply', '-f', file('NodePort')]);
    const nodePort = (await get('np-apply')).spec.ports[0].nodePort as number;
    assert.equal(await s.kubectl.ok(['apply', '-f', file('ClusterIP')]), 'service/np-apply configured\n');
    assert.equal((await get('np-apply')).spec.ports[0].nodePort, undefined);
    await create(svc('np-apply-reuse', { type: 'NodePort', ports: [{ port: 80, nodePort }] }));
  });

  it('ClusterIP → NodePort → LoadBalancer keeps the ClusterIP and the nodePort', async () => {
    await create(svc('up', { ports: P80 }));
    const ip = (await get('up')).spec.clusterIP;
    await patch('up', { spec: { type: 'NodePort' } });
    const np = await get('up');
    assert.equal(np.spec.clusterIP, ip);
    const nodePort = np.spec.ports[0].nodePort;
    assert.ok(nodePort >= 30000);
    await patch('up', { spec: { type: 'LoadBalancer' } });
    const lb = await get('up');
    assert.equal(lb.spec.clusterIP, ip);
    assert.equal(lb.spec.ports[0].nodePort, nodePort);
    assert.equal(lb.spec.allocateLoadBalancerNodePorts, true);
  });

  it('externalTrafficPolicy Local gets a healthCheckNodePort, released when switching to Cluster', async () => {
    await create(svc('hc', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: P80 }));
    const hc = (await get('hc')).spec.healthCheckNodePort as number;
    assert.ok(hc >= 30000 && hc <= 32767, String(hc));
    await patch('hc', { spec: { externalTrafficPolicy: 'Cluster' } });
    const o = await get('hc');
    assert.equal(o.spec.healthCheckNodePort, undefined);
    assert.equal(o.spec.externalTrafficPolicy, 'Cluster');
    await create(svc('hc-reuse', { type: 'NodePort', ports: [{ port: 80, nodePort: hc }] }));
    // Back to Local: a new one is allocated.
    await patch('hc', { spec: { externalTrafficPolicy: 'Local' } });
    const again = (await get('hc')).spec.healthCheckNodePort as number;
    assert.ok(again >= 30000 && again !== hc);
  });

  it('a LoadBalancer → ClusterIP change releases the healthCheckNodePort too', async () => {
    await create(svc('hc2', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: P80 }));
    const before = await get('hc2');
    await patch('hc2', { spec: { type: 'ClusterIP' } });
    const o = await get('hc2');
    for (const f of ['healthCheckNodePort', 'externalTrafficPolicy', 'allocateLoadBalancerNodePorts']) assert.equal(o.spec[f], undefined, f);
    assert.equal(o.spec.ports[0].nodePort, undefined);
    await create(
      svc('hc2-reuse', {
        type: 'NodePort',
        ports: [
          { name: 'a', port: 80, nodePort: before.spec.healthCheckNodePort },
          { name: 'b', port: 81, nodePort: before.spec.ports[0].nodePort },
        ],
      }),
    );
  });
});
