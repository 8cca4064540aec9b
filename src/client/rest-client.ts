// RestClient: JSON verbs on API resources plus streaming watch, over HTTP/2+TLS (kubeconfig) or
// HTTP/1.1 on the API server's unix socket. Non-2xx answers are thrown as ApiError with the Status.
import type { KubeObject } from '../api/meta.js';
import { apiErrorFromResponse } from './api-error.js';
import { Http2Transport } from './http2-transport.js';
import { inClusterConnection, loadKubeconfig, type ClusterConnection } from './kubeconfig.js';
import { resourcePath, withQuery, type Query, type ResourceRef } from './resource-path.js';
import { abortError, readBody, UnixSocketTransport, type Transport } from './transport.js';
import { readWatchStream, type WatchEvent } from './watch-stream.js';

/** svcnet's own version, for the User-Agent (kept in step with package.json). */
export const SVCNET_VERSION = 'v0.1.0';

export const patchContentTypes = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;
export type PatchType = keyof typeof patchContentTypes;

export interface RestClientOptions {
  /** Component name for the User-Agent `svcnet-<component>/v0.1.0`. */
  readonly component?: string;
  /** Full User-Agent override. */
  readonly userAgent?: string;
  /** Deadline for non-watch requests (default 60 s); watches end only by the server or abort. */
  readonly timeoutMs?: number;
}

export interface ObjectList<T> {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  readonly items: T[];
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface RequestOptions {
  readonly query?: Query;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly accept?: string;
  readonly signal?: AbortSignal;
}

type Named = ResourceRef & { readonly name: string };

export class RestClient {
  readonly #transport: Transport;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #timeoutMs: number;

  constructor(transport: Transport, opts: RestClientOptions = {}, token?: string) {
    this.#transport = transport;
    const ua = opts.userAgent ?? `svcnet-${opts.component ?? 'client'}/${SVCNET_VERSION}`;
    this.#headers = { 'user-agent': ua, ...(token ? { authorization: `Bearer ${token}` } : {}) };
    this.#timeoutMs = opts.timeoutMs ?? 60_000;
  }

  static fromConnection(conn: ClusterConnection, opts?: RestClientOptions): RestClient {
    return new RestClient(new Http2Transport(conn), opts, conn.token);
  }

  static fromKubeconfig(path: string, context?: string, opts?: RestClientOptions): RestClient {
    return RestClient.fromConnection(loadKubeconfig(path, context), opts);
  }

  /** From a Pod's service account (rest.InClusterConfig). */
  static inCluster(opts?: RestClientOptions): RestClient {
    return RestClient.fromConnection(inClusterConnection(), opts);
  }

  /** The API server's local socket: plain HTTP/1.1, trusted without credentials. */
  static fromUnixSocket(socketPath: string, opts?: RestClientOptions): RestClient {
    return new RestClient(new UnixSocketTransport(socketPath), opts);
  }

  get endpoint(): string {
    return this.#transport.endpoint;
  }

  /** One request on any path; the body is returned whatever the status. */
  async raw(method: string, path: string, opts: RequestOptions = {}): Promise<RawResponse> {
    const headers: Record<string, string> = { ...this.#headers, accept: opts.accept ?? 'application/json' };
    let body: Buffer | undefined;
    if (opts.body !== undefined) {
      body = Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
      headers['content-type'] = opts.contentType ?? 'application/json';
    }
    const deadline = AbortSignal.timeout(this.#timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
    try {
      const res = await this.#transport.open({ method, path: withQuery(path, opts.query), headers, body, signal });
      return { status: res.status, headers: res.headers, body: await readBody(res.body) };
    } catch (err) {
      if (deadline.aborted && !opts.signal?.aborted) throw new Error(`${method} ${path}: timed out after ${this.#timeoutMs} ms`);
      if (signal.aborted) throw abortError();
      throw err;
    }
  }

  async #json<T>(method: string, path: string, opts: RequestOptions): Promise<T> {
    const res = await this.raw(method, path, opts);
    const text = res.body.toString('utf8');
    if (res.status < 200 || res.status > 299) throw apiErrorFromResponse(res.status, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T = KubeObject>(ref: Named, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.#json('GET', resourcePath(ref), { query, signal });
  }

  list<T = KubeObject>(ref: ResourceRef, query?: Query, signal?: AbortSignal): Promise<ObjectList<T>> {
    return this.#json('GET', resourcePath({ ...ref, name: undefined }), { query, signal });
  }

  create<T = KubeObject>(ref: ResourceRef, body: unknown, query?: Query): Promise<T> {
    return this.#json('POST', resourcePath({ ...ref, name: undefined }), { query, body });
  }

  update<T = KubeObject>(ref: Named, body: unknown, query?: Query): Promise<T> {
    return this.#json('PUT', resourcePath(ref), { query, body });
  }

  /** PATCH; `apply` (server-side apply) needs `fieldManager` in the query. */
  patch<T = KubeObject>(ref: Named, patch: unknown, type: PatchType = 'merge', query?: Query): Promise<T> {
    return this.#json('PATCH', resourcePath(ref), { query, body: patch, contentType: patchContentTypes[type] });
  }

  /** DELETE; returns the deleted object or a Success Status, as the server answers. */
  delete<T = unknown>(ref: Named, query?: Query, deleteOptions?: unknown): Promise<T> {
    return this.#json('DELETE', resourcePath(ref), { query, body: deleteOptions });
  }

  /**
   * WATCH: calls onEvent for each `{type, object}` line. Resolves when the server ends the stream
   * (timeoutSeconds, shutdown) or `signal` aborts; rejects with ApiError for a non-200 answer and
   * with an Error when the connection breaks mid-stream. ERROR events are delivered, not thrown.
   */
  async watch<T = KubeObject>(ref: ResourceRef, query: Query, onEvent: (ev: WatchEvent<T>) => void, signal?: AbortSignal): Promise<void> {
    const path = withQuery(resourcePath({ ...ref, name: undefined }), { ...query, watch: 'true' });
    let res;
    try {
      res = await this.#transport.open({ method: 'GET', path, headers: { ...this.#headers, accept: 'application/json' }, signal });
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
    if (res.status !== 200) {
      const text = (await readBody(res.body)).toString('utf8');
      throw apiErrorFromResponse(res.status, text);
    }
    try {
      await readWatchStream<T>(res.body, onEvent);
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
  }

  close(): void {
    this.#transport.close();
  }
}
