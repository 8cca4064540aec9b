// Starts a real svcnet API server (TLS, client certificates, sqlite) in a temp data dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane, type ControlPlane } from '../../src/cluster/control-plane.js';
import type { Controller } from '../../src/controllers/types.js';
import { createLogger } from '../../src/util/logger.js';
import { Kubectl } from './kubectl.js';
import { ApiClient } from './http.js';
import { after, before } from 'node:test';

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

/**
 * A server and an HTTP/2 admin client for one describe block: started in `before`, stopped in
 * `after` even when a test failed. Read `.s` and `.api` inside tests (they exist from `before` on).
 */
export function useTestServer(opts: TestServerOptions = {}): { readonly s: TestServer; readonly api: ApiClient } {
  let s: TestServer | undefined;
  let api: ApiClient | undefined;
  before(async () => {
    s = await startTestServer(opts);
    api = new ApiClient(s.cp.url, s.dataDir);
  });
  after(async () => {
    api?.close();
    await s?.stop();
  });
  return {
    get s() {
      return s!;
    },
    get api() {
      return api!;
    },
  };
}
