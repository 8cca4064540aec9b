// Starts a real svcnet API server (TLS, client certificates, sqlite) in a temp data dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane, type ControlPlane } from '../../src/cluster/control-plane.js';
import type { Controller } from '../../src/controllers/types.js';
import { createLogger } from '../../src/util/logger.js';
import { Kubectl } from './kubectl.js';

export interface TestServer {
  readonly cp: ControlPlane;
  readonly dataDir: string;
  readonly kubectl: Kubectl;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  readonly storage?: string;
  readonly kubectlBinary?: string;
  /** --service-cluster-ip-range (default 10.96.0.0/12). */
  readonly serviceClusterIPRange?: string;
  /** --service-node-port-range (default 30000-32767). */
  readonly serviceNodePortRange?: string;
  /** Controllers to run in-process against the server. */
  readonly controllers?: Controller[];
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'svcnet-test-'));
  const cp = await startControlPlane({
    dataDir,
    port: 0,
    controllers: opts.controllers,
    storage: opts.storage,
    serviceClusterIPRange: opts.serviceClusterIPRange,
    serviceNodePortRange: opts.serviceNodePortRange,
    logger: createLogger({ level: (process.env.SVCNET_TEST_LOG as 'debug') ?? 'error' }),
  });
  const kubectl = new Kubectl(cp.kubeconfigPath, opts.kubectlBinary);
  return {
    cp,
    dataDir,
    kubectl,
    async stop() {
      kubectl.cleanup();
      await cp.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
