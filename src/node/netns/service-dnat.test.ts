// Shows the routing choice works for a kube-proxy-style proxy: a DNAT for a Service VIP in the
// node namespace catches traffic from the node's Pods (nat PREROUTING) and from the node itself
// (nat OUTPUT), and replies from a Pod on another node are un-NATed on the way back.
// Needs root and the nft binary (Debian package nftables).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { ClusterNetwork } from './cluster-network.js';
import type { PodNetwork } from './cluster-network.js';
import { checkNetnsSupport } from './preflight.js';
import { curlFrom, startServer, uniqueClusterName } from './test-helpers.js';
import type { TestServer } from './test-helpers.js';

function missingNft(): string | undefined {
  try {
    execFileSync('nft', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'nft is not installed';
  }
}

const skip = (await checkNetnsSupport()) ?? missingNft();

describe('Service VIP DNAT in a node namespace', { skip }, () => {
  const cluster = uniqueClusterName('dn');
  let net: ClusterNetwork | undefined;
  let server: TestServer | undefined;
  let client: PodNetwork;
  let backend: PodNetwork;

  before(async () => {
    net = await ClusterNetwork.create(cluster);
    await net.addNode('a', 1);
    await net.addNode('b', 2);
    client = await net.addPod('a', 'client');
    backend = await net.addPod('b', 'backend');
    server = await startServer(net, backend.namespace, 'backend', '0.0.0.0', 8080);
    const dnat = `ip daddr 10.96.0.50 tcp dport 80 dnat to ${backend.ip}:8080`;
    const ruleset = [
      'table ip svcnet-test {',
      `  chain prerouting { type nat hook prerouting priority dstnat; ${dnat}; }`,
      `  chain output { type nat hook output priority -100; ${dnat}; }`,
      '}',
    ].join('\n');
    await net.exec(net.nodeNamespace('a'), ['nft', '-f', '-'], ruleset);
  });

  after(async () => {
    server?.stop();
    await (net ? net.destroy() : ClusterNetwork.cleanupStale(cluster));
  });

  it('takes a Pod’s VIP traffic to a Pod on another node, keeping the client IP', async () => {
    assert.ok(net);
    assert.deepEqual(await curlFrom(net, client.namespace, 'http://10.96.0.50/'), { name: 'backend', remote: client.ip });
  });

  it('takes the node’s own VIP traffic there too (the service CIDR route)', async () => {
    assert.ok(net);
    assert.deepEqual(await curlFrom(net, net.nodeNamespace('a'), 'http://10.96.0.50/'), { name: 'backend', remote: '172.18.0.11' });
  });

  it('reaches nothing at the VIP from a node without the rule', async () => {
    assert.ok(net);
    // Node b has the route but no DNAT: the packet goes out eth0 and nobody answers ARP for it.
    await assert.rejects(net.exec(net.nodeNamespace('b'), ['curl', '-sS', '--max-time', '2', 'http://10.96.0.50/']));
  });
});
