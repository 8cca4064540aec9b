// The node's "kubelet API": HTTP on a unix socket `<data-dir>/nodes/<node>/kubelet.sock`, which
// the API server proxies `pods/log` (and exec/attach/port-forward) to, as kube-apiserver does to
// a kubelet's :10250. Serves GET /containerLogs/{ns}/{pod}/{container} with the kubelet's log
// semantics; other paths (exec, port-forward) go to the handlers it was constructed with.
import { mkdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { dirname, join } from 'node:path';
import { StatusError } from '../../api/errors.js';
import { parsePodLogOptions } from '../../api/pod-logs.js';
import { containerLogReadOptions, streamLogFile } from '../runtime/cri-log-reader.js';
import type { NodeRuntime } from '../runtime/runtime.js';
import { containerLogInstance } from '../streaming/container-status.js';

/** The socket path convention: `<data-dir>/nodes/<node>/kubelet.sock`. */
export function kubeletSocketPath(dataDir: string, nodeName: string): string {
  return join(dataDir, 'nodes', nodeName, 'kubelet.sock');
}

export interface KubeletContext {
  readonly nodeName: string;
  readonly runtime: NodeRuntime;
}

export interface StreamingHandler {
  /** Plain requests (GET/POST) under the prefix. */
  request?(req: IncomingMessage, res: ServerResponse, url: URL, ctx: KubeletContext): void | Promise<void>;
  /** Connection upgrades (SPDY, WebSocket) under the prefix. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, ctx: KubeletContext): void | Promise<void>;
}

/** Handlers by path prefix ("/exec/", "/portForward/"); the longest matching prefix serves. */
export type StreamingHandlers = ReadonlyMap<string, StreamingHandler>;

export interface KubeletServerOptions extends KubeletContext {
  readonly handlers?: StreamingHandlers;
}

function handlerFor(handlers: StreamingHandlers, path: string): StreamingHandler | undefined {
  let best: [string, StreamingHandler] | undefined;
  for (const entry of handlers) if (path.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  return best?.[1];
}

function fail(res: ServerResponse, code: number, message: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(message);
}

export class KubeletServer {
  readonly socketPath: string;
  readonly #ctx: KubeletContext;
  readonly #handlers: StreamingHandlers;
  readonly #server: http.Server;

  constructor(socketPath: string, opts: KubeletServerOptions) {
    this.socketPath = socketPath;
    this.#ctx = { nodeName: opts.nodeName, runtime: opts.runtime };
    this.#handlers = opts.handlers ?? new Map();
    this.#server = http.createServer((req, res) => void this.#handle(req, res));
    this.#server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://kubelet');
      const h = handlerFor(this.#handlers, url.pathname);
      if (!h?.upgrade) {
        socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      Promise.resolve(h.upgrade(req, socket, head, url, this.#ctx)).catch(() => socket.destroy());
    });
  }

  async listen(): Promise<void> {
    mkdirSync(dirname(this.socketPath), { recursive: true });
    rmSync(this.socketPath, { force: true });
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.socketPath, () => resolve());
    });
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    rmSync(this.socketPath, { force: true });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://kubelet');
    try {
      if (url.pathname === '/healthz') return fail(res, 200, 'ok');
      const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
      if (m && req.method === 'GET') return await this.#logs(req, res, url, decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), decodeURIComponent(m[3]!));
      const h = handlerFor(this.#handlers, url.pathname);
      if (h?.request) return await h.request(req, res, url, this.#ctx);
      fail(res, 404, '404 page not found\n');
    } catch (err) {
      if (!res.headersSent) fail(res, 500, (err as Error).message);
      else res.destroy();
    }
  }

  // kubelet getContainerLogs + validateContainerLogStatus.
  async #logs(req: IncomingMessage, res: ServerResponse, url: URL, namespace: string, podName: string, container: string): Promise<void> {
    let opts;
    try {
      opts = parsePodLogOptions(podName, url.searchParams);
    } catch (err) {
      if (err instanceof StatusError) return fail(res, 400, err.message);
      throw err;
    }
    const found = this.#ctx.runtime.lookup(namespace, podName, container);
    if ('error' in found) {
      return fail(res, found.code, found.code === 404 ? `pod "${podName}/${namespace}" does not exist\n` : `container "${container}" not found in pod "${podName}/${namespace}"\n`);
    }
    const s = found.status;
    const which = containerLogInstance(podName, { containerStatuses: [s] }, container, !!opts.previous);
    if ('error' in which) return fail(res, 400, which.error);
    const id = which.instance === 'previous' ? s.lastState?.terminated?.containerID : (s.state?.running ? s.containerID : s.state?.terminated?.containerID);
    const file = id ? found.worker.logFile(container, id) : undefined;
    if (!id || !file) return fail(res, 400, `container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    let closed = false;
    req.on('close', () => (closed = true));
    res.on('close', () => (closed = true));
    const worker = found.worker;
    const source = { path: file, isRunning: () => worker.isRunning(container, id) };
    await streamLogFile(source, containerLogReadOptions(opts, Date.now()), (b) => res.write(b), () => closed || res.destroyed).catch(() => {});
    res.end();
  }
}
