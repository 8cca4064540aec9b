// The node's streaming endpoints, the part of the kubelet API the API server proxies to:
//   GET /containerLogs/{namespace}/{pod}/{container}   plain HTTP
//   GET /exec/{namespace}/{pod}/{container}            WebSocket, v5.channel.k8s.io
//   GET /portForward/{namespace}/{pod}?port=P[&host=]  WebSocket, tcp.svcnet.io
// The agent mounts `handleRequest`/`handleUpgrade` on its own unix-socket server, or calls
// `listen(socketPath)` to have one made.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseExecQuery, runExec } from './exec.js';
import { serveContainerLogs } from './logs.js';
import { NetnsDialer } from './netns-dialer.js';
import { dialForPod, relayTunnel, TUNNEL_PROTOCOL } from './port-forward.js';
import type { StreamingRuntime } from './runtime.js';

export const EXEC_PROTOCOL = 'v5.channel.k8s.io';

export interface NodeStreamingOptions {
  readonly runtime: StreamingRuntime;
  /** Shared dialer (one helper process per Pod namespace); made if absent. */
  readonly dialer?: NetnsDialer;
}

function pathParts(url: URL, prefix: string): string[] | undefined {
  if (!url.pathname.startsWith(prefix)) return undefined;
  return url.pathname.slice(prefix.length).split('/').filter(Boolean).map(decodeURIComponent);
}

function reject(socket: Duplex, code: number, text: string): void {
  const reason = code === 400 ? 'Bad Request' : code === 404 ? 'Not Found' : 'Internal Server Error';
  const body = Buffer.from(text);
  socket.end(`HTTP/1.1 ${code} ${reason}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${text}`);
}

export class NodeStreamingServer {
  readonly #runtime: StreamingRuntime;
  readonly #dialer: NetnsDialer;
  readonly #ownDialer: boolean;
  readonly #wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => [...p][0] ?? false, perMessageDeflate: false });
  readonly #sessions = new Set<WebSocket>();
  #server?: Server;
  #socketPath?: string;

  constructor(opts: NodeStreamingOptions) {
    this.#runtime = opts.runtime;
    this.#dialer = opts.dialer ?? new NetnsDialer();
    this.#ownDialer = !opts.dialer;
  }

  /** Serves the plain-HTTP endpoints; false when the path is not one of them. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://node');
    const logs = pathParts(url, '/containerLogs/');
    if (logs && req.method === 'GET') {
      void serveContainerLogs(this.#runtime, logs, req, res);
      return true;
    }
    if (url.pathname === '/healthz') {
      res.end('ok');
      return true;
    }
    return false;
  }

  /** Takes the WebSocket endpoints; false when the path is not one of them. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://node');
    const exec = pathParts(url, '/exec/');
    const pf = pathParts(url, '/portForward/');
    if (exec) void this.#exec(req, socket, head, url, exec);
    else if (pf) void this.#portForward(req, socket, head, url, pf);
    else return false;
    return true;
  }

  async #exec(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, parts: string[]): Promise<void> {
    const [namespace, pod, container] = parts;
    if (!namespace || !pod || !container) return reject(socket, 400, 'expected /exec/{namespace}/{pod}/{container}');
    const r = parseExecQuery(url.searchParams);
    if (typeof r === 'string') return reject(socket, 400, r);
    let target;
    try {
      target = await this.#runtime.findContainer(namespace, pod, container);
    } catch (err) {
      return reject(socket, 500, (err as Error).message);
    }
    if (!target) return reject(socket, 500, `container not found (${JSON.stringify(container)})`);
    const t = target;
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#track(ws);
      void runExec(ws, t, r);
    });
  }

  async #portForward(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, parts: string[]): Promise<void> {
    const [namespace, pod] = parts;
    const port = Number(url.searchParams.get('port'));
    if (!namespace || !pod) return reject(socket, 400, 'expected /portForward/{namespace}/{pod}');
    if (!Number.isInteger(port) || port < 1 || port > 65535) return reject(socket, 400, `invalid port ${JSON.stringify(url.searchParams.get('port'))}`);
    let sock;
    try {
      const sandbox = await this.#runtime.podSandbox(namespace, pod);
      if (!sandbox) return reject(socket, 404, `pod ${JSON.stringify(`${namespace}/${pod}`)} is not running on this node`);
      sock = await dialForPod(this.#dialer, sandbox, port, url.searchParams.get('host') ?? undefined);
    } catch (err) {
      return reject(socket, 500, (err as Error).message);
    }
    const s = sock;
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#track(ws);
      relayTunnel(ws, s);
    });
  }

  #track(ws: WebSocket): void {
    this.#sessions.add(ws);
    ws.on('close', () => this.#sessions.delete(ws));
  }

  /** A server of our own on a unix socket (0600), e.g. `<data-dir>/nodes/<node>/kubelet.sock`. */
  async listen(socketPath: string): Promise<void> {
    mkdirSync(dirname(socketPath), { recursive: true, mode: 0o700 });
    rmSync(socketPath, { force: true });
    const server = createServer((req, res) => {
      if (!this.handleRequest(req, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
    });
    server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
      if (!this.handleUpgrade(req, socket, head)) reject(socket, 404, '404 page not found');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    chmodSync(socketPath, 0o600);
    this.#server = server;
    this.#socketPath = socketPath;
  }

  async close(): Promise<void> {
    for (const ws of this.#sessions) ws.terminate();
    if (this.#ownDialer) this.#dialer.close();
    const server = this.#server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(this.#socketPath!, { force: true });
    }
  }
}
