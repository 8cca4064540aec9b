// pods/exec: checks the Pod as kube-apiserver does, opens the exec on the node (always
// v5.channel.k8s.io over WebSocket), then accepts the client's upgrade and relays:
//   - WebSocket v5.channel.k8s.io (kubectl ≥ 1.30) or v4.channel.k8s.io (client libraries):
//     frames pass through unchanged, the framing is the same;
//   - SPDY/3.1 with v4.channel.k8s.io (kubectl ≤ 1.29, and newer ones' fallback): one SPDY
//     stream per channel, named by its `streamtype` header, translated to and from frames.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket, WebSocketServer } from 'ws';
import { apiErrors } from '../../api/errors.js';
import type { Registry } from '../registry/registry.js';
import { nodeWebSocket, NodeResponseError, type KubeletSocketResolver } from './node-connection.js';
import { assignedNode, getPod, validateContainer } from './pod-target.js';
import { acceptSpdy, headerList, writeRaw } from './raw-response.js';
import { SpdyConnection, type SpdyStream } from './spdy/connection.js';
import type { UpgradeRequest } from './upgrade.js';

export const WS_EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
export const SPDY_EXEC_PROTOCOLS = ['v4.channel.k8s.io'] as const;
const NODE_PROTOCOL = 'v5.channel.k8s.io';

const Channel = { Stdin: 0, Stdout: 1, Stderr: 2, Error: 3, Resize: 4, Close: 255 } as const;

/** How long a SPDY client has to open all its streams (the kubelet's streamCreationTimeout is 30 s). */
const STREAM_CREATION_TIMEOUT_MS = 30_000;

interface ExecDeps {
  readonly registry: Registry;
  readonly kubeletSocket: KubeletSocketResolver;
  readonly wss: WebSocketServer;
}

const truthy = (v: string | null): boolean => v === 'true' || v === '1';

/** Picks the first protocol the client offers that we speak (httpstream.Handshake's rule). */
export function negotiate(offered: readonly string[], supported: readonly string[]): string | undefined {
  return offered.find((p) => supported.includes(p));
}

