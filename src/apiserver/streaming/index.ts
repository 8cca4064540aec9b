// Public entry of the API server's streaming subresources: pods/log, pods/exec, pods/attach,
// pods/portforward, pods/proxy, services/proxy. Everything is relayed to the node the Pod runs
// on, through that node agent's unix socket.
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { apiErrors } from '../../api/errors.js';
import type { Logger } from '../../util/logger.js';
import type { SubresourceHandler } from '../router.js';
import type { RawRequest } from '../http.js';
import type { Registry } from '../registry/registry.js';
import type { UpgradeHandler } from '../server.js';
import { handleExecUpgrade, WS_EXEC_PROTOCOLS } from './exec-upgrade.js';
import { kubeletSocketIn, type KubeletSocketResolver } from './node-connection.js';
import { servePodLogs } from './pod-logs.js';
import { handlePortForwardUpgrade, SPDY_TUNNEL_TOKEN, TUNNELED_PORT_FORWARD_PROTOCOL } from './port-forward-upgrade.js';
import { serveProxy } from './proxy.js';
import { attachNotSupported, runUpgrade, upgradeTarget } from './upgrade.js';

export { kubeletSocketIn } from './node-connection.js';
export type { KubeletSocketResolver } from './node-connection.js';

export interface StreamingOptions {
  /** The unix socket of a node's agent; default `<dataDir>/nodes/<node>/kubelet.sock`. */
  readonly kubeletSocket?: KubeletSocketResolver;
  /** Used for the default kubeletSocket. */
  readonly dataDir?: string;
  readonly logger?: Logger;
}

const upgradeRequired: SubresourceHandler = async () => {
  throw apiErrors.badRequest('Upgrade request required');
};

/** What an API server needs to serve the streaming subresources: pass both to its constructor. */
export interface StreamingHandlers {
  /** The HTTP ones (logs, proxy; exec and portforward without an upgrade get a 400). */
  readonly subresources: ReadonlyMap<string, SubresourceHandler>;
  /** exec, attach and portforward, which arrive as connection upgrades. */
  readonly upgrade: UpgradeHandler;
}

/** The streaming subresources of the API server over `registry`, relayed to the node agents. */
export function streamingHandlers(registry: Registry, opts: StreamingOptions): StreamingHandlers {
  const kubeletSocket = opts.kubeletSocket ?? (opts.dataDir ? kubeletSocketIn(opts.dataDir) : undefined);
  if (!kubeletSocket) throw new Error('streamingHandlers needs kubeletSocket or dataDir');

  const subresources = new Map<string, SubresourceHandler>([
    ['pods/log', (call) => servePodLogs(call, kubeletSocket)],
    ['pods/exec', upgradeRequired],
    ['pods/portforward', upgradeRequired],
    ['pods/proxy', (call) => serveProxy(call, registry, kubeletSocket)],
    ['services/proxy', (call) => serveProxy(call, registry, kubeletSocket)],
  ]);

  // Echo the protocol the handler negotiated (the first offered one we speak).
  const known = new Set<string>([...WS_EXEC_PROTOCOLS, TUNNELED_PORT_FORWARD_PROTOCOL]);
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (p) => (p.has(SPDY_TUNNEL_TOKEN) ? TUNNELED_PORT_FORWARD_PROTOCOL : ([...p].find((x) => known.has(x)) ?? false)),
  });
  const deps = { registry, kubeletSocket, wss };
  const unexpected = (err: unknown) => opts.logger?.error('streaming upgrade failed', { err: String((err as Error)?.stack ?? err) });
  const upgrade: UpgradeHandler = (req: RawRequest, socket: Socket, head: Buffer) => {
    const target = upgradeTarget(req);
    if (!target) return false;
    const u = { req, socket, head, ...target };
    switch (target.info.subresource) {
      case 'exec':
        runUpgrade((x) => handleExecUpgrade(x, deps), u, unexpected);
        return true;
      case 'portforward':
        runUpgrade((x) => handlePortForwardUpgrade(x, deps), u, unexpected);
        return true;
      case 'attach':
        runUpgrade(async () => {
          throw attachNotSupported();
        }, u, unexpected);
        return true;
      default:
        return false;
    }
  };
  return { subresources, upgrade };
}
