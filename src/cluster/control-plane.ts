// Composition root for the control plane: picks the storage driver by URL, makes the PKI and
// kubeconfig, builds the registry and starts the API server. Only this file knows all of them.
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openStorage } from '../storage/index.js';
import { CONTROL_PLANE_ADDRESS, DEFAULT_SECURE_PORT } from '../api/defaults/cluster.js';
import type { Storage } from '../storage/types.js';
import { ensurePKI, writeKubeconfig } from '../apiserver/pki/index.js';
import { ApiServer } from '../apiserver/server.js';
import { ApiServerMetrics } from '../apiserver/metrics.js';
import { Registry } from '../apiserver/registry/registry.js';
import { createLogger, type Logger } from '../util/logger.js';
import { startCompactor } from './compactor.js';
import { streamingHandlers } from '../apiserver/streaming/index.js';
import { ControllerManager } from './controller-manager.js';
import { RestClient } from '../client/index.js';
import type { Controller } from '../controllers/types.js';
import { openServiceAllocators } from '../apiserver/registry/service/allocators.js';
import { ServiceRepair } from '../apiserver/bootstrap/repair.js';
import { systemContext } from '../apiserver/bootstrap/events.js';
import { ClusterIPIndex } from '../apiserver/registry/service/cluster-ip-index.js';
import { reconcileKubernetesService, startKubernetesServiceController } from '../apiserver/bootstrap/kubernetes-service.js';
import type { ConnectionTimeouts } from '../apiserver/connection-timeouts.js';

export interface ControlPlaneOptions {
  readonly dataDir: string;
  /** Storage URL (sqlite:///…, memory://, etcd://…); default sqlite in the data dir. */
  readonly storage?: string;
  readonly bindAddress?: string;
  readonly port?: number;
  readonly logger?: Logger;
  /** --service-cluster-ip-range: one CIDR, or an IPv4 and an IPv6 CIDR separated by a comma. */
  readonly serviceClusterIPRange?: string;
  /** --service-node-port-range, "LOW-HIGH" (default DEFAULT_NODE_PORT_RANGE). */
  readonly serviceNodePortRange?: string;
  /** Where Pods reach the API server (the `kubernetes` Service's endpoint). */
  readonly advertiseAddress?: string;
  /** Controllers to run in-process against this API server (over its unix socket). */
  readonly controllers?: Controller[];
  /** TLS handshake / read-header / idle deadlines of the HTTPS listener. */
  readonly timeouts?: ConnectionTimeouts;
  /** How often the `kubernetes` Service and its endpoints are reconciled (default 10 s). */
  readonly kubernetesServiceReconcileIntervalMs?: number;
}

/** The control plane's address on the node network that `svcnet up` builds (NODE_NETWORK_CIDR). */
export const DEFAULT_ADVERTISE_ADDRESS = CONTROL_PLANE_ADDRESS;

export interface ControlPlane {
  readonly server: ApiServer;
  readonly registry: Registry;
  readonly storage: Storage;
  readonly kubeconfigPath: string;
  readonly socketPath: string;
  readonly tlsSocketPath: string;
  readonly url: string;
  stop(): Promise<void>;
}

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // mkdir's mode only applies to a directory it creates: an existing data dir (keys, the
  // system:masters socket, the database) is closed to other users here.
  chmodSync(dataDir, 0o700);
  const logger = opts.logger ?? createLogger({ component: 'apiserver' });
  const storage = await openStorage(opts.storage ?? `sqlite://${join(dataDir, 'state.db')}`);
  // Every object, Secrets included, is in the database: owner-only, like the keys.
  for (const f of ['state.db', 'state.db-wal', 'state.db-shm']) {
    const p = join(dataDir, f);
    if (existsSync(p)) chmodSync(p, 0o600);
  }
  const advertise = opts.advertiseAddress ?? DEFAULT_ADVERTISE_ADDRESS;
  // The serving certificate also covers the address Pods reach the API server at.
  const pki = await ensurePKI(dataDir, { hosts: [advertise] });
  const host = opts.bindAddress ?? '127.0.0.1';
  const alloc = await openServiceAllocators(storage, {
    serviceClusterIPRange: opts.serviceClusterIPRange,
    serviceNodePortRange: opts.serviceNodePortRange,
  });
  const clusterIPs = new ClusterIPIndex();
  const registry = new Registry(storage, { service: alloc, clusterIPOwner: clusterIPs.lookup });
  const repair = new ServiceRepair(registry, alloc, logger);
  const socketPath = join(dataDir, 'apiserver.sock');
  // exec, attach-less logs, port-forward and the proxy subresources relay to the node agents.
  const streaming = streamingHandlers(registry, { dataDir, logger });
  const server = new ApiServer({
    registry,
    metrics: new ApiServerMetrics(),
    logger,
    tls: { key: pki.apiserver.keyPem, cert: pki.apiserver.certPem, ca: pki.ca.certPem },
    host,
    port: opts.port ?? DEFAULT_SECURE_PORT,
    socketPath,
    tlsSocketPath: join(dataDir, 'apiserver-tls.sock'),
    timeouts: opts.timeouts,
    subresources: streaming.subresources,
    upgradeHandlers: [streaming.upgrade],
  });
  await server.start();
  await registry.bootstrap(systemContext());
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${server.port}`;
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  await writeKubeconfig(kubeconfigPath, {
    server: url,
    caPem: pki.ca.certPem,
    clientCertPem: pki.admin.certPem,
    clientKeyPem: pki.admin.keyPem,
  });
  // Repair before serving the kubernetes Service so a crash between allocation and write is healed.
  await repair.runOnce();
  await clusterIPs.start(registry.store('', 'services')!);
  repair.start();
  const kubernetesService = { clusterIP: alloc.kubernetesServiceIP, advertiseAddress: advertise, port: server.port };
  await reconcileKubernetesService(registry, kubernetesService);
  const kubernetesServiceController = startKubernetesServiceController(registry, kubernetesService, {
    intervalMs: opts.kubernetesServiceReconcileIntervalMs,
    onError: (err) => logger.error('reconciling the kubernetes service', { err: String((err as Error)?.stack ?? err) }),
  });
  const compactor = startCompactor(storage, logger);
  let manager: ControllerManager | undefined;
  let client: RestClient | undefined;
  if (opts.controllers?.length) {
    client = RestClient.fromUnixSocket(socketPath, { component: 'controller-manager' });
    manager = new ControllerManager(client, opts.controllers, logger.child({ component: 'controller-manager' }));
    await manager.start();
  }
  logger.info('apiserver ready', { url, storage: storage.name, kubeconfig: kubeconfigPath });
  return {
    server,
    registry,
    storage,
    kubeconfigPath,
    socketPath,
    tlsSocketPath: join(dataDir, 'apiserver-tls.sock'),
    url,
    async stop() {
      compactor.stop();
      await kubernetesServiceController.stop();
      repair.stop();
      clusterIPs.stop();
      await manager?.stop();
      client?.close();
      await server.stop();
      await storage.close();
    },
  };
}
