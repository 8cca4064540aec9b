// The node's "kubelet API": HTTP on a unix socket `<data-dir>/nodes/<node>/kubelet.sock`, which
// the API server proxies `pods/log` (and exec/attach/port-forward) to, as kube-apiserver does to
// a kubelet's :10250. Serves GET /containerLogs/{ns}/{pod}/{container} with the kubelet's log
// semantics; other paths are served by handlers registered with registerStreamingHandler.
import { mkdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { dirname, join } from 'node:path';
import { readCriLog } from '../runtime/cri-log.js';
import type { LogOptions } from '../runtime/cri-log.js';
import type { NodeRuntime } from '../runtime/runtime.js';

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

// Process-wide, so a streaming module can register at import time and every agent (one per
// process in `svcnet up`, several in tests) serves it.
const streamingHandlers = new Map<string, StreamingHandler>();

/** Serves `pathPrefix` (e.g. "/exec/", "/portForward/") on every node agent's kubelet socket. */
export function registerStreamingHandler(pathPrefix: string, handler: StreamingHandler): void {
  streamingHandlers.set(pathPrefix, handler);
}

function handlerFor(path: string): StreamingHandler | undefined {
  let best: [string, StreamingHandler] | undefined;
  for (const entry of streamingHandlers) if (path.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  return best?.[1];
}

function fail(res: ServerResponse, code: number, message: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(message);
}

/** Query → LogOptions, as the kubelet parses PodLogOptions (invalid numbers are a 400). */
export function parseLogQuery(q: URLSearchParams, now = Date.now()): LogOptions & { previous: boolean } | { error: string } {
  const bool = (k: string) => q.get(k) === 'true' || q.get(k) === '1';
  const int = (k: string): number | undefined | null => {
    const v = q.get(k);
    if (v === null || v === '') return undefined;
    return /^-?\d+$/.test(v) ? Number(v) : null;
  };
  const tail = int('tailLines');
  const since = int('sinceSeconds');
  const limit = int('limitBytes');
  if (tail === null || since === null || limit === null) return { error: 'invalid log options: not an integer' };
  let sinceMs: number | undefined;
  if (since !== undefined) {
    if (since < 1) return { error: 'sinceSeconds: Invalid value: must be greater than 0' };
    sinceMs = now - since * 1000;
  }
  const sinceTime = q.get('sinceTime');
  if (sinceTime) {
    const t = Date.parse(sinceTime);
    if (Number.isNaN(t)) return { error: `sinceTime: Invalid value: "${sinceTime}": must be RFC3339` };
    sinceMs = t;
  }
  return { previous: bool('previous'), follow: bool('follow'), timestamps: bool('timestamps'), tailLines: tail, limitBytes: limit, sinceMs };
}

export class KubeletServer {
  readonly socketPath: string;
  readonly #ctx: KubeletContext;
  readonly #server: http.Server;

  constructor(socketPath: string, ctx: KubeletContext) {
    this.socketPath = socketPath;
    this.#ctx = ctx;
    this.#server = http.createServer((req, res) => void this.#handle(req, res));
    this.#server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://kubelet');
      const h = handlerFor(url.pathname);
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
      const h = handlerFor(url.pathname);
      if (h?.request) return await h.request(req, res, url, this.#ctx);
      fail(res, 404, '404 page not found\n');
    } catch (err) {
      if (!res.headersSent) fail(res, 500, (err as Error).message);
      else res.destroy();
    }
  }

  // kubelet getContainerLogs + validateContainerLogStatus.
  async #logs(req: IncomingMessage, res: ServerResponse, url: URL, namespace: string, podName: string, container: string): Promise<void> {
    const opts = parseLogQuery(url.searchParams);
    if ('error' in opts) return fail(res, 400, opts.error);
    const found = this.#ctx.runtime.lookup(namespace, podName, container);
    if ('error' in found) {
      return fail(res, found.code, found.code === 404 ? `pod "${podName}/${namespace}" does not exist\n` : `container "${container}" not found in pod "${podName}/${namespace}"\n`);
    }
    const s = found.status;
    let id: string | undefined;
    if (opts.previous) {
      id = s.lastState.terminated?.containerID;
      if (!id) return fail(res, 400, `previous terminated container "${container}" in pod "${podName}" not found`);
    } else if (s.state.running) {
      id = s.containerID;
    } else if (s.state.terminated) {
      id = s.state.terminated.containerID;
      if (!id) return fail(res, 400, `container "${container}" in pod "${podName}" is terminated`);
    } else if (s.lastState.terminated) {
      id = s.lastState.terminated.containerID;
      if (!id) return fail(res, 400, `container "${container}" in pod "${podName}" is terminated`);
    } else if (s.state.waiting) {
      return fail(res, 400, `container "${container}" in pod "${podName}" is waiting to start: ${s.state.waiting.reason ?? ''}`);
    }
    const file = id ? found.worker.logFile(container, id) : undefined;
    if (!id || !file) return fail(res, 400, `container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    const abort = new AbortController();
    req.on('close', () => abort.abort());
    res.on('close', () => abort.abort());
    const worker = found.worker;
    await readCriLog(file, opts, res, () => worker.isRunning(container, id), abort.signal);
    res.end();
  }
}
