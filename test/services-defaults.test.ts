// The defaulted objects of every Service type, field by field as `kubectl get svc -o yaml` of a
// 1.32 cluster shows them (SetDefaults_Service, the registry's IP-family defaulting and
// allocation, PrepareForCreate; see research/api.md §1), and the idempotence of apply/replace.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { parse } from 'yaml';
import { startTestServer, type TestServer } from './helpers/apiserver.js';
import { kubectlBinary } from './helpers/kubectl.js';

type Obj = Record<string, any>;
const svc = (name: string, spec: Obj): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec });

/** IPv4 text → number. */
const v4 = (ip: string) => ip.split('.').reduce((a, p) => a * 256 + Number(p), 0);

/** The allocator's dynamic band: above network+offset (KEP 3070: /12 and /16 → 256). */
function assertDynamicV4(ip: unknown, network: string, prefix: number) {
  assert.equal(typeof ip, 'string');
  assert.equal(isIP(ip as string), 4, `${ip} is an IPv4 address`);
  const size = 2 ** (32 - prefix);
  const offset = Math.min(Math.max(16, size / 16), 256);
  const idx = v4(ip as string) - v4(network);
  assert.ok(idx > offset && idx < size - 1, `${ip} in the upper band of ${network}/${prefix}`);
}
/** NodePorts come from the upper band first (KEP 3668: 30000-32767 → offset 86). */
function assertDynamicPort(p: unknown) {
  assert.equal(typeof p, 'number');
  assert.ok((p as number) >= 30086 && (p as number) <= 32767, `${p} in 30086-32767`);
}

async function getYaml(s: TestServer, name: string): Promise<Obj> {
  return parse(await s.kubectl.ok(['get', 'svc', name, '-o', 'yaml'])) as Obj;
}

