// The byte-moving layer under RestClient: open a request, get status, headers and a body stream.
// Two implementations: HTTP/2 over TLS (http2-transport.ts) and HTTP/1.1 keep-alive over the API
// server's unix socket (here). RestClient knows nothing about which one it talks through.
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

export interface TransportRequest {
  readonly method: string;
  /** Path with query string, e.g. `/api/v1/namespaces/default/pods?limit=500`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** Aborting destroys the request and its body stream. */
  readonly signal?: AbortSignal;
}

export interface TransportResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The response body; ends with 'end' on a clean finish, 'error' or 'close' otherwise. */
  readonly body: Readable;
}

export interface Transport {
  /** `https://…` or `unix:…`, for messages. */
  readonly endpoint: string;
  open(req: TransportRequest): Promise<TransportResponse>;
  close(): void;
}

export function abortError(): Error {
  const e = new Error('the request was aborted');
  e.name = 'AbortError';
  return e;
}

/** Reads a whole body; rejects if the stream dies before 'end'. */
export function readBody(body: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    body.on('data', (c: Buffer) => chunks.push(c));
    body.on('end', () => {
      ended = true;
      resolve(Buffer.concat(chunks));
    });
    body.on('error', reject);
    body.on('close', () => {
      if (!ended) reject(new Error('connection closed before the response body ended'));
    });
  });
}

/** Plain HTTP/1.1 on a unix socket, with keep-alive so a controller's requests reuse connections. */
export class UnixSocketTransport implements Transport {
  readonly endpoint: string;
  readonly #socketPath: string;
  readonly #agent = new Agent({ keepAlive: true });

  constructor(socketPath: string) {
    this.#socketPath = socketPath;
    this.endpoint = `unix:${socketPath}`;
  }

  open(req: TransportRequest): Promise<TransportResponse> {
    return new Promise((resolve, reject) => {
      if (req.signal?.aborted) return reject(abortError());
      const headers: Record<string, string> = { ...req.headers, host: 'localhost' };
      if (req.body) headers['content-length'] = String(req.body.length);
      const r = httpRequest({ socketPath: this.#socketPath, agent: this.#agent, method: req.method, path: req.path, headers });
      const onAbort = () => r.destroy(abortError());
      req.signal?.addEventListener('abort', onAbort, { once: true });
      r.on('error', (err) => {
        req.signal?.removeEventListener('abort', onAbort);
        reject(err);
      });
      r.on('response', (res: IncomingMessage) => {
        res.on('close', () => req.signal?.removeEventListener('abort', onAbort));
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res });
      });
      r.end(req.body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
