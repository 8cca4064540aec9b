// `svcnet up`: the whole cluster on this machine. The control plane (API server + controllers)
// runs in this process; the node network is a private underlay namespace with one namespace per
// node; each node runs its agent as its own process inside its namespace; a forwarder in the
// underlay makes the API server reachable at the control-plane address for Pods.
// `svcnet down` and the next `svcnet up` clean up whatever a killed `svcnet up` left.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClusterNetwork, belongsToCluster, checkNetnsSupport, validateClusterName } from '../node/netns/index.js';
import { RestClient } from '../client/index.js';
import { createLogger, type Logger } from '../util/logger.js';
import { startControlPlane, type ControlPlane } from './control-plane.js';
import { selectControllers } from './controllers.js';
import { clearUpState, isOurProcess, readUpState, writeUpState } from './up-state.js';

export interface UpOptions {
  readonly dataDir: string;
  readonly nodes: number;
  readonly cluster: string;
  readonly port: number;
  readonly proxyMode: string;
  readonly controllers?: string;
  readonly logger?: Logger;
  /** Progress lines for the user (stdout). */
  readonly print: (line: string) => void;
}

export interface RunningCluster {
  readonly cp: ControlPlane;
  readonly network: ClusterNetwork;
  readonly nodeNames: string[];
  readonly readyMs: number;
  stop(): Promise<void>;
}

const DIST_SRC = fileURLToPath(new URL('..', import.meta.url));
const AGENT_MAIN = join(DIST_SRC, 'node/agent/main.js');
const FORWARDER = join(DIST_SRC, 'cluster/apiserver-forwarder.js');
const PROXY_MODES = ['nftables', 'iptables', 'userspace'];

