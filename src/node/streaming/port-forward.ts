// /portForward/{namespace}/{pod}?port=P[&host=IP]: one TCP connection opened inside the Pod's
// network namespace, carried over a WebSocket (subprotocol `tcp.svcnet.io`): binary messages are
// bytes, a text message `{"type":"eof"}` half-closes towards the Pod. Without `host` it connects
// to localhost as the kubelet's port-forward does (IPv4, then IPv6); the API server's pods/proxy
// and services/proxy pass the Pod IP. The connection is made before the upgrade is accepted, so
// a failure is an HTTP answer whose body is the error text.
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { DialError, type NetnsDialer } from './netns-dialer.js';
import type { PodSandbox } from './runtime.js';

export const TUNNEL_PROTOCOL = 'tcp.svcnet.io';

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  EADDRNOTAVAIL: 'cannot assign requested address',
  ENETUNREACH: 'network is unreachable',
  EHOSTUNREACH: 'no route to host',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset by peer',
};

/** Go's net.Dial error text, which is what upstream messages embed. */
export function goDialError(network: string, host: string, port: number, err: unknown): string {
  const code = err instanceof DialError ? err.code : undefined;
  const hostPort = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return `dial ${network} ${hostPort}: connect: ${(code && ERRNO_TEXT[code]) ?? (err as Error).message}`;
}

/** Opens the connection, or throws an Error whose message is what the client should read. */
export async function dialForPod(dialer: NetnsDialer, sandbox: PodSandbox, port: number, host: string | undefined): Promise<Socket> {
  if (host) {
    try {
      return await dialer.dial(sandbox.netns, host, port);
    } catch (err) {
      throw new Error(goDialError('tcp', host, port, err));
    }
  }
  let e4: unknown;
  try {
    return await dialer.dial(sandbox.netns, '127.0.0.1', port);
  } catch (err) {
    e4 = err;
  }
  try {
    return await dialer.dial(sandbox.netns, '::1', port);
  } catch (e6) {
    // containerd's wording, wrapped as the kubelet's streaming server wraps it.
    const inner =
      `failed to execute portforward in network namespace ${JSON.stringify(sandbox.netns)}: ` +
      `failed to connect to localhost:${port} inside namespace ${JSON.stringify(sandbox.uid)}, ` +
      `IPv4: ${goDialError('tcp4', '127.0.0.1', port, e4)} IPv6 ${goDialError('tcp6', '::1', port, e6)} `;
    throw new Error(`error forwarding port ${port} to pod ${sandbox.uid}, uid : ${inner}`);
  }
}

/** Copies between the WebSocket and the socket until either side ends. */
export function relayTunnel(ws: WebSocket, sock: Socket): void {
  sock.on('data', (d: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(d);
    // Crude backpressure: let the WebSocket drain before reading more from the Pod.
    if (ws.bufferedAmount > 1 << 20) {
      sock.pause();
      const wait = setInterval(() => {
        if (ws.readyState !== ws.OPEN || ws.bufferedAmount < 1 << 18) {
          clearInterval(wait);
          sock.resume();
        }
      }, 10);
    }
  });
  sock.on('end', () => ws.close(1000));
  sock.on('error', () => ws.close(1011, 'connection error'));
  sock.on('close', () => {
    if (ws.readyState === ws.OPEN) ws.close(1000);
  });
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) {
      sock.write(data);
      return;
    }
    try {
      if ((JSON.parse(data.toString()) as { type?: string }).type === 'eof') sock.end();
    } catch {
      // Unknown control text is ignored.
    }
  });
  ws.on('close', () => sock.destroy());
  sock.resume();
}
