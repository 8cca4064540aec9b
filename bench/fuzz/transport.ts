// Sends a FuzzRequest over HTTP/2 (one multiplexed session, like client-go), HTTP/1.1 (node:https
// keep-alive agent) or a raw TLS socket (bytes written verbatim), with the admin client cert.
import { connect as h2connect, constants, type ClientHttp2Session } from 'node:http2';
import { Agent, request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import type { Socket } from 'node:net';
import type { Credentials } from '../h2-client.js';
import type { FuzzRequest } from './generate.js';

export interface FuzzResponse {
  /** HTTP status; 0 when no response was read. */
  readonly status: number;
  readonly contentType: string;
  /** The first MAX_BODY bytes. */
  readonly body: Buffer;
  /** A transport error (reset, timeout, refused), or 'client-rejected: …' if Node refused to send it. */
  readonly error?: string;
  readonly ms: number;
}

const MAX_BODY = 1024 * 1024;
export const REQUEST_TIMEOUT_MS = 30_000;

export class Transports {
  #session: ClientHttp2Session | undefined;
  readonly #agent: Agent;
  readonly #url: URL;

  constructor(url: string, private readonly creds: Credentials) {
    this.#url = new URL(url);
    this.#agent = new Agent({ keepAlive: true, maxSockets: 8, ca: creds.ca, cert: creds.cert, key: creds.key });
  }

  close(): void {
    this.#session?.destroy();
    this.#agent.destroy();
  }

  #h2(): ClientHttp2Session {
    if (!this.#session || this.#session.closed || this.#session.destroyed) {
      const s = h2connect(this.#url.origin, { ca: this.creds.ca, cert: this.creds.cert, key: this.creds.key, maxSessionMemory: 64 });
      s.on('error', () => {}); // surfaced per stream
      s.on('close', () => {
        if (this.#session === s) this.#session = undefined;
      });
      this.#session = s;
    }
    return this.#session;
  }

  send(req: FuzzRequest, maxBody = MAX_BODY): Promise<FuzzResponse> {
    const started = performance.now();
    const done = (r: Omit<FuzzResponse, 'ms'>): FuzzResponse => ({ ...r, ms: performance.now() - started });
    return new Promise<FuzzResponse>((resolve) => {
      let settled = false;
      // A hard deadline over every transport: a request the server never finishes must not stall
      // the run (the per-transport timers only cover the states they know about).
      const hard = setTimeout(() => finish({ status: 0, contentType: '', body: Buffer.alloc(0), error: 'timeout' }), REQUEST_TIMEOUT_MS + 5000);
      const finish = (r: Omit<FuzzResponse, 'ms'>) => {
        clearTimeout(hard);
        if (!settled) {
          settled = true;
          resolve(done(r));
        }
      };
      try {
        if (req.transport === 'h2') this.#sendH2(req, finish, maxBody);
        else if (req.transport === 'h1') this.#sendH1(req, finish, maxBody);
        else this.#sendRaw(req, finish, maxBody);
      } catch (err) {
        finish({ status: 0, contentType: '', body: Buffer.alloc(0), error: `client-rejected: ${(err as Error).message}` });
      }
    });
  }

  #sendH2(req: FuzzRequest, finish: (r: Omit<FuzzResponse, 'ms'>) => void, maxBody: number): void {
    const stream = this.#h2().request(
      { [constants.HTTP2_HEADER_METHOD]: req.method, [constants.HTTP2_HEADER_PATH]: req.path, 'user-agent': 'svcnet-fuzz', ...req.headers },
      { endStream: req.body === undefined },
    );
    collect(stream, finish, (h) => ({ status: Number(h[':status']), contentType: String(h['content-type'] ?? '') }), maxBody);
    stream.on('error', (err) => finish({ status: 0, contentType: '', body: Buffer.alloc(0), error: err.message }));
    if (req.body !== undefined) stream.end(req.body);
  }

  #sendH1(req: FuzzRequest, finish: (r: Omit<FuzzResponse, 'ms'>) => void, maxBody: number): void {
    const r = httpsRequest({
      agent: this.#agent,
      host: this.#url.hostname,
      port: this.#url.port,
      method: req.method,
      path: req.path,
      headers: { 'user-agent': 'svcnet-fuzz', ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) },
      timeout: REQUEST_TIMEOUT_MS,
    });
    r.on('response', (res) => {
      collect(res, finish, () => ({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? '') }), maxBody, true);
    });
    // Node's client hands any answer to a CONNECT to 'connect' (a tunnel), with the body left
    // unparsed on the socket: read it to the close the server ends such a request with.
    r.on('connect', (res, socket: Socket, head: Buffer) => {
      const chunks = [head];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', () => socket.destroy());
      socket.on('close', () => {
        const raw = Buffer.concat(chunks).subarray(0, maxBody);
        const chunked = /chunked/i.test(String(res.headers['transfer-encoding'] ?? ''));
        finish({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: chunked ? dechunk(raw) : raw });
      });
    });
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', (err) => finish({ status: 0, contentType: '', body: Buffer.alloc(0), error: err.message }));
    r.end(req.body);
  }

  #sendRaw(req: FuzzRequest, finish: (r: Omit<FuzzResponse, 'ms'>) => void, maxBody: number): void {
    const sock = tlsConnect({ host: this.#url.hostname, port: Number(this.#url.port), ca: this.creds.ca, cert: this.creds.cert, key: this.creds.key, ALPNProtocols: ['http/1.1'], servername: 'localhost' });
    const chunks: Buffer[] = [];
    let size = 0;
    sock.setTimeout(10_000, () => sock.destroy(new Error('timeout')));
    sock.on('secureConnect', () => sock.end(req.raw ?? Buffer.alloc(0)));
    sock.on('data', (c: Buffer) => {
      if (size < maxBody) chunks.push(c);
      size += c.length;
    });
    const parse = (error?: string) => {
      const all = Buffer.concat(chunks);
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(all.subarray(0, 20).toString('latin1'));
      const headEnd = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, headEnd < 0 ? all.length : headEnd).toString('latin1');
      const ct = /\r\ncontent-type:\s*([^\r\n]*)/i.exec(head)?.[1] ?? '';
      let body: Buffer = headEnd < 0 ? Buffer.alloc(0) : all.subarray(headEnd + 4);
      if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) body = dechunk(body);
      finish({ status: m ? Number(m[1]) : 0, contentType: ct, body, ...(m ? {} : { error: error ?? (all.length ? 'unparseable response' : 'closed without response') }) });
    };
    sock.on('error', (err) => parse(err.message));
    sock.on('close', () => parse());
  }
}

