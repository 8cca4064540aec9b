// svcnet's command line. Parses arguments and hands over to cluster/; nothing else lives here.
import { parseArgs } from 'node:util';
import {
  CONTROL_PLANE_ADDRESS,
  DEFAULT_LOAD_BALANCER_POOL,
  DEFAULT_NODE_PORT_RANGE,
  DEFAULT_SECURE_PORT,
  DEFAULT_SERVICE_CIDR,
} from '../api/defaults/cluster.js';
import { startControlPlane } from '../cluster/control-plane.js';
import { selectControllers } from '../cluster/controllers.js';
import { down, up } from '../cluster/up.js';
import { etcdStorageURL } from '../storage/index.js';

const DEFAULT_CLUSTER = 'local';

async function upCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      nodes: { type: 'string', default: '2' },
      'data-dir': { type: 'string', default: './.svcnet' },
      'proxy-mode': { type: 'string', default: 'nftables' },
      port: { type: 'string', default: String(DEFAULT_SECURE_PORT) },
      controllers: { type: 'string', default: '*' },
      'cluster-name': { type: 'string', default: DEFAULT_CLUSTER },
    },
    strict: true,
  });
  const print = (l: string) => process.stdout.write(l + '\n');
  let cluster;
  try {
    cluster = await up({
      dataDir: values['data-dir']!,
      nodes: Number(values.nodes),
      cluster: values['cluster-name']!,
      port: Number(values.port),
      proxyMode: values['proxy-mode']!,
      controllers: values.controllers,
      print,
    });
  } catch (err) {
    process.stderr.write(`svcnet up: ${(err as Error).message}\n`);
    return 1;
  }
  print(`Cluster ready in ${(cluster.readyMs / 1000).toFixed(1)} s: ${cluster.nodeNames.length} node(s), API server ${cluster.cp.url}`);
  print('');
  print(`  export KUBECONFIG=${cluster.cp.kubeconfigPath}`);
  print('  kubectl get nodes');
  print('');
  print('Press Ctrl-C to stop and remove the cluster (or run `svcnet down`).');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  print('Stopping …');
  await cluster.stop();
  print('Stopped; every namespace and process svcnet made is gone.');
  return 0;
}

async function downCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { 'data-dir': { type: 'string', default: './.svcnet' }, 'cluster-name': { type: 'string', default: DEFAULT_CLUSTER } },
    strict: true,
  });
  try {
    await down(values['data-dir']!, values['cluster-name']!, (l) => process.stdout.write(l + '\n'));
    return 0;
  } catch (err) {
    process.stderr.write(`svcnet down: ${(err as Error).message}\n`);
    return 1;
  }
}

const USAGE = `svcnet — Kubernetes Service networking that really moves packets

Usage:
  svcnet up [--nodes N] [--data-dir DIR] [--proxy-mode nftables|iptables|userspace] [--port PORT]
            [--cluster-name NAME]
      Start a whole cluster on this machine in the foreground (needs root): the API server and
      controllers, N nodes as network namespaces with their agents, Pods as processes.
      Its network namespaces are named svcnet-NAME-… (NAME: lowercase letters and digits,
      default local), so clusters with different names never touch each other's.
      Ctrl-C (or \`svcnet down\`) removes every namespace and process it made.

  svcnet down [--data-dir DIR] [--cluster-name NAME]
      Stop a running \`svcnet up\`, or clean up after one that was killed (the cluster name is
      read from DIR when \`up\` recorded it there).

  svcnet apiserver [--data-dir DIR] [--port PORT] [--bind-address IP] [--storage URL]
      Run the Kubernetes-compatible API server in the foreground.
      The admin kubeconfig is written to DIR/kubeconfig (DIR defaults to ./.svcnet).
      --storage: sqlite:///path/state.db (default: DIR/state.db), memory://, or
                 etcd://host:port[,host:port…] (etcd v3; several API servers may share one etcd)
      --etcd-prefix /P                         (etcd only: keys under /P/registry/…; default /registry/…)
      --etcd-cafile, --etcd-certfile, --etcd-keyfile FILE   (etcd only: TLS to etcd)
      --service-cluster-ip-range CIDR[,CIDR]   (default ${DEFAULT_SERVICE_CIDR}; add an IPv6 CIDR for dual-stack)
      --service-node-port-range LOW-HIGH       (default ${DEFAULT_NODE_PORT_RANGE})
      --advertise-address IP                   (the kubernetes Service endpoint; default ${CONTROL_PLANE_ADDRESS})
      --controllers LIST                       (default *: all; names, -name to exclude, "" for none)
      --load-balancer-pool RANGES              (LoadBalancer IPs; default ${DEFAULT_LOAD_BALANCER_POOL})

  svcnet version
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'up':
      return upCommand(rest);
    case 'down':
      return downCommand(rest);
    case 'apiserver':
      return apiserver(rest);
    case 'version':
      console.log('svcnet 0.1.0 (Kubernetes API v1.32)');
      return 0;
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return cmd === undefined ? 1 : 0;
    default:
      process.stderr.write(`svcnet: unknown command ${JSON.stringify(cmd)}\n\n${USAGE}`);
      return 1;
  }
}

async function apiserver(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string', default: './.svcnet' },
      port: { type: 'string', default: String(DEFAULT_SECURE_PORT) },
      'bind-address': { type: 'string', default: '127.0.0.1' },
      storage: { type: 'string' },
      'service-cluster-ip-range': { type: 'string', default: DEFAULT_SERVICE_CIDR },
      'service-node-port-range': { type: 'string', default: DEFAULT_NODE_PORT_RANGE },
      'advertise-address': { type: 'string', default: CONTROL_PLANE_ADDRESS },
      controllers: { type: 'string', default: '*' },
      'load-balancer-pool': { type: 'string' },
      'etcd-prefix': { type: 'string' },
      'etcd-cafile': { type: 'string' },
      'etcd-certfile': { type: 'string' },
      'etcd-keyfile': { type: 'string' },
    },
    strict: true,
  });
  let storage = values.storage;
  const etcdFlags = { prefix: values['etcd-prefix'], cafile: values['etcd-cafile'], certfile: values['etcd-certfile'], keyfile: values['etcd-keyfile'] };
  if (Object.values(etcdFlags).some((v) => v !== undefined)) {
    if (!storage?.toLowerCase().startsWith('etcd://')) {
      process.stderr.write('svcnet: --etcd-prefix/--etcd-cafile/--etcd-certfile/--etcd-keyfile need --storage etcd://…\n');
      return 1;
    }
    storage = etcdStorageURL(storage, etcdFlags);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`svcnet: --port must be a number between 0 and 65535, got ${JSON.stringify(values.port)}\n`);
    return 1;
  }
  const cp = await startControlPlane({
    dataDir: values['data-dir']!,
    port,
    bindAddress: values['bind-address'],
    storage,
    serviceClusterIPRange: values['service-cluster-ip-range'],
    serviceNodePortRange: values['service-node-port-range'],
    advertiseAddress: values['advertise-address'],
    controllers: selectControllers(values.controllers!, { loadBalancerPool: values['load-balancer-pool'] }),
  });
  process.stdout.write(`svcnet apiserver listening on ${cp.url}\n  export KUBECONFIG=${cp.kubeconfigPath}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await cp.stop();
  return 0;
}
