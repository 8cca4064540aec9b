// The API server: HTTPS (HTTP/2 + HTTP/1.1) on a TCP port with client-certificate authentication,
// plus plain HTTP on a unix socket under the data dir for local components (the socket file is
// 0600 from the moment it appears, so whoever can open it is already root or the owner). One filter chain for both:
// metrics → authentication → routing → resource handlers.
import { createServer as createHttpServer, ServerResponse, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import { rmSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import { apiErrors, toStatusError, StatusError } from '../api/errors.js';
import { enforceConnectionTimeouts, resolveTimeouts, type ConnectionTimeouts } from './connection-timeouts.js';
import { writeRawStatus } from './streaming/raw-response.js';
import { listenPrivate } from './unix-socket.js';
import { authenticateClientCertificate } from './pki/index.js';
import { header, writeJSON, writeStatus, writeText, type ApiRequest, type RawRequest, type RawResponse } from './http.js';
import { routeNonResource } from './non-resource.js';
import { routeResource, type SubresourceHandlers } from './router.js';
import { parseRequestInfo } from './request-info.js';
import { parseRequestURI, type RequestURI } from './request-uri.js';
import type { ApiServerMetrics } from './metrics.js';
import type { UserInfo } from './registry/strategy.js';
import type { Registry } from './registry/registry.js';
import type { Logger } from '../util/logger.js';

export interface ApiServerOptions {
  readonly registry: Registry;
  readonly metrics: ApiServerMetrics;
  readonly logger: Logger;
  readonly tls?: { readonly key: string; readonly cert: string; readonly ca: string };
  readonly host: string;
  readonly port: number;
  readonly socketPath?: string;
  /**
   * A second TLS listener on a unix socket (same certificates and authentication): what the
   * forwarder in `svcnet up`'s underlay network relays Pods' connections to, so the
   * `kubernetes` Service reaches the API server without exposing the trusted plain socket.
   */
  readonly tlsSocketPath?: string;
  readonly now?: () => Date;
  /** Paths anyone may read without credentials (system:public-info-viewer). */
  readonly publicPaths?: readonly string[];
  /** TLS handshake / header / idle deadlines of the TLS listeners (upstream-like defaults). */
  readonly timeouts?: ConnectionTimeouts;
  /** Subresources other components serve (pods/log, pods/proxy …), keyed "resource/subresource". */
  readonly subresources?: SubresourceHandlers;
  /** Takers of connection upgrades (exec, port-forward), asked in order; the first to return true owns the socket. */
  readonly upgradeHandlers?: readonly UpgradeHandler[];
}

/** Takes an authenticated upgrade request (returning true) or leaves it to the next handler. */
export type UpgradeHandler = (req: RawRequest, socket: Socket, head: Buffer, user: UserInfo) => boolean;

/**
 * Client-certificate authentication; every authenticated user is in system:authenticated.
 * The result is cached per TLS connection: HTTP/2 multiplexes many requests over one, and
 * parsing the peer certificate for each was measurable in the create benchmark.
 */
const usersBySocket = new WeakMap<TLSSocket, UserInfo | null>();
function authenticate(socket: TLSSocket): UserInfo | undefined {
  const cached = usersBySocket.get(socket);
  if (cached !== undefined) return cached ?? undefined;
  const u = authenticateClientCertificate(socket);
  const user = u ? { name: u.user, groups: [...u.groups, 'system:authenticated'] } : null;
  usersBySocket.set(socket, user);
  return user ?? undefined;
}

/** The `verb` label as kube-apiserver's metrics use it (CleanVerb): HTTP-style for writes. */
function metricsVerb(verb: string, contentType: string): string {
  switch (verb) {
    case 'create':
      return 'POST';
    case 'update':
      return 'PUT';
    case 'patch':
      return contentType.startsWith('application/apply-patch') ? 'APPLY' : 'PATCH';
    case 'delete':
    case 'deletecollection':
      return 'DELETE';
    default:
      return verb.toUpperCase();
  }
}

const PUBLIC_PATHS = ['/healthz', '/livez', '/readyz', '/version'];
const SOCKET_USER: UserInfo = { name: 'system:svcnet-local', groups: ['system:masters', 'system:authenticated'] };
const LONG_RUNNING = new Set(['watch', 'exec', 'log', 'portforward', 'proxy', 'attach']);

export class ApiServer {
  readonly #opts: ApiServerOptions;
  #https?: Http2SecureServer;
  #unix?: HttpServer;
  readonly #sockets = new Set<Socket>();
  readonly #upgradeHandlers: readonly UpgradeHandler[];

  constructor(opts: ApiServerOptions) {
    this.#opts = opts;
    this.#upgradeHandlers = opts.upgradeHandlers ?? [];
  }

  get port(): number {
    const a = this.#https?.address() as AddressInfo | null;
    return a?.port ?? this.#opts.port;
  }

  #httpsSocket?: Http2SecureServer;

  #createHttps(tls: { key: string; cert: string; ca: string }): Http2SecureServer {
    const timeouts = resolveTimeouts(this.#opts.timeouts);
    const https = createSecureServer(
      {
        key: tls.key,
        cert: tls.cert,
        ca: tls.ca,
        requestCert: true,
        rejectUnauthorized: false,
        allowHTTP1: true,
        handshakeTimeout: timeouts.handshakeTimeoutMs,
      },
      (req, res) => this.#serve(req, res, () => authenticate(req.socket as TLSSocket)),
    );
    // Raw connections are tracked from accept, not from the end of the handshake, so stop()
    // also ends the ones still handshaking.
    https.on('connection', (s: Socket) => this.#track(s));
    https.on('secureConnection', (s: Socket) => this.#track(s));
    enforceConnectionTimeouts(https, timeouts);
    https.on('upgrade', (req: RawRequest, socket: Socket, head: Buffer) => {
      this.#upgrade(req, socket, head, () => authenticate(socket as TLSSocket));
    });
    https.on('connect', (req: IncomingMessage, socket: Socket) => this.#connect(req, socket, () => authenticate(socket as TLSSocket)));
    return https;
  }

  async start(): Promise<void> {
    const o = this.#opts;
    if (o.tls && o.tlsSocketPath) {
      rmSync(o.tlsSocketPath, { force: true });
      const srv = this.#createHttps(o.tls);
      this.#httpsSocket = srv;
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(o.tlsSocketPath, () => {
          srv.off('error', reject);
          resolve();
        });
      });
    }
    if (o.tls) {
      const https = this.#createHttps(o.tls);
      this.#https = https;
      await new Promise<void>((resolve, reject) => {
        https.once('error', reject);
        https.listen(o.port, o.host, () => {
          https.off('error', reject);
          resolve();
        });
      });
    }
    if (o.socketPath) {
      rmSync(o.socketPath, { force: true });
      const unix = createHttpServer((req, res) => this.#serve(req, res, () => SOCKET_USER));
      unix.on('connection', (s: Socket) => this.#track(s));
      unix.on('upgrade', (req, socket: Socket, head: Buffer) => this.#upgrade(req, socket, head, () => SOCKET_USER));
      unix.on('connect', (req: IncomingMessage, socket: Socket) => this.#connect(req, socket, () => SOCKET_USER));
      this.#unix = unix;
      await listenPrivate(unix, o.socketPath);
    }
  }

  #track(s: Socket): void {
    this.#sockets.add(s);
    s.on('close', () => this.#sockets.delete(s));
  }

  /**
   * An HTTP/1.1 CONNECT: Node treats it as a proxy tunnel request and, without this listener,
   * drops the connection with no answer. Go's server serves it like any other method (the
   * connect verb of exec/attach/portforward/proxy), so it gets a response and the connection
   * closes after it.
   */
  #connect(req: IncomingMessage, socket: Socket, authn: () => UserInfo | undefined): void {
    socket.on('error', () => socket.destroy());
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.on('finish', () => {
      res.detachSocket(socket);
      socket.end();
    });
    this.#serve(req, res, authn);
  }

  #upgrade(req: RawRequest, socket: Socket, head: Buffer, authn: () => UserInfo | undefined): void {
    // Node's HTTP server drops its own socket error handler once it hands the socket to
    // 'upgrade'; a reset before a handler takes over would otherwise be an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    try {
      parseRequestURI(req.url);
      const user = authn();
      if (!user) throw apiErrors.unauthorized();
      for (const h of this.#upgradeHandlers) if (h(req, socket, head, user)) return;
      throw apiErrors.badRequest('Upgrade request required');
    } catch (err) {
      if (!(err instanceof StatusError)) this.#opts.logger.error('upgrade failed', { err: String((err as Error)?.stack ?? err) });
      writeRawStatus(socket, toStatusError(err));
    }
  }

  /**
   * Entry point of every request: nothing may escape it, or one bad request (or peer
   * certificate) takes the whole process down. A certificate that cannot be read is no identity.
   */
  #serve(raw: RawRequest, res: RawResponse, authn: () => UserInfo | undefined): void {
    let user: UserInfo | undefined;
    try {
      user = authn();
    } catch (err) {
      this.#opts.logger.error('authentication failed', { err: String((err as Error)?.stack ?? err) });
    }
    this.#handle(raw, res, user).catch((err: unknown) => {
      this.#opts.logger.error('request failed', { err: String((err as Error)?.stack ?? err) });
      try {
        if (!res.headersSent) res.statusCode = 500;
        res.end();
      } catch {
        // the stream is already gone
      }
    });
  }

  async #handle(raw: RawRequest, res: RawResponse, user: UserInfo | undefined): Promise<void> {
    const started = process.hrtime.bigint();
    // A target that does not parse still gets a request object, so the answer below is a Status.
    let uri: RequestURI;
    let uriError: unknown;
    try {
      uri = parseRequestURI(raw.url);
    } catch (err) {
      uriError = err;
      uri = { rawPath: '/', path: '/', rawQuery: '' };
    }
    const url = new URL('https://localhost/');
    url.search = uri.rawQuery;
    const req: ApiRequest = {
      method: raw.method ?? 'GET',
      url,
      path: uri.path,
      rawPath: uri.rawPath,
      query: url.searchParams,
      headers: raw.headers,
      raw,
      res,
      user: user ?? { name: 'system:anonymous', groups: ['system:unauthenticated'] },
      warnings: [],
      labels: { verb: '', group: '', version: '', resource: '', subresource: '', scope: '' },
    };
    const metrics = this.#opts.metrics;
    let longRunningLabels: Record<string, string> | undefined;
    const pathname = req.path;
    try {
      if (uriError) throw uriError;
      const info = parseRequestInfo(req.method, pathname, url.searchParams);
      if (!user && !(this.#opts.publicPaths ?? PUBLIC_PATHS).some((p) => pathname === p || pathname.startsWith(p + '/'))) {
        throw apiErrors.unauthorized();
      }
      if (info.isResourceRequest) {
        req.labels = {
          verb: metricsVerb(info.verb, header(req, 'content-type')),
          group: info.group,
          version: info.version,
          resource: info.resource,
          subresource: info.subresource,
          scope: info.name ? 'resource' : info.namespace ? 'namespace' : 'cluster',
        };
        if (LONG_RUNNING.has(info.verb) || LONG_RUNNING.has(info.subresource)) {
          longRunningLabels = { ...req.labels, component: 'apiserver' };
          delete (longRunningLabels as Record<string, string | undefined>).dry_run;
          metrics.longRunning.inc(longRunningLabels);
        }
        await routeResource(req, info, this.#opts.registry, this.#opts.now ?? (() => new Date()), this.#opts.subresources);
      } else {
        req.labels = { verb: req.method, group: '', version: '', resource: '', subresource: '', scope: '' };
        await routeNonResource(req, this.#opts, this.port);
      }
    } catch (err) {
      const se = toStatusError(err);
      if (!(err instanceof StatusError)) this.#opts.logger.error('request failed', { path: req.rawPath, err: String((err as Error)?.stack ?? err) });
      if (res.headersSent) res.end();
      else writeStatus(req, se);
    } finally {
      if (longRunningLabels) metrics.longRunning.dec(longRunningLabels);
      const code = String(res.statusCode);
      const labels = {
        ...req.labels,
        dry_run: req.query.has('dryRun') ? 'All' : '',
        component: 'apiserver',
      };
      metrics.requestTotal.inc({ ...labels, code });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (!longRunningLabels) metrics.requestDuration.observe(labels, seconds);
      this.#opts.logger.debug('request', {
        verb: req.labels.verb,
        path: req.rawPath,
        code: res.statusCode,
        ms: Math.round(seconds * 1000 * 10) / 10,
        user: req.user.name,
        ua: header(req, 'user-agent'),
      });
    }
  }

  async stop(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await Promise.all([
      this.#https && new Promise<void>((r) => this.#https!.close(() => r())),
      this.#unix && new Promise<void>((r) => this.#unix!.close(() => r())),
      this.#httpsSocket && new Promise<void>((r) => this.#httpsSocket!.close(() => r())),
    ]);
    if (this.#opts.tlsSocketPath) rmSync(this.#opts.tlsSocketPath, { force: true });
    if (this.#opts.socketPath) rmSync(this.#opts.socketPath, { force: true });
  }
}

export { writeJSON, writeText };