/** Stops what a previous `svcnet up` in this data dir left running (by PID) and its namespaces. */
export async function cleanupPrevious(dataDir: string, cluster: string, logger: Logger): Promise<string[]> {
  const state = readUpState(dataDir);
  const removed: string[] = [];
  if (state) {
    for (const c of state.children) {
      if (isOurProcess(c.pid)) {
        try {
          process.kill(c.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    if (state.pid !== process.pid && isOurProcess(state.pid)) {
      throw new Error(`svcnet up is already running for ${dataDir} (pid ${state.pid}); run \`svcnet down\` first`);
    }
  }
  removed.push(...(await ClusterNetwork.cleanupStale(state?.cluster ?? cluster)));
  removeEtcNetns(state?.cluster ?? cluster);
  clearUpState(dataDir);
  if (removed.length) logger.info('removed leftovers of a previous run', { namespaces: removed.length });
  return removed;
}

/** Per-Pod resolv.conf/hosts live in /etc/netns/<namespace>/ (ip netns exec mounts them). */
function removeEtcNetns(cluster: string): void {
  if (!existsSync(ETC_NETNS)) return;
  for (const name of readdirSync(ETC_NETNS)) {
    if (belongsToCluster(cluster, name)) rmSync(join(ETC_NETNS, name), { recursive: true, force: true });
  }
}

const ETC_NETNS = '/etc/netns';

function waitForExitOrTimeout(child: ChildProcess, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

export async function up(opts: UpOptions): Promise<RunningCluster> {
  const started = Date.now();
  const dataDir = resolve(opts.dataDir);
  const logger = opts.logger ?? createLogger({ component: 'svcnet-up' });
  if (!PROXY_MODES.includes(opts.proxyMode)) {
    throw new Error(`--proxy-mode must be one of ${PROXY_MODES.join(', ')}, got ${JSON.stringify(opts.proxyMode)}`);
  }
  if (!Number.isInteger(opts.nodes) || opts.nodes < 1 || opts.nodes > 250) throw new Error('--nodes must be between 1 and 250');
  validateClusterName(opts.cluster);
  const problem = await checkNetnsSupport();
  if (problem) throw new Error(problem);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  await cleanupPrevious(dataDir, opts.cluster, logger);

  opts.print(`Starting the control plane (data dir ${dataDir}) …`);
  const cp = await startControlPlane({
    dataDir,
    port: opts.port,
    logger: logger.child({ component: 'apiserver' }),
    controllers: selectControllers(opts.controllers ?? '*'),
  });
  const children: { child: ChildProcess; role: string }[] = [];
  const saveState = () =>
    writeUpState(dataDir, {
      cluster: opts.cluster,
      pid: process.pid,
      children: children.filter((c) => c.child.pid !== undefined).map((c) => ({ pid: c.child.pid!, role: c.role })),
    });
  let network: ClusterNetwork | undefined;
  const nodeNames: string[] = [];
  const stop = async () => {
    for (const c of children) c.child.kill('SIGTERM');
    await Promise.all(children.map((c) => waitForExitOrTimeout(c.child, 10_000)));
    await network?.destroy().catch((err: Error) => logger.warn('network teardown failed', { err: err.message }));
    removeEtcNetns(opts.cluster);
    await cp.stop();
    clearUpState(dataDir);
  };
  try {
    opts.print(`Building the node network (underlay ${opts.cluster}, ${opts.nodes} node${opts.nodes > 1 ? 's' : ''}) …`);
    network = await ClusterNetwork.create(opts.cluster, { replaceStale: true });
    const fwd = network.spawnIn(network.underlayNamespace, [process.execPath, FORWARDER, network.controlPlaneAddress, String(cp.server.port), cp.tlsSocketPath], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push({ child: fwd, role: 'apiserver-forwarder' });
    for (let i = 0; i < opts.nodes; i++) {
      const name = `node${i + 1}`;
      nodeNames.push(name);
      await network.addNode(name, i + 1);
      // nsenter --net (not `ip netns exec`): the agent must stay in the host's mount namespace,
      // so the Pod namespaces it creates with `ip netns add` are visible to everyone else
      // (`ip netns exec` gives its child a private mount namespace and they would not be).
      const agent = spawn(
        'nsenter',
        [`--net=/run/netns/${network.nodeNamespace(name)}`, '--', process.execPath, AGENT_MAIN, '--node', name, '--index', String(i + 1), '--cluster', opts.cluster, '--data-dir', dataDir, '--apiserver-socket', cp.socketPath],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      children.push({ child: agent, role: `node-agent/${name}` });
      opts.print(`  node ${name}: ${network.node(name)?.address ?? ''}, pods ${network.node(name)?.podCidr ?? ''}`);
    }
    saveState();
    if (opts.proxyMode) opts.print(`  proxy mode ${opts.proxyMode}: the Service proxy and cluster DNS are not part of svcnet yet`);

    opts.print('Waiting for the nodes to be Ready …');
    const client = RestClient.fromUnixSocket(cp.socketPath, { component: 'svcnet-up' });
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const nodes = (await client.list({ group: '', version: 'v1', resource: 'nodes' })).items as {
          metadata: { name?: string };
          status?: { conditions?: { type: string; status: string }[] };
        }[];
        const ready = nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
        if (nodeNames.every((n) => ready.some((r) => r.metadata.name === n))) break;
        const dead = children.find((c) => c.child.exitCode !== null);
        if (dead) throw new Error(`${dead.role} exited with code ${dead.child.exitCode} while starting`);
        if (Date.now() > deadline) throw new Error('nodes did not become Ready within 60 s');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      client.close();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const readyMs = Date.now() - started;
  return { cp, network: network!, nodeNames, readyMs, stop };
}

/** `svcnet down`: stops a running `svcnet up` (SIGTERM to its PID) or cleans up after a dead one. */
export async function down(dataDir: string, cluster: string, print: (l: string) => void): Promise<void> {
  validateClusterName(cluster);
  const dir = resolve(dataDir);
  const state = readUpState(dir);
  if (state && state.pid !== process.pid && isOurProcess(state.pid)) {
    print(`Stopping svcnet up (pid ${state.pid}) …`);
    process.kill(state.pid, 'SIGTERM');
    const deadline = Date.now() + 30_000;
    while (isOurProcess(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  }
  const logger = createLogger({ component: 'svcnet-down' });
  const removed = await cleanupPrevious(dir, state?.cluster ?? cluster, logger).catch(async (err: Error) => {
    // The owner is still alive after 30 s: say so rather than pulling the network from under it.
    throw err;
  });
  print(removed.length ? `Removed ${removed.length} network namespace(s).` : 'Nothing left running.');
}