export async function handleExecUpgrade(u: UpgradeRequest, deps: ExecDeps): Promise<void> {
  const { req, socket, info, url } = u;
  const isWebSocket = (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
  const offered = isWebSocket ? headerList(req.headers['sec-websocket-protocol']) : headerList(req.headers['x-stream-protocol-version']);
  const supported = isWebSocket ? WS_EXEC_PROTOCOLS : SPDY_EXEC_PROTOCOLS;
  const protocol = negotiate(offered, supported);
  if (!protocol) {
    throw apiErrors.badRequest(
      `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${supported.join(' ')}]`,
    );
  }
  const q = url.searchParams;
  const want = { stdin: truthy(q.get('stdin')), stdout: truthy(q.get('stdout')), stderr: truthy(q.get('stderr')), tty: truthy(q.get('tty')) };
  const command = q.getAll('command');
  const pod = await getPod(deps.registry, info.namespace, info.name);
  const container = validateContainer(pod, q.get('container') ?? '');
  const node = assignedNode(pod);
  if (!want.stdin && !want.stdout && !want.stderr) throw apiErrors.badRequest('you must specify at least 1 of stdin, stdout, stderr');
  if (command.length === 0) throw apiErrors.badRequest('you must specify at least one command for the container');

  const params = new URLSearchParams();
  if (want.stdin) params.set('input', '1');
  if (want.stdout) params.set('output', '1');
  if (want.stderr) params.set('error', '1');
  if (want.tty) params.set('tty', '1');
  for (const c of command) params.append('command', c);
  const path = `/exec/${encodeURIComponent(info.namespace)}/${encodeURIComponent(info.name)}/${encodeURIComponent(container)}?${params}`;
  let nodeWs: WebSocket;
  try {
    nodeWs = await nodeWebSocket(deps.kubeletSocket(node), path, NODE_PROTOCOL);
  } catch (err) {
    if (!(err instanceof NodeResponseError)) throw err;
    if (isWebSocket) {
      // kube-apiserver's StreamTranslator accepts the WebSocket first and reports the kubelet's
      // refusal as a Status on the error channel: kubectl prints
      // `error: Internal error occurred: unable to upgrade connection: <body>`.
      const status = apiErrors.internal(`unable to upgrade connection: ${err.body}`).toStatus();
      deps.wss.handleUpgrade(req as IncomingMessage, socket, u.head, (client) => {
        client.send(Buffer.concat([Buffer.from([Channel.Error]), Buffer.from(JSON.stringify(status))]));
        client.close(1000);
      });
      return;
    }
    // SPDY goes through the upgrade-aware proxy: the client gets the kubelet's answer as is and
    // prints `error: unable to upgrade connection: <body>`.
    return writeRaw(socket, err.status, 'text/plain; charset=utf-8', err.body);
  }
  if (isWebSocket) {
    deps.wss.handleUpgrade(req as IncomingMessage, socket, u.head, (client) => relayFrames(client, nodeWs));
    return;
  }
  acceptSpdy(socket, protocol);
  if (u.head.length) socket.unshift(u.head);
  bridgeSpdyExec(new SpdyConnection(socket as Socket), nodeWs, want);
}

/** Client and node speak the same channel framing: pass messages through. */
export function relayFrames(client: WebSocket, node: WebSocket): void {
  client.on('message', (d: Buffer, isBinary: boolean) => {
    if (node.readyState === node.OPEN) node.send(d, { binary: isBinary });
  });
  node.on('message', (d: Buffer, isBinary: boolean) => {
    if (client.readyState === client.OPEN) client.send(d, { binary: isBinary });
  });
  node.on('close', () => client.close(1000));
  client.on('close', () => node.close(1000));
  client.on('error', () => node.terminate());
  node.on('error', () => client.terminate());
  node.resume();
}

interface Want {
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  readonly tty: boolean;
}

/** SPDY streams (one per channel) ↔ the node's channel frames. */
export function bridgeSpdyExec(conn: SpdyConnection, node: WebSocket, want: Want): void {
  const expected = ['error'];
  if (want.stdin) expected.push('stdin');
  if (want.stdout) expected.push('stdout');
  if (want.stderr && !want.tty) expected.push('stderr');
  if (want.tty) expected.push('resize');
  const streams = new Map<string, SpdyStream>();
  const early: Buffer[] = [];
  let ready = false;
  let nodeClosed = false;
  const toNode = (ch: number, payload: Buffer = Buffer.alloc(0)) => {
    if (node.readyState === node.OPEN) node.send(Buffer.concat([Buffer.from([ch]), payload]));
  };
  const deliver = (frame: Buffer) => {
    const target = ({ [Channel.Stdout]: 'stdout', [Channel.Stderr]: 'stderr', [Channel.Error]: 'error' } as Record<number, string>)[frame[0]!];
    if (target) streams.get(target)?.write(frame.subarray(1));
  };
  const finish = () => {
    for (const s of streams.values()) s.end();
    // client-go closes the connection once it has read every stream to the end.
    const t = setTimeout(() => conn.close(), 10_000);
    t.unref();
    conn.once('close', () => clearTimeout(t));
  };
  const timer = setTimeout(() => {
    if (!ready) {
      conn.close();
      node.close(1000);
    }
  }, STREAM_CREATION_TIMEOUT_MS);
  timer.unref();

  node.on('message', (d: Buffer, isBinary: boolean) => {
    if (!isBinary || d.length === 0) return;
    if (ready) deliver(d);
    else early.push(d);
  });
  node.on('close', () => {
    nodeClosed = true;
    if (ready) finish();
  });
  node.on('error', () => conn.close());
  conn.on('close', () => {
    clearTimeout(timer);
    node.close(1000);
  });
  node.resume();
  conn.on('stream', (s: SpdyStream) => {
    const type = s.header('streamtype') ?? '';
    if (!expected.includes(type) || streams.has(type)) {
      s.reset();
      return;
    }
    streams.set(type, s);
    if (type === 'stdin') {
      s.on('data', (d: Buffer) => toNode(Channel.Stdin, d));
      s.on('end', () => toNode(Channel.Close, Buffer.from([Channel.Stdin])));
    } else if (type === 'resize') {
      // A stream of JSON TerminalSize objects, one per line (json.Encoder).
      let pending = '';
      s.on('data', (d: Buffer) => {
        pending += d.toString();
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (line) toNode(Channel.Resize, Buffer.from(line));
        }
      });
    }
    if (expected.every((t) => streams.has(t))) {
      ready = true;
      clearTimeout(timer);
      for (const f of early.splice(0)) deliver(f);
      if (nodeClosed) finish();
    }
  });
}
