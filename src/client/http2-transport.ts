// HTTP/2 over TLS, as client-go talks to kube-apiserver: one session per client multiplexes every
// request and watch. A session that gets GOAWAY, errors or closes is dropped, and the next request
// dials a new one; streams already open on a draining session finish there.
import { connect, constants, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { abortError, type Transport, type TransportRequest, type TransportResponse } from './transport.js';

export interface Http2TransportOptions {
  /** `https://host:port` (any path part is ignored). */
  readonly server: string;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly insecureSkipTLSVerify?: boolean;
  readonly tlsServerName?: string;
}

export class Http2Transport implements Transport {
  readonly endpoint: string;
  readonly #authority: string;
  readonly #tls: ConnectionOptions;
  #session: ClientHttp2Session | undefined;
  #active = 0;
  #closed = false;

  constructor(opts: Http2TransportOptions) {
    const u = new URL(opts.server);
    if (u.protocol !== 'https:') throw new Error(`unsupported server URL ${opts.server}: only https:// (HTTP/2) is supported`);
    this.#authority = `https://${u.host}`;
    this.endpoint = this.#authority;
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const servername = opts.tlsServerName ?? (isIP(host) ? undefined : host);
    this.#tls = {
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      rejectUnauthorized: !opts.insecureSkipTLSVerify,
      // SNI must not carry an IP address; Node still checks IP SANs against the host.
      ...(servername ? { servername } : {}),
    };
  }

  #getSession(): ClientHttp2Session {
    const s = this.#session;
    if (s && !s.closed && !s.destroyed) return s;
    const session = connect(this.#authority, { ...this.#tls, ALPNProtocols: ['h2'] });
    const drop = () => {
      if (this.#session === session) this.#session = undefined;
    };
    // GOAWAY: the server wants no new streams here; open streams may still complete.
    session.on('goaway', drop);
    session.on('close', drop);
    // Errors surface on the streams; the session is simply abandoned.
    session.on('error', drop);
    session.unref();
    this.#session = session;
    return session;
  }

  // An idle session must not keep the process alive, but one with requests in flight must.
  #track(delta: number, session: ClientHttp2Session): void {
    this.#active += delta;
    if (session.destroyed) return;
    if (this.#active > 0) session.ref();
    else session.unref();
  }

  open(req: TransportRequest): Promise<TransportResponse> {
    if (this.#closed) return Promise.reject(new Error('client is closed'));
    return new Promise((resolve, reject) => {
      if (req.signal?.aborted) return reject(abortError());
      let session: ClientHttp2Session;
      try {
        session = this.#getSession();
      } catch (err) {
        return reject(err);
      }
      const headers: Record<string, string> = { ...req.headers, ':method': req.method, ':path': req.path };
      if (req.body) headers['content-length'] = String(req.body.length);
      const stream = session.request(headers, { endStream: !req.body });
      this.#track(1, session);
      let settled = false;
      const onAbort = () => {
        if (!stream.destroyed) stream.close(constants.NGHTTP2_CANCEL);
        if (!settled) {
          settled = true;
          reject(abortError());
        }
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      stream.on('close', () => {
        this.#track(-1, session);
        req.signal?.removeEventListener('abort', onAbort);
        if (!settled) {
          settled = true;
          reject(new Error(`stream closed before a response (HTTP/2 code ${stream.rstCode})`));
        }
      });
      stream.on('error', (err) => {
        if (!settled) {
          settled = true;
          reject(err);
        }
      });
      stream.on('response', (h: IncomingHttpHeaders) => {
        if (settled) return;
        settled = true;
        const { [':status']: status, ...rest } = h;
        resolve({ status: Number(status), headers: rest, body: stream });
      });
      if (req.body) stream.end(req.body);
    });
  }

  close(): void {
    this.#closed = true;
    this.#session?.close();
    this.#session = undefined;
  }
}
