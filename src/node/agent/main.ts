// `node dist/src/node/agent/main.js --node NAME --index I --cluster C --data-dir D --apiserver-socket S`
// One node agent as its own process (svcnet up starts one per node, after creating the node's
// namespace). Pod namespaces are plumbed here into the existing node namespace; SIGTERM/SIGINT
// stop every Pod process and remove their namespaces (the API objects stay).
//
// This file is the node's composition root: it builds the node's ONE RestClient, ONE
// SharedInformerFactory and ONE exec seam (the IpTool every `ip`/`ip netns exec`/nft of the node
// goes through), and injects them into the components. Nothing below it makes its own.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CLUSTER_DOMAIN, DEFAULT_DNS_SERVICE_IP } from '../../api/defaults/cluster.js';
import { RestClient, SharedInformerFactory } from '../../client/index.js';
import { createLogger } from '../../util/logger.js';
import { execFileRunner, nodeSpawner } from '../netns/exec.js';
import { IpTool } from '../netns/ip-command.js';
import { AttachedNodeNetwork } from '../runtime/pod-network.js';
import { NetnsDialer } from '../streaming/netns-dialer.js';
import { nodeStreamingHandlers } from '../streaming/agent-handlers.js';
import { NodeAgent } from './agent.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      node: { type: 'string' },
      index: { type: 'string' },
      cluster: { type: 'string' },
      'data-dir': { type: 'string' },
      'apiserver-socket': { type: 'string' },
      'cluster-dns': { type: 'string', default: DEFAULT_DNS_SERVICE_IP },
      'cluster-domain': { type: 'string', default: CLUSTER_DOMAIN },
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

  // The exec seam: every command the node runs in a namespace (ip, nft, netns helpers).
  const ip = new IpTool({ runner: execFileRunner, spawner: nodeSpawner });
  // The API: one client, one informer cache for everything on this node that watches.
  const client = RestClient.fromUnixSocket(values['apiserver-socket'] ?? join(dataDir, 'apiserver.sock'), { component: 'kubelet' });
  const informers = new SharedInformerFactory(client, { logger });

  const network = new AttachedNodeNetwork(cluster, node, index, join(dataDir, 'nodes', node, 'pod-netns.json'), ip);
  await network.removeStale();
  // exec and port-forward are served on the agent's kubelet socket, next to containerLogs.
  const dialer = new NetnsDialer({ spawnIn: (netns, argv, options) => ip.spawnIn(netns, argv, options) });
  const streaming = nodeStreamingHandlers(dialer);
  const agent = new NodeAgent({
    nodeName: node,
    client,
    informers,
    kubeletHandlers: streaming.handlers,
    dataDir,
    network,
    clusterDNS: values['cluster-dns'] ? values['cluster-dns'].split(',') : [],
    clusterDomain: values['cluster-domain'],
    resolvConf: values['resolv-conf'],
    logger,
  });
  // The Service proxy plugs in here (next issue): built from the same `informers` (Services,
  // EndpointSlices, Nodes: one list/watch per resource, shared with the agent) and the same exec
  // seam (`ip`, running nft/iptables in network.nodeNamespace); created before `agent.start()`,
  // which starts the factory (informers asked for later start at once), and stopped in `stop`
  // before the factory shuts down.

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await agent.stop().catch((err: Error) => logger.error('stop failed', { err: err.message }));
    await streaming.close().catch(() => {});
    dialer.close();
    informers.shutdown();
    client.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  await agent.start();
}

main().catch((err: Error) => {
  process.stderr.write(`node agent: ${err.message}\n`);
  process.exit(1);
});