/** Checks the server-set metadata and returns the object with it replaced by the expected shape. */
function metadataOf(got: Obj, name: string): Obj {
  const m = got.metadata as Obj;
  assert.match(String(m.uid), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.match(String(m.resourceVersion), /^[0-9]+$/);
  assert.match(String(m.creationTimestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  return { name, namespace: 'default', uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp };
}

const skip = kubectlBinary() ? false : 'kubectl is not installed';

describe('Service defaults on a single-stack server', { skip }, () => {
  let s: TestServer;
  const got = new Map<string, Obj>();
  const MANIFESTS = [
    svc('d-cip', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] }),
    svc('d-np', { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] }),
    svc('d-lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] }),
    svc('d-lb-noports', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ port: 443 }] }),
    svc('d-headless', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }], publishNotReadyAddresses: false }),
    svc('d-headless-nosel', { clusterIP: 'None', ports: [{ port: 5432 }] }),
    svc('d-headless-emptysel', { clusterIP: 'None', selector: {} }),
    svc('d-en', { type: 'ExternalName', externalName: 'example.com' }),
    svc('d-en-ports', { type: 'ExternalName', externalName: 'example.com.', ports: [{ port: 443, protocol: 'TCP' }] }),
    svc('d-affinity', { sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }),
    svc('d-extips', { externalIPs: ['192.0.2.10'], ports: [{ port: 80 }] }),
    svc('d-dns', { type: 'NodePort', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] }),
  ];

  before(async () => {
    s = await startTestServer();
    const { stringify } = await import('yaml');
    await s.kubectl.ok(['create', '-f', '-'], { input: MANIFESTS.map((m) => stringify(m)).join('---\n') });
    const all = parse(await s.kubectl.ok(['get', 'svc', '-o', 'yaml'])) as Obj;
    for (const item of all.items as Obj[]) got.set(item.metadata.name, item);
    // A single GET shows the same object as the list.
    assert.deepEqual(await getYaml(s, 'd-cip'), got.get('d-cip'));
  });
  after(async () => {
    await s?.stop();
  });

  const expectFor = (name: string, spec: Obj): Obj => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadataOf(got.get(name)!, name),
    spec,
    status: { loadBalancer: {} },
  });

  it('ClusterIP', () => {
    const o = got.get('d-cip')!;
    const ip = o.spec.clusterIP;
    assertDynamicV4(ip, '10.96.0.0', 12);
    assert.deepEqual(
      o,
      expectFor('d-cip', {
        clusterIP: ip,
        clusterIPs: [ip],
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }],
        selector: { app: 'web' },
        sessionAffinity: 'None',
        type: 'ClusterIP',
      }),
    );
  });

  it('NodePort', () => {
    const o = got.get('d-np')!;
    const ip = o.spec.clusterIP;
    const nodePort = o.spec.ports?.[0]?.nodePort;
    assertDynamicV4(ip, '10.96.0.0', 12);
    assertDynamicPort(nodePort);
    assert.deepEqual(
      o,
      expectFor('d-np', {
        clusterIP: ip,
        clusterIPs: [ip],
        externalTrafficPolicy: 'Cluster',
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [{ name: 'http', nodePort, port: 80, protocol: 'TCP', targetPort: 80 }],
        selector: { app: 'web' },
        sessionAffinity: 'None',
        type: 'NodePort',
      }),
    );
  });

  it('LoadBalancer with externalTrafficPolicy Local', () => {
    const o = got.get('d-lb')!;
    const ip = o.spec.clusterIP;
    const nodePort = o.spec.ports?.[0]?.nodePort;
    const hc = o.spec.healthCheckNodePort;
    assertDynamicV4(ip, '10.96.0.0', 12);
    assertDynamicPort(nodePort);
    assertDynamicPort(hc);
    assert.notEqual(hc, nodePort);
    assert.deepEqual(
      o,
      expectFor('d-lb', {
        allocateLoadBalancerNodePorts: true,
        clusterIP: ip,
        clusterIPs: [ip],
        externalTrafficPolicy: 'Local',
        healthCheckNodePort: hc,
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [{ nodePort, port: 80, protocol: 'TCP', targetPort: 8080 }],
        selector: { app: 'web' },
        sessionAffinity: 'None',
        type: 'LoadBalancer',
      }),
    );
  });

  it('LoadBalancer without node ports', () => {
    const o = got.get('d-lb-noports')!;
    const ip = o.spec.clusterIP;
    assert.deepEqual(
      o,
      expectFor('d-lb-noports', {
        allocateLoadBalancerNodePorts: false,
        clusterIP: ip,
        clusterIPs: [ip],
        externalTrafficPolicy: 'Cluster',
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [{ port: 443, protocol: 'TCP', targetPort: 443 }],
        sessionAffinity: 'None',
        type: 'LoadBalancer',
      }),
    );
  });

  it('headless with a selector is single-stack', () => {
    assert.deepEqual(
      got.get('d-headless'),
      expectFor('d-headless', {
        clusterIP: 'None',
        clusterIPs: ['None'],
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [{ port: 5432, protocol: 'TCP', targetPort: 5432 }],
        selector: { app: 'db' },
        sessionAffinity: 'None',
        type: 'ClusterIP',
      }),
    );
  });

  it('headless without a selector asks for both families, even on a single-stack cluster', () => {
    assert.deepEqual(
      got.get('d-headless-nosel'),
      expectFor('d-headless-nosel', {
        clusterIP: 'None',
        clusterIPs: ['None'],
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4', 'IPv6'],
        ipFamilyPolicy: 'RequireDualStack',
        ports: [{ port: 5432, protocol: 'TCP', targetPort: 5432 }],
        sessionAffinity: 'None',
        type: 'ClusterIP',
      }),
    );
  });

  it('an empty selector is no selector (and needs no ports when headless)', () => {
    assert.deepEqual(
      got.get('d-headless-emptysel'),
      expectFor('d-headless-emptysel', {
        clusterIP: 'None',
        clusterIPs: ['None'],
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4', 'IPv6'],
        ipFamilyPolicy: 'RequireDualStack',
        sessionAffinity: 'None',
        type: 'ClusterIP',
      }),
    );
  });

  it('ExternalName has no IPs, families or traffic policies', () => {
    assert.deepEqual(got.get('d-en'), expectFor('d-en', { externalName: 'example.com', sessionAffinity: 'None', type: 'ExternalName' }));
    assert.deepEqual(
      got.get('d-en-ports'),
      expectFor('d-en-ports', {
        externalName: 'example.com.',
        ports: [{ port: 443, protocol: 'TCP', targetPort: 443 }],
        sessionAffinity: 'None',
        type: 'ExternalName',
      }),
    );
  });

  it('ClientIP affinity gets the 3-hour timeout', () => {
    const o = got.get('d-affinity')!;
    assert.deepEqual(o.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
    assert.equal(o.spec.sessionAffinity, 'ClientIP');
  });

  it('a ClusterIP Service with externalIPs is externally accessible', () => {
    const o = got.get('d-extips')!;
    assert.equal(o.spec.externalTrafficPolicy, 'Cluster');
    assert.deepEqual(o.spec.externalIPs, ['192.0.2.10']);
  });

  it('53/UDP and 53/TCP share one nodePort', () => {
    const ports = got.get('d-dns')!.spec.ports as Obj[];
    assertDynamicPort(ports[0]!.nodePort);
    assert.equal(ports[1]!.nodePort, ports[0]!.nodePort);
  });

  it('kubectl apply twice changes nothing', async () => {
    const file = s.kubectl.writeManifest(
      'idem.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: i-apply\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n' +
        '  selector:\n    app: web\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n  - name: https\n    port: 443\n',
    );
    assert.equal(await s.kubectl.ok(['apply', '-f', file]), 'service/i-apply created\n');
    const first = await getYaml(s, 'i-apply');
    assert.equal(await s.kubectl.ok(['apply', '-f', file]), 'service/i-apply unchanged\n');
    assert.deepEqual(await getYaml(s, 'i-apply'), first);
  });

  it('kubectl replace without clusterIP or nodePorts keeps the allocated ones', async () => {
    const manifest = svc('i-replace', {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      ports: [
        { name: 'http', port: 80 },
        { name: 'https', port: 443 },
      ],
    });
    await s.kubectl.ok(['create', '-f', '-'], { input: JSON.stringify(manifest) });
    const before = await getYaml(s, 'i-replace');
    // The ports are given in the other order: the nodePorts follow the port names.
    const swapped = svc('i-replace', { ...manifest.spec, ports: [...manifest.spec.ports].reverse() });
    assert.equal(await s.kubectl.ok(['replace', '-f', '-'], { input: JSON.stringify(swapped) }), 'service/i-replace replaced\n');
    const after = await getYaml(s, 'i-replace');
    assert.equal(after.spec.clusterIP, before.spec.clusterIP);
    assert.deepEqual(after.spec.clusterIPs, before.spec.clusterIPs);
    assert.equal(after.spec.healthCheckNodePort, before.spec.healthCheckNodePort);
    const byName = (o: Obj) => Object.fromEntries((o.spec.ports as Obj[]).map((p) => [p.name, p.nodePort]));
    assert.deepEqual(byName(after), byName(before));
    assert.deepEqual(
      (after.spec.ports as Obj[]).map((p) => p.name),
      ['https', 'http'],
    );
  });
});