function collect(
  stream: NodeJS.ReadableStream & { destroy(): void; on(ev: 'response', f: (h: Record<string, unknown>) => void): unknown },
  finish: (r: Omit<FuzzResponse, 'ms'>) => void,
  head: (h: Record<string, unknown>) => { status: number; contentType: string },
  maxBody: number,
  h1 = false,
): void {
  let meta = { status: 0, contentType: '' };
  const chunks: Buffer[] = [];
  let size = 0;
  const timer = setTimeout(() => {
    stream.destroy();
    finish({ ...meta, body: Buffer.concat(chunks), error: meta.status ? undefined : 'timeout' });
  }, REQUEST_TIMEOUT_MS);
  const onHead = (h: Record<string, unknown>) => (meta = head(h));
  if (h1) onHead({});
  else stream.on('response', onHead);
  stream.on('data', (c: Buffer) => {
    if (size < maxBody) chunks.push(c);
    size += c.length;
  });
  stream.on('end', () => {
    clearTimeout(timer);
    finish({ ...meta, body: Buffer.concat(chunks) });
  });
  stream.on('close', () => {
    clearTimeout(timer);
    finish({ ...meta, body: Buffer.concat(chunks), ...(meta.status ? {} : { error: 'stream closed without response' }) });
  });
}

function dechunk(b: Buffer): Buffer {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < b.length) {
    const nl = b.indexOf('\r\n', pos);
    if (nl < 0) break;
    const n = parseInt(b.subarray(pos, nl).toString('latin1'), 16);
    if (!Number.isFinite(n) || n <= 0) break;
    out.push(b.subarray(nl + 2, nl + 2 + n));
    pos = nl + 2 + n + 2;
  }
  return Buffer.concat(out);
}
