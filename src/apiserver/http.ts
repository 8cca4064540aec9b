// The request/response shapes handlers see, independent of HTTP/1.1 vs HTTP/2 (node's http2
// compat API gives both the same req/res surface).
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { apiErrors, type StatusError } from '../api/errors.js';
import type { UserInfo } from './registry/strategy.js';

export type RawRequest = IncomingMessage | Http2ServerRequest;
export type RawResponse = ServerResponse | Http2ServerResponse;

/** kube-apiserver's --max-request-body-bytes default (3 MiB). */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

export interface ApiRequest {
  readonly method: string;
  /**
   * The query (and only the query: a URL object's pathname is dot-normalized, which would let
   * `%2e%2e` escape the resource it names). Paths are `path`/`rawPath`.
   */
  readonly url: URL;
  /** The percent-decoded request path, never normalized (Go's URL.Path). */
  readonly path: string;
  /** The request path as sent, still percent-encoded. */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly raw: RawRequest;
  readonly res: RawResponse;
  user: UserInfo;
  /** Warnings to send as `Warning: 299 - "<text>"` headers. */
  readonly warnings: string[];
  /** Set by the router for metrics labels. */
  labels: { verb: string; group: string; version: string; resource: string; subresource: string; scope: string };
}

export function header(req: ApiRequest, name: string): string {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(',') : (v ?? '');
}

/** Reads the whole body, enforcing the request size limit with upstream's message. */
export function readBody(req: ApiRequest, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const raw = req.raw as NodeJS.ReadableStream;
    raw.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(apiErrors.requestEntityTooLarge(`limit is ${limit}`));
        return;
      }
      chunks.push(c);
    });
    raw.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    raw.on('error', (e: Error) => {
      if (!failed) reject(e);
    });
  });
}

/**
 * One `Warning: 299 - "text"` value as apimachinery's NewWarningHeader writes it: only `"` and
 * `\\` are escaped, the text goes out as raw UTF-8. Node refuses header strings with characters
 * above U+00FF or control characters (ERR_INVALID_CHAR would escape the handler), so the UTF-8
 * bytes are handed over as latin1 and control characters become spaces, as Go's server does for
 * CR and LF. Warning texts quote user input (unknown field names, label values), so this matters.
 */
export function warningHeaderValue(text: string): string {
  const quoted = '"' + text.replace(/["\\]/g, (c) => '\\' + c) + '"';
  const bytes = Buffer.from(`299 - ${quoted}`, 'utf8').toString('latin1');
  return bytes.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, ' ');
}

function warningHeaders(req: ApiRequest): string[] {
  return req.warnings.map(warningHeaderValue);
}

export function writeJSON(req: ApiRequest, code: number, body: unknown, contentType = 'application/json'): void {
  const res = req.res;
  if (res.headersSent) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'content-type': contentType,
    'cache-control': 'no-cache, private',
    'x-content-type-options': 'nosniff',
  };
  const w = warningHeaders(req);
  if (w.length) headers['warning'] = w;
  (res as ServerResponse).writeHead(code, headers);
  res.end(text);
}

export function writeStatus(req: ApiRequest, err: StatusError): void {
  writeJSON(req, err.code, err.toStatus());
}

export function writeText(req: ApiRequest, code: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  const res = req.res;
  if (res.headersSent) return;
  (res as ServerResponse).writeHead(code, { 'content-type': contentType, 'cache-control': 'no-cache, private', 'x-content-type-options': 'nosniff' });
  res.end(text);
}