describe('Service defaults on a dual-stack server', { skip }, () => {
  let s: TestServer;
  const got = new Map<string, Obj>();
  before(async () => {
    s = await startTestServer({ serviceClusterIPRange: '10.96.0.0/16,fd00:10:96::/112' });
    const { stringify } = await import('yaml');
    const manifests = [
      svc('ds-default', { ports: [{ port: 80 }] }),
      svc('ds-prefer', { ipFamilyPolicy: 'PreferDualStack', ports: [{ port: 80 }] }),
      svc('ds-require6', { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv6'], ports: [{ port: 80 }] }),
      svc('ds-single6', { ipFamilies: ['IPv6'], ports: [{ port: 80 }] }),
      svc('ds-headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
    ];
    await s.kubectl.ok(['create', '-f', '-'], { input: manifests.map((m) => stringify(m)).join('---\n') });
    const all = parse(await s.kubectl.ok(['get', 'svc', '-o', 'yaml'])) as Obj;
    for (const item of all.items as Obj[]) got.set(item.metadata.name, item);
  });
  after(async () => {
    await s?.stop();
  });

  const assertV6 = (ip: unknown) => {
    assert.equal(isIP(String(ip)), 6, `${ip} is IPv6`);
    assert.match(String(ip), /^fd00:10:96::[0-9a-f]{1,4}$/);
  };

  it('defaults to SingleStack on the primary family', () => {
    const o = got.get('ds-default')!;
    assertDynamicV4(o.spec.clusterIP, '10.96.0.0', 16);
    assert.deepEqual(o.spec.clusterIPs, [o.spec.clusterIP]);
    assert.deepEqual(o.spec.ipFamilies, ['IPv4']);
    assert.equal(o.spec.ipFamilyPolicy, 'SingleStack');
  });

  it('PreferDualStack gets one IP per family, primary first', () => {
    const o = got.get('ds-prefer')!;
    const [ip4, ip6] = o.spec.clusterIPs as string[];
    assertDynamicV4(ip4, '10.96.0.0', 16);
    assertV6(ip6);
    assert.equal(o.spec.clusterIP, ip4);
    assert.deepEqual(o.spec.ipFamilies, ['IPv4', 'IPv6']);
    assert.equal(o.spec.ipFamilyPolicy, 'PreferDualStack');
    assert.equal(o.spec.clusterIPs.length, 2);
  });

  it('RequireDualStack with IPv6 first', () => {
    const o = got.get('ds-require6')!;
    const [ip6, ip4] = o.spec.clusterIPs as string[];
    assertV6(ip6);
    assertDynamicV4(ip4, '10.96.0.0', 16);
    assert.equal(o.spec.clusterIP, ip6);
    assert.deepEqual(o.spec.ipFamilies, ['IPv6', 'IPv4']);
    assert.equal(o.spec.ipFamilyPolicy, 'RequireDualStack');
  });

  it('SingleStack IPv6', () => {
    const o = got.get('ds-single6')!;
    assertV6(o.spec.clusterIP);
    assert.deepEqual(o.spec.clusterIPs, [o.spec.clusterIP]);
    assert.deepEqual(o.spec.ipFamilies, ['IPv6']);
    assert.equal(o.spec.ipFamilyPolicy, 'SingleStack');
  });

  it('selectorless headless', () => {
    const o = got.get('ds-headless')!;
    assert.deepEqual(o.spec.clusterIPs, ['None']);
    assert.deepEqual(o.spec.ipFamilies, ['IPv4', 'IPv6']);
    assert.equal(o.spec.ipFamilyPolicy, 'RequireDualStack');
  });

  it('upgrades to dual-stack and back', async () => {
    await s.kubectl.ok(['patch', 'svc', 'ds-default', '--type', 'merge', '-p', '{"spec":{"ipFamilyPolicy":"RequireDualStack"}}']);
    const up = await getYaml(s, 'ds-default');
    const primary = got.get('ds-default')!.spec.clusterIP;
    assert.equal(up.spec.clusterIPs[0], primary);
    assertV6(up.spec.clusterIPs[1]);
    assert.deepEqual(up.spec.ipFamilies, ['IPv4', 'IPv6']);
    // SingleStack with unchanged lists is the intent to drop the secondary.
    await s.kubectl.ok(['patch', 'svc', 'ds-default', '--type', 'merge', '-p', '{"spec":{"ipFamilyPolicy":"SingleStack"}}']);
    const down = await getYaml(s, 'ds-default');
    assert.deepEqual(down.spec.clusterIPs, [primary]);
    assert.deepEqual(down.spec.ipFamilies, ['IPv4']);
    // The released IPv6 address can be had again.
    await s.kubectl.ok(['create', '-f', '-'], {
      input: JSON.stringify(svc('ds-reuse', { ipFamilies: ['IPv6'], clusterIP: up.spec.clusterIPs[1], ports: [{ port: 80 }] })),
    });
  });
});
