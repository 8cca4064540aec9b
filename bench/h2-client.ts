// A minimal HTTP/2 client with a client certificate, shaped like client-go's transport: one TLS
// connection multiplexes many concurrent requests. Bodies are returned raw so the benchmark times
// the wire, not our parsing.
import { connect, constants, type ClientHttp2Session } from 'node:http2';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nowMs } from './stats.js';

export interface Credentials {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/** The admin client certificate the control plane wrote under `<dataDir>/pki/`. */
export function adminCredentials(dataDir: string): Credentials {
  const pki = join(dataDir, 'pki');
  return {
    ca: readFileSync(join(pki, 'ca.crt'), 'utf8'),
    cert: readFileSync(join(pki, 'admin.crt'), 'utf8'),
    key: readFileSync(join(pki, 'admin.key'), 'utf8'),
  };
}

export interface H2Response {
  readonly status: number;
  readonly body: Buffer;
  /** ms from sending the request to receiving the response headers. */
  readonly headersMs: number;
}

// client-go's HTTP/2 transport (golang.org/x/net/http2) advertises a 4 MiB stream window and a
// 1 GiB connection window; Node's default is 64 KiB, which would make a 20 MB LIST crawl.
const STREAM_WINDOW = 4 << 20;
const CONNECTION_WINDOW = 1 << 30;

export class H2Client {
  readonly #session: ClientHttp2Session;

  private constructor(session: ClientHttp2Session) {
    this.#session = session;
  }

  static async connect(url: string, creds: Credentials): Promise<H2Client> {
    const session = connect(url, { ca: creds.ca, cert: creds.cert, key: creds.key, settings: { initialWindowSize: STREAM_WINDOW } });
    await new Promise<void>((resolve, reject) => {
      session.once('connect', () => resolve());
      session.once('error', reject);
    });
    session.setLocalWindowSize(CONNECTION_WINDOW);
    session.on('error', () => {}); // surfaced per request instead
    return new H2Client(session);
  }

  request(method: string, path: string, opts: { body?: string; headers?: Record<string, string> } = {}): Promise<H2Response> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = {
        [constants.HTTP2_HEADER_METHOD]: method,
        [constants.HTTP2_HEADER_PATH]: path,
        accept: 'application/json',
        'user-agent': 'svcnet-bench',
        ...opts.headers,
      };
      if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
      const stream = this.#session.request(headers, { endStream: opts.body === undefined });
      const chunks: Buffer[] = [];
      let status = 0;
      let headersMs = NaN;
      const sent = process.hrtime.bigint();
      stream.on('response', (h) => {
        status = Number(h[constants.HTTP2_HEADER_STATUS]);
        headersMs = Number(process.hrtime.bigint() - sent) / 1e6;
      });
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => resolve({ status, body: Buffer.concat(chunks), headersMs }));
      stream.on('error', reject);
      if (opts.body !== undefined) stream.end(opts.body);
    });
  }

  /** A JSON request; the caller states the shape it expects back (unchecked). */
  async json<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; obj: T }> {
    const res = await this.request(method, path, { body: body === undefined ? undefined : JSON.stringify(body), headers });
    return { status: res.status, obj: (res.body.length ? JSON.parse(res.body.toString('utf8')) : undefined) as T };
  }

  /**
   * Opens a watch stream and calls `onLine(line, receivedAtMs)` for every newline-terminated event,
   * with the time the chunk holding it arrived (taken before any parsing).
   */
  watch(path: string, onLine: (line: string, receivedAtMs: number) => void): Promise<{ close(): void }> {
    return new Promise((resolve, reject) => {
      const stream = this.#session.request({
        [constants.HTTP2_HEADER_METHOD]: 'GET',
        [constants.HTTP2_HEADER_PATH]: path,
        accept: 'application/json',
        'user-agent': 'svcnet-bench',
      });
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('response', (h) => {
        const status = Number(h[constants.HTTP2_HEADER_STATUS]);
        if (status !== 200) reject(new Error(`watch ${path}: HTTP ${status}`));
        else resolve({ close: () => stream.close() });
      });
      stream.on('data', (chunk: string) => {
        const at = nowMs();
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          onLine(buf.slice(0, nl), at);
          buf = buf.slice(nl + 1);
        }
      });
      stream.on('error', (err) => reject(err));
    });
  }

  close(): void {
    this.#session.close();
  }
}
