// pods/portforward. kubectl ≥ 1.31 tunnels SPDY inside a WebSocket (subprotocol
// `SPDY/3.1+portforward.k8s.io`), older ones upgrade to SPDY/3.1 directly (portforward.k8s.io);
// both speak the same SPDY: per forwarded connection the client opens an `error` and a `data`
// stream carrying `port` and `requestid` headers. Each pair becomes one TCP connection inside
// the Pod's network namespace, opened by the node (a `tcp.svcnet.io` WebSocket tunnel).
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { createWebSocketStream, type WebSocket, type WebSocketServer } from 'ws';
import { apiErrors } from '../../api/errors.js';
import type { Registry } from '../registry/registry.js';
import { nodeWebSocket, NodeResponseError, type KubeletSocketResolver } from './node-connection.js';
import { assignedNode, getPod } from './pod-target.js';
import { acceptSpdy, headerList } from './raw-response.js';
import { SpdyConnection, type SpdyStream } from './spdy/connection.js';
import type { UpgradeRequest } from './upgrade.js';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
export const TUNNELED_PORT_FORWARD_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
export const TUNNEL_PROTOCOL = 'tcp.svcnet.io';

/**
 * `SPDY/3.1+portforward.k8s.io` is not an RFC 6455 token ('/' is a separator), and the ws
 * library refuses the handshake over it. The request header is swapped for this token before
 * the handshake; the server's handleProtocols answers with the real name, as client-go expects.
 */
export const SPDY_TUNNEL_TOKEN = 'svcnet-spdy-tunnel';

interface PortForwardDeps {
  readonly registry: Registry;
  readonly kubeletSocket: KubeletSocketResolver;
  readonly wss: WebSocketServer;
}

/** Opens one TCP connection to `port` in the Pod (host: its loopback unless given). */
export type TunnelOpener = (port: number) => Promise<WebSocket>;

export async function handlePortForwardUpgrade(u: UpgradeRequest, deps: PortForwardDeps): Promise<void> {
  const { req, socket, info } = u;
  const isWebSocket = (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
  const offered = isWebSocket ? headerList(req.headers['sec-websocket-protocol']) : headerList(req.headers['x-stream-protocol-version']);
  const wanted = isWebSocket ? TUNNELED_PORT_FORWARD_PROTOCOL : PORT_FORWARD_PROTOCOL;
  if (!offered.includes(wanted)) {
    throw apiErrors.badRequest(`unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${wanted}]`);
  }
  const pod = await getPod(deps.registry, info.namespace, info.name);
  const node = assignedNode(pod);
  const base = `/portForward/${encodeURIComponent(info.namespace)}/${encodeURIComponent(info.name)}`;
  const open: TunnelOpener = (port) => nodeWebSocket(deps.kubeletSocket(node), `${base}?port=${port}`, TUNNEL_PROTOCOL);
  if (isWebSocket) {
    req.headers['sec-websocket-protocol'] = SPDY_TUNNEL_TOKEN;
    deps.wss.handleUpgrade(req as IncomingMessage, socket, u.head, (ws) => {
      const io = createWebSocketStream(ws);
      io.on('error', () => ws.terminate());
      servePortForward(new SpdyConnection(io), open);
    });
    return;
  }
  acceptSpdy(socket, PORT_FORWARD_PROTOCOL);
  if (u.head.length) socket.unshift(u.head);
  servePortForward(new SpdyConnection(socket as Socket), open);
}

interface Pair {
  data?: SpdyStream;
  error?: SpdyStream;
  timer: NodeJS.Timeout;
}

/** Pairs the client's streams by requestid and runs one tunnel per pair. */
export function servePortForward(conn: SpdyConnection, open: TunnelOpener): void {
  const pairs = new Map<string, Pair>();
  const tunnels = new Set<WebSocket>();
  conn.on('close', () => {
    for (const p of pairs.values()) clearTimeout(p.timer);
    for (const t of tunnels) t.close(1000);
  });
  conn.on('stream', (s: SpdyStream) => {
    const type = s.header('streamtype');
    const id = s.header('requestid') ?? String(s.id);
    if (type !== 'data' && type !== 'error') {
      s.reset();
      return;
    }
    let pair = pairs.get(id);
    if (!pair) {
      const timer = setTimeout(() => {
        pairs.delete(id);
        pair?.data?.reset();
        pair?.error?.reset();
      }, 30_000);
      timer.unref();
      pair = { timer };
      pairs.set(id, pair);
    }
    pair[type] = s;
    if (pair.data && pair.error) {
      pairs.delete(id);
      clearTimeout(pair.timer);
      void forward(pair.data, pair.error, open, tunnels);
    }
  });
}

async function forward(data: SpdyStream, error: SpdyStream, open: TunnelOpener, tunnels: Set<WebSocket>): Promise<void> {
  const portText = data.header('port') ?? '';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    error.write(Buffer.from(`invalid port: ${JSON.stringify(portText)}`));
    error.end();
    data.end();
    return;
  }
  // Bytes the client sends before the tunnel is up are kept, not lost.
  const early: Buffer[] = [];
  let clientDone = false;
  const onEarly = (d: Buffer) => early.push(d);
  const onEarlyEnd = () => (clientDone = true);
  data.on('data', onEarly);
  data.on('end', onEarlyEnd);
  let tunnel: WebSocket;
  try {
    tunnel = await open(port);
  } catch (err) {
    const msg = err instanceof NodeResponseError ? err.body : (err as Error).message;
    error.write(Buffer.from(msg));
    error.end();
    data.end();
    return;
  }
  tunnels.add(tunnel);
  data.off('data', onEarly);
  data.off('end', onEarlyEnd);
  for (const d of early) tunnel.send(d);
  const eof = () => {
    if (tunnel.readyState === tunnel.OPEN) tunnel.send(JSON.stringify({ type: 'eof' }));
  };
  if (clientDone) eof();
  data.on('data', (d: Buffer) => {
    if (tunnel.readyState === tunnel.OPEN) tunnel.send(d);
  });
  data.on('end', eof);
  data.on('close', () => tunnel.close(1000));
  tunnel.on('message', (d: Buffer, isBinary: boolean) => {
    if (isBinary) data.write(d);
  });
  tunnel.on('close', () => {
    tunnels.delete(tunnel);
    data.end();
    error.end();
  });
  tunnel.on('error', () => tunnel.terminate());
  tunnel.resume();
}
