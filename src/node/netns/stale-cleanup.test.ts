// A svcnet killed with SIGKILL leaves its namespaces (and Pod processes) behind; cleanupStale
// must find and remove exactly that cluster's, and nothing of another cluster. Needs root.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import { ClusterNetwork } from './cluster-network.js';
import { IpTool } from './ip-command.js';
import { belongsToCluster } from './names.js';
import { checkNetnsSupport } from './preflight.js';
import { isAlive, uniqueClusterName } from './test-helpers.js';

const unsupported = await checkNetnsSupport();

// Runs in a separate process that the test kills with SIGKILL once its cluster is up.
const crashingScript = `
const { ClusterNetwork } = await import(process.argv[1]);
const net = await ClusterNetwork.create(process.argv[2]);
await net.addNode('n1', 1);
await net.addNode('n2', 2);
const pod = await net.addPod('n1', 'default/orphan');
// Report the pid only once the program runs: until \`ip netns exec\` has entered the namespace,
// no scan of the namespace can find it.
const child = net.spawnIn(pod.namespace, [process.execPath, '-e', 'console.log("in"); setInterval(() => {}, 1e6)'], {
  stdio: ['ignore', 'pipe', 'ignore'],
  detached: true,
});
await new Promise((resolve) => child.stdout.once('data', resolve));
console.log(JSON.stringify({ pid: child.pid }));
setInterval(() => {}, 1e6);
`;

describe('ClusterNetwork.cleanupStale (real network namespaces)', { skip: unsupported }, () => {
  const cluster = uniqueClusterName('st');
  const ip = new IpTool();
  // Look-alikes that are not this cluster's: another cluster whose name extends this one, and a
  // name no svcnet cluster produces.
  const decoys = [`svcnet-${cluster}x-underlay`, `svcnet-${cluster}x-node-n1`, `svcnet-${cluster}-other`];
  let orphanPid: number | undefined;

  after(async () => {
    if (orphanPid !== undefined && isAlive(orphanPid)) process.kill(orphanPid, 'SIGKILL');
    await ClusterNetwork.cleanupStale(cluster);
    await ip.deleteNamespaces(decoys);
  });

  it('removes the namespaces and processes of a crashed svcnet, and only those', async () => {
    await ip.addNamespaces(decoys);
    const indexUrl = new URL('./index.js', import.meta.url).href;
    const crashing = spawn(process.execPath, ['--input-type=module', '-e', crashingScript, indexUrl, cluster], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(crashing.stdout, 'data')) as [Buffer];
    orphanPid = (JSON.parse(line.toString()) as { pid: number }).pid;
    crashing.kill('SIGKILL');
    await once(crashing, 'exit');

    const leftovers = (await ip.listNamespaces()).filter((n) => belongsToCluster(cluster, n)).sort();
    assert.equal(leftovers.length, 4, `leftovers: ${leftovers.join(', ')}`);
    assert.ok(isAlive(orphanPid), 'the Pod process should have outlived its svcnet');

    const removed = await ClusterNetwork.cleanupStale(cluster);
    assert.deepEqual(removed.sort(), leftovers);
    const after = await ip.listNamespaces();
    assert.deepEqual(after.filter((n) => belongsToCluster(cluster, n)), []);
    for (const d of decoys) assert.ok(after.includes(d), `${d} must survive`);
    // SIGKILL is delivered asynchronously; give the orphan a moment to go.
    for (let i = 0; i < 50 && isAlive(orphanPid); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(isAlive(orphanPid), false, 'the orphaned Pod process should have been killed');

    // The same cluster comes straight back up after the cleanup.
    const net = await ClusterNetwork.create(cluster);
    try {
      await net.addNode('n1', 1);
      await net.addPod('n1', 'default/orphan');
    } finally {
      await net.destroy();
    }
  });

  it('create with replaceStale clears leftovers first; without it, refuses to double up', async () => {
    const first = await ClusterNetwork.create(cluster);
    await first.addNode('n1', 1);
    await assert.rejects(ClusterNetwork.create(cluster), /already up/);
    const second = await ClusterNetwork.create(cluster, { replaceStale: true });
    try {
      assert.deepEqual(
        (await ip.listNamespaces()).filter((n) => belongsToCluster(cluster, n)),
        [second.underlayNamespace],
      );
    } finally {
      await second.destroy();
    }
  });
});
