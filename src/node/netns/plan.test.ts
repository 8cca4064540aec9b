// Without root: the commands ClusterNetwork sends, recorded through a fake runner, and the pure
// address plan and naming rules.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PodAddressPool, nodeAddress, podCidrOf } from './addressing.js';
import { ClusterNetwork } from './cluster-network.js';
import type { CommandRunner } from './exec.js';
import { IpTool } from './ip-command.js';
import { belongsToCluster, nodeNamespaceName, podHostVethName, podNamespaceName, validateClusterName } from './names.js';

interface Call {
  readonly args: readonly string[];
  readonly lines: readonly string[];
}

function recordingTool(): { ip: IpTool; calls: Call[] } {
  const calls: Call[] = [];
  const namespaces = new Set<string>();
  const runner: CommandRunner = async (file, args, input) => {
    assert.equal(file, 'ip');
    const lines = (input ?? '').split('\n').filter(Boolean);
    calls.push({ args, lines });
    for (const l of lines) {
      const [, verb, name] = /^netns (add|del) (\S+)$/.exec(l) ?? [];
      if (verb === 'add') namespaces.add(name!);
      if (verb === 'del') namespaces.delete(name!);
    }
    const stdout = args.join(' ') === '-json netns list' ? JSON.stringify([...namespaces].map((name) => ({ name }))) : '';
    return { stdout, stderr: '' };
  };
  return { ip: new IpTool({ runner }), calls };
}

describe('ClusterNetwork commands', () => {
  it('never addresses the host namespace: every change names a svcnet namespace', async () => {
    const { ip, calls } = recordingTool();
    const net = await ClusterNetwork.create('plan', { ip });
    await Promise.all([net.addNode('a', 0), net.addNode('b', 1)]);
    await net.addPod('b', 'kube-system/coredns-1');
    await net.removePod('kube-system/coredns-1');
    await net.removeNode('a');
    await net.destroy();
    assert.ok(calls.length > 10);
    for (const { args, lines } of calls) {
      const text = `${args.join(' ')} | ${lines.join('; ')}`;
      if (args[0] === '-n' || (args[0] === 'netns' && args[1] === 'exec')) {
        assert.match(args[0] === '-n' ? args[1]! : args[2]!, /^svcnet-plan-(underlay|node-|pod-)/, text);
      } else if (args.includes('-batch')) {
        // Batches without -n may only add or delete namespaces.
        for (const l of lines) assert.match(l, /^netns (add|del) svcnet-plan-/, text);
      } else {
        assert.deepEqual(args, ['-json', 'netns', 'list'], text);
      }
    }
  });

  it('routes every node to the others’ pod CIDRs, including nodes added later', async () => {
    const { ip, calls } = recordingTool();
    const net = await ClusterNetwork.create('plan', { ip });
    await Promise.all([net.addNode('a', 0), net.addNode('b', 1), net.addNode('c', 2)]);
    const routesIn = (ns: string): string[] =>
      calls.filter((c) => c.args[1] === ns).flatMap((c) => c.lines.filter((l) => l.startsWith('route replace 10.244.')));
    assert.deepEqual(routesIn(nodeNamespaceName('plan', 'a')).sort(), [
      'route replace 10.244.1.0/24 via 172.18.0.11 dev eth0',
      'route replace 10.244.2.0/24 via 172.18.0.12 dev eth0',
    ]);
    assert.deepEqual(routesIn(nodeNamespaceName('plan', 'c')).sort(), [
      'route replace 10.244.0.0/24 via 172.18.0.10 dev eth0',
      'route replace 10.244.1.0/24 via 172.18.0.11 dev eth0',
    ]);
    assert.equal(routesIn(net.underlayNamespace).length, 3);
  });

  it('plumbs a Pod with a /32, an on-link gateway and a host route on its node', async () => {
    const { ip, calls } = recordingTool();
    const net = await ClusterNetwork.create('plan', { ip });
    await net.addNode('a', 4);
    const pod = await net.addPod('a', 'uid-1234');
    assert.equal(pod.namespace, 'svcnet-plan-pod-uid-1234');
    const linesIn = (ns: string): readonly string[] => calls.filter((c) => c.args[1] === ns).flatMap((c) => c.lines);
    assert.deepEqual(linesIn(pod.namespace), [
      'link set lo up',
      'addr add 10.244.4.2/32 dev eth0',
      'link set eth0 up',
      'route add 10.244.4.1 dev eth0 scope link',
      'route add default via 10.244.4.1 dev eth0',
    ]);
    assert.ok(linesIn(nodeNamespaceName('plan', 'a')).includes(`route replace 10.244.4.2/32 dev ${pod.hostVeth} scope link`));
    await assert.rejects(net.addPod('a', 'uid-1234'), /already has a network/);
    await assert.rejects(net.addPod('nope', 'uid-9'), /does not exist/);
    await assert.rejects(net.addNode('b', 4), /index 4 is already used/);
  });

  it('rolls a Pod back when plumbing fails, freeing its IP', async () => {
    const namespaces = new Set<string>();
    let failPodLines = true;
    const runner: CommandRunner = async (_file, args, input) => {
      for (const m of (input ?? '').matchAll(/^netns (add|del) (\S+)$/gm)) {
        if (m[1] === 'add') namespaces.add(m[2]!);
        else namespaces.delete(m[2]!);
      }
      if (failPodLines && args[1]?.includes('-pod-') && input?.includes('addr add')) throw new Error('RTNETLINK answers: boom');
      return { stdout: args.includes('list') ? JSON.stringify([...namespaces].map((name) => ({ name }))) : '', stderr: '' };
    };
    const net = await ClusterNetwork.create('plan', { ip: new IpTool({ runner }) });
    await net.addNode('a', 1);
    await assert.rejects(net.addPod('a', 'p'), /boom/);
    assert.equal(net.pod('p'), undefined);
    assert.deepEqual([...namespaces].filter((n) => n.includes('-pod-')), []);
    failPodLines = false;
    assert.equal((await net.addPod('a', 'p')).ip, '10.244.1.2');
  });
});

