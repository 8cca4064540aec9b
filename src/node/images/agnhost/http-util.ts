// The parts of Go's net/http that agnhost's answers depend on: Content-Type sniffing,
// http.Error, FormValue (body before query) and RemoteAddr as "ip:port".
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { goLog, joinHostPort } from './golang.js';

// Go's http.Server reads up to 1 MiB of request headers (DefaultMaxHeaderBytes); Node stops at
// 16 KiB. The "large requests" e2e tests send long /echo?msg= URLs, so match Go.
const maxHeaderSize = 1 << 20;

export interface TLSFiles {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

/** An HTTP(S) server whose handler errors close the connection, as a panic in a Go handler does. */
export function createGoServer(handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>, tls?: TLSFiles): http.Server {
  const listener: RequestListener = (req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => {
        goLog(`http: panic serving ${remoteAddr(req)}: ${(err as Error).message ?? String(err)}`);
        res.destroy();
      });
  };
  const server = tls ? https.createServer({ cert: tls.cert, key: tls.key, maxHeaderSize }, listener) : http.createServer({ maxHeaderSize }, listener);
  // Go's server keeps idle connections until the client closes them.
  server.keepAliveTimeout = 0;
  return server;
}

/** Go's Request.RemoteAddr: "10.244.1.5:43210" or "[fd00::5]:43210". */
export function remoteAddr(req: IncomingMessage): string {
  return joinHostPort(req.socket.remoteAddress ?? '', req.socket.remotePort ?? 0);
}

const htmlSignatures = ['<!DOCTYPE HTML', '<HTML', '<HEAD', '<SCRIPT', '<IFRAME', '<H1', '<DIV', '<FONT', '<TABLE', '<A', '<STYLE', '<TITLE', '<B', '<BODY', '<BR', '<P', '<!--'];

/** A small part of Go's http.DetectContentType: HTML, XML, binary or UTF-8 text. */
export function sniffContentType(body: string | Buffer): string {
  const text = (typeof body === 'string' ? body : body.subarray(0, 512).toString('latin1')).replace(/^[\t\n\f\r ]+/, '');
  const upper = text.slice(0, 32).toUpperCase();
  for (const sig of htmlSignatures) {
    const next = upper[sig.length];
    if (upper.startsWith(sig) && (next === ' ' || next === '>')) return 'text/html; charset=utf-8';
  }
  if (text.startsWith('<?xml')) return 'text/xml; charset=utf-8';
  const bytes = typeof body === 'string' ? Buffer.from(body.slice(0, 512)) : body.subarray(0, 512);
  // Control bytes other than whitespace mean binary data.
  if (bytes.some((b) => b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f))) return 'application/octet-stream';
  return 'text/plain; charset=utf-8';
}

/** Writes a body as Go's ResponseWriter does when the handler sets no Content-Type. */
export function writeGo(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  const all: Record<string, string | number> = { ...headers, 'Content-Length': buf.length };
  if (buf.length > 0 && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) all['Content-Type'] = sniffContentType(buf);
  res.writeHead(status, all);
  res.end(res.req.method === 'HEAD' ? undefined : buf);
}

/** Go's http.Error. */
export function goHttpError(res: ServerResponse, message: string, status: number): void {
  writeGo(res, status, message + '\n', { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
}

/** Go's Request.FormValue source: url-encoded body values first, then the query string. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const form = new URLSearchParams();
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if ((req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') && type === 'application/x-www-form-urlencoded') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString())) form.append(k, v);
  }
  for (const [k, v] of url.searchParams) form.append(k, v);
  return form;
}

/** Go's textproto.CanonicalMIMEHeaderKey: "x-forwarded-for" → "X-Forwarded-For". */
export function canonicalHeaderKey(key: string): string {
  return key
    .toLowerCase()
    .split('-')
    .map((p) => (p === '' ? p : p[0]!.toUpperCase() + p.slice(1)))
    .join('-');
}

/** Request headers as Go's Request.Header holds them: canonical keys, all values, no Host. */
export function goHeaderMap(req: IncomingMessage): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = canonicalHeaderKey(raw[i]!);
    if (key === 'Host') continue;
    (out[key] ??= []).push(raw[i + 1]!);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
