// Public entry of the API server's streaming subresources: pods/log, pods/exec, pods/attach,
// pods/portforward, pods/proxy, services/proxy. Everything is relayed to the node the Pod runs
// on, through that node agent's unix socket.
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { apiErrors } from '../../api/errors.js';
import type { Logger } from '../../util/logger.js';
import type { ResourceCall } from '../handlers/context.js';
import { externalSubresources, type SubresourceHandler } from '../router.js';
import type { RawRequest } from '../http.js';
import type { Registry } from '../registry/registry.js';
import type { RegistryStore } from '../registry/store.js';
import type { ApiServer } from '../server.js';
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

interface Context {
  readonly registry: Registry;
  readonly kubeletSocket: KubeletSocketResolver;
}

// externalSubresources is process-wide; several API servers in one process (tests) each find
// their own context through the store the router resolved for the request.
const contexts = new WeakMap<RegistryStore, Context>();

function contextOf(call: ResourceCall): Context {
  const ctx = contexts.get(call.store);
  if (!ctx) throw apiErrors.serviceUnavailable(`${call.info.resource}/${call.info.subresource} is not served by this API server`);
  return ctx;
}

const upgradeRequired: SubresourceHandler = async () => {
  throw apiErrors.badRequest('Upgrade request required');
};

/**
 * Serves the streaming subresources on `server`: HTTP ones through the router's
 * externalSubresources, exec/attach/portforward through the server's upgrade hook.
 */
export function registerStreamingSubresources(server: ApiServer, registry: Registry, opts: StreamingOptions): void {
  const kubeletSocket = opts.kubeletSocket ?? (opts.dataDir ? kubeletSocketIn(opts.dataDir) : undefined);
  if (!kubeletSocket) throw new Error('registerStreamingSubresources needs kubeletSocket or dataDir');
  const ctx: Context = { registry, kubeletSocket };
  contexts.set(registry.store('', 'pods')!, ctx);
  contexts.set(registry.store('', 'services')!, ctx);

  externalSubresources.set('pods/log', (call) => servePodLogs(call, contextOf(call).kubeletSocket));
  externalSubresources.set('pods/exec', upgradeRequired);
  externalSubresources.set('pods/portforward', upgradeRequired);
  externalSubresources.set('pods/proxy', (call) => serveProxy(call, contextOf(call).registry, contextOf(call).kubeletSocket));
  externalSubresources.set('services/proxy', (call) => serveProxy(call, contextOf(call).registry, contextOf(call).kubeletSocket));

  // Echo the protocol the handler negotiated (the first offered one we speak).
  const known = new Set<string>([...WS_EXEC_PROTOCOLS, TUNNELED_PORT_FORWARD_PROTOCOL]);
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (p) => (p.has(SPDY_TUNNEL_TOKEN) ? TUNNELED_PORT_FORWARD_PROTOCOL : ([...p].find((x) => known.has(x)) ?? false)),
  });
  const deps = { registry, kubeletSocket, wss };
  const unexpected = (err: unknown) => opts.logger?.error('streaming upgrade failed', { err: String((err as Error)?.stack ?? err) });
  server.onUpgrade((req: RawRequest, socket: Socket, head: Buffer) => {
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
  });
}
