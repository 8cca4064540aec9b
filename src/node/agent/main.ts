// `node dist/src/node/agent/main.js --node NAME --index I --cluster C --data-dir D --apiserver-socket S`
// One node agent as its own process (svcnet up starts one per node, after creating the node's
// namespace). Pod namespaces are plumbed here into the existing node namespace; SIGTERM/SIGINT
// stop every Pod process and remove their namespaces (the API objects stay).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RestClient } from '../../client/index.js';
import { createLogger } from '../../util/logger.js';
import { AttachedNodeNetwork } from '../runtime/pod-network.js';
import { NodeAgent } from './agent.js';
import { closeNodeStreaming, registerNodeStreamingHandlers } from '../streaming/index.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      node: { type: 'string' },
      index: { type: 'string' },
      cluster: { type: 'string' },
      'data-dir': { type: 'string' },
      'apiserver-socket': { type: 'string' },
      'cluster-dns': { type: 'string', default: '10.96.0.10' },
      'cluster-domain': { type: 'string', default: 'cluster.local' },
      'resolv-conf': { type: 'string', default: '/etc/resolv.conf' },
    },
    strict: true,
  });
  const node = values.node;
  const index = Number(values.index);
  const cluster = values.cluster;
  const dataDir = values['data-dir'];
  if (!node || !cluster || !dataDir || !Number.isInteger(index)) {
    throw new Error('usage: main.js --node NAME --index I --cluster C --data-dir D [--apiserver-socket S]');
  }
  const logger = createLogger({ component: 'node-agent' }).child({ node });
  const network = new AttachedNodeNetwork(cluster, node, index, join(dataDir, 'nodes', node, 'pod-netns.json'));
  await network.removeStale();
  const client = RestClient.fromUnixSocket(values['apiserver-socket'] ?? join(dataDir, 'apiserver.sock'), { component: 'kubelet' });
  const agent = new NodeAgent({
    nodeName: node,
    client,
    dataDir,
    network,
    clusterDNS: values['cluster-dns'] ? values['cluster-dns'].split(',') : [],
    clusterDomain: values['cluster-domain'],
    resolvConf: values['resolv-conf'],
    logger,
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await agent.stop().catch((err: Error) => logger.error('stop failed', { err: err.message }));
    closeNodeStreaming();
    client.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // exec and port-forward are served on the agent's kubelet socket, next to containerLogs.
  registerNodeStreamingHandlers();
  await agent.start();
}

main().catch((err: Error) => {
  process.stderr.write(`node agent: ${err.message}\n`);
  process.exit(1);
});
