// Real namespaces: needs root. Every namespace made here is removed in `after`, even on failure.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClusterNetwork } from './cluster-network.js';
import type { PodNetwork } from './cluster-network.js';
import { IpTool } from './ip-command.js';
import { belongsToCluster } from './names.js';
import { checkNetnsSupport } from './preflight.js';
import { curlFrom, hostSnapshot, startServer, uniqueClusterName } from './test-helpers.js';
import type { HostSnapshot, TestServer } from './test-helpers.js';

const unsupported = await checkNetnsSupport();

describe('ClusterNetwork (real network namespaces)', { skip: unsupported }, () => {
  const cluster = uniqueClusterName('cn');
  const ip = new IpTool();
  const servers: TestServer[] = [];
  let net: ClusterNetwork | undefined;
  let hostBefore: HostSnapshot;
  let pod1: PodNetwork;
  let pod2: PodNetwork;

  const cn = (): ClusterNetwork => {
    assert.ok(net, 'cluster network was not created');
    return net;
  };

  before(async () => {
    hostBefore = await hostSnapshot();
    net = await ClusterNetwork.create(cluster);
    await Promise.all([net.addNode('node-1', 1), net.addNode('node-2', 2)]);
    pod1 = await net.addPod('node-1', 'default/client');
    pod2 = await net.addPod('node-2', 'default/server');
  });

  after(async () => {
    for (const s of servers) s.stop();
    await (net ? net.destroy() : ClusterNetwork.cleanupStale(cluster));
  });

  it('gives Pods addresses from their node’s /24, skipping .0 and .1', () => {
    assert.equal(pod1.ip, '10.244.1.2');
    assert.equal(pod2.ip, '10.244.2.2');
    assert.equal(pod1.gateway, '10.244.1.1');
    assert.deepEqual(
      cn().nodes().map((n) => [n.name, n.address, n.podCidr]),
      [
        ['node-1', '172.18.0.11', '10.244.1.0/24'],
        ['node-2', '172.18.0.12', '10.244.2.0/24'],
      ],
    );
  });

  it('routes a Pod on node 1 to a Pod on node 2 by Pod IP, keeping the source IP', async () => {
    servers.push(await startServer(cn(), pod2.namespace, 'server', '0.0.0.0', 8080));
    const reply = await curlFrom(cn(), pod1.namespace, `http://${pod2.ip}:8080/`);
    assert.deepEqual(reply, { name: 'server', remote: pod1.ip });
  });

  it('lets a Pod reach its node’s IP and the control-plane address in the underlay', async () => {
    const node1 = cn().node('node-1');
    assert.ok(node1);
    servers.push(await startServer(cn(), node1.namespace, 'node-1', node1.address, 10250));
    servers.push(await startServer(cn(), cn().underlayNamespace, 'apiserver', '172.18.0.1', 6443));
    assert.deepEqual(await curlFrom(cn(), pod1.namespace, `http://${node1.address}:10250/`), { name: 'node-1', remote: pod1.ip });
    // From node 2's Pod: across the bridge, and back through the underlay's pod-CIDR routes.
    assert.deepEqual(await curlFrom(cn(), pod2.namespace, 'http://172.18.0.1:6443/'), { name: 'apiserver', remote: pod2.ip });
    // hostNetwork Pods run in the node namespace and use the node IP.
    assert.deepEqual(await curlFrom(cn(), cn().nodeNamespace('node-2'), 'http://172.18.0.1:6443/'), {
      name: 'apiserver',
      remote: '172.18.0.12',
    });
  });

  it('wires a node added later to the existing ones, and frees Pod IPs for reuse', async () => {
    await cn().addNode('node-3', 3);
    const pod3 = await cn().addPod('node-3', 'default/late', '10.244.3.7');
    assert.equal(pod3.ip, '10.244.3.7');
    await assert.rejects(cn().addPod('node-3', 'default/dup', '10.244.3.7'), /already in use/);
    await assert.rejects(cn().addPod('node-3', 'default/outside', '10.244.1.9'), /not a usable address/);
    servers.push(await startServer(cn(), pod3.namespace, 'late', '0.0.0.0', 8080));
    assert.deepEqual(await curlFrom(cn(), pod1.namespace, `http://${pod3.ip}:8080/`), { name: 'late', remote: pod1.ip });

    // Remove and re-add the same Pod at once: its veth name repeats, and must not clash.
    await cn().removePod('default/client');
    assert.equal((await ip.listNamespaces()).includes(pod1.namespace), false);
    pod1 = await cn().addPod('node-1', 'default/client');
    assert.equal(pod1.ip, '10.244.1.2');
    assert.deepEqual(await curlFrom(cn(), pod1.namespace, `http://${pod3.ip}:8080/`), { name: 'late', remote: pod1.ip });
  });

  it('gives nodes no route to the outside world', async () => {
    const node1 = cn().nodeNamespace('node-1');
    await assert.rejects(cn().exec(node1, ['ip', 'route', 'get', '1.1.1.1']), /unreachable/i);
    await assert.rejects(cn().exec(cn().underlayNamespace, ['ip', 'route', 'get', '1.1.1.1']), /unreachable/i);
    // A Service VIP does have a route from the node, so a proxy's nat OUTPUT DNAT can catch it.
    const { stdout } = await cn().exec(node1, ['ip', 'route', 'get', '10.96.0.10']);
    assert.match(stdout, /dev eth0 src 172\.18\.0\.11/);
  });

  it('sets forwarding inside nodes only', async () => {
    const { stdout } = await cn().exec(cn().nodeNamespace('node-1'), ['cat', '/proc/sys/net/ipv4/ip_forward']);
    assert.equal(stdout.trim(), '1');
    assert.equal((await hostSnapshot()).ipForward, hostBefore.ipForward);
  });

  it('destroy removes every namespace and leaves the host namespace as it was', async () => {
    for (const s of servers.splice(0)) s.stop();
    const removed = await cn().destroy();
    assert.ok(removed.length >= 7, `removed ${removed.join(', ')}`);
    const left = (await ip.listNamespaces()).filter((n) => belongsToCluster(cluster, n));
    assert.deepEqual(left, []);
    assert.deepEqual(await hostSnapshot(), hostBefore);
    await assert.rejects(async () => cn().addNode('node-9', 9), /destroyed/);
  });
});
