// How the API server reaches a node's streaming endpoints: plain HTTP and WebSockets over the
// node agent's unix socket (like kube-apiserver → kubelet :10250, but local and without TLS).
import { request, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { StatusError } from '../../api/errors.js';

/** Maps a node name to the unix socket of its agent's kubelet API. */
export type KubeletSocketResolver = (nodeName: string) => string;

/** The layout `svcnet up` uses: `<data-dir>/nodes/<node>/kubelet.sock`. */
export function kubeletSocketIn(dataDir: string): KubeletSocketResolver {
  return (node) => join(dataDir, 'nodes', node, 'kubelet.sock');
}

/** The node answered with something other than success; `body` is its text. */
export class NodeResponseError extends Error {
  constructor(readonly status: number, readonly body: string) {
    super(body || `node answered ${status}`);
    this.name = 'NodeResponseError';
  }
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ECONNREFUSED: 'connection refused',
  EACCES: 'permission denied',
};

/** kube-apiserver's wording when the kubelet cannot be reached. */
export function dialError(socketPath: string, err: NodeJS.ErrnoException): StatusError {
  const why = (err.code && ERRNO_TEXT[err.code]) ?? err.message;
  return new StatusError(500, 'InternalError', `error dialing backend: dial unix ${socketPath}: connect: ${why}`);
}

async function readText(res: IncomingMessage, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of res as AsyncIterable<Buffer>) {
    if (size < limit) chunks.push(c);
    size += c.length;
  }
  return Buffer.concat(chunks).toString().slice(0, limit);
}

/** GET over the node socket; resolves with the response (2xx) or rejects (NodeResponseError / StatusError). */
export function nodeGet(socketPath: string, path: string): Promise<{ res: IncomingMessage; abort: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', headers: { host: 'node' } }, (res) => {
      const status = res.statusCode ?? 500;
      if (status >= 200 && status < 300) resolve({ res, abort: () => req.destroy() });
      else readText(res).then((body) => reject(new NodeResponseError(status, body)), reject);
    });
    req.on('error', (err: NodeJS.ErrnoException) => reject(dialError(socketPath, err)));
    req.end();
  });
}

/**
 * Opens a WebSocket on the node; rejects with NodeResponseError when the node refuses the upgrade.
 * It comes back paused, so nothing the node sends at once is lost: attach listeners, then resume().
 */
export function nodeWebSocket(socketPath: string, path: string, protocol: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws+unix://${socketPath}:${path}`, [protocol], { perMessageDeflate: false });
    let settled = false;
    ws.once('open', () => {
      settled = true;
      ws.pause();
      resolve(ws);
    });
    ws.once('unexpected-response', (_req, res) => {
      settled = true;
      // Read the body before tearing the connection down, or it is lost.
      readText(res)
        .then((body) => reject(new NodeResponseError(res.statusCode ?? 500, body)), reject)
        .finally(() => ws.terminate());
    });
    ws.once('error', (err: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      reject(dialError(socketPath, err));
    });
  });
}