describe('address plan and names', () => {
  it('places nodes at 172.18.0.(10+index) with a /24 each', () => {
    assert.equal(nodeAddress(0), '172.18.0.10');
    assert.equal(nodeAddress(245), '172.18.0.255');
    assert.equal(nodeAddress(246), '172.18.1.0');
    assert.equal(podCidrOf(7), '10.244.7.0/24');
    assert.throws(() => podCidrOf(256), /outside 0-255/);
  });

  it('allocates .2-.254 lowest first, and reuses released addresses', () => {
    const pool = new PodAddressPool(3);
    const all = Array.from({ length: 253 }, () => pool.allocate());
    assert.equal(all[0], '10.244.3.2');
    assert.equal(all[252], '10.244.3.254');
    assert.throws(() => pool.allocate(), /is full/);
    pool.release('10.244.3.100');
    assert.equal(pool.allocate(), '10.244.3.100');
    assert.throws(() => new PodAddressPool(3).claim('10.244.3.1'), /not a usable address/);
    assert.throws(() => new PodAddressPool(3).claim('10.244.3.255'), /not a usable address/);
  });

  it('keeps clusters apart and names fit the kernel', () => {
    assert.throws(() => validateClusterName('my-cluster'), /no dashes/);
    validateClusterName('dev1');
    assert.ok(belongsToCluster('a', 'svcnet-a-node-x'));
    assert.ok(belongsToCluster('a', 'svcnet-a-underlay'));
    assert.ok(!belongsToCluster('a', 'svcnet-ab-underlay'));
    assert.ok(!belongsToCluster('a', 'svcnet-a-preflight-1'));
    assert.ok(!belongsToCluster('a', 'svcnet-a-node-'));
    assert.equal(podNamespaceName('a', 'f3b2c1d0-aaaa-bbbb-cccc-000000000000'), 'svcnet-a-pod-f3b2c1d0-aaaa-bbbb-cccc-000000000000');
    const keyed = podNamespaceName('a', 'default/Web_0');
    assert.match(keyed, /^svcnet-a-pod-default-web-0-[0-9a-f]{10}$/);
    assert.notEqual(keyed, podNamespaceName('a', 'default/web-0'));
    assert.ok(podHostVethName(keyed).length <= 15);
  });
});
