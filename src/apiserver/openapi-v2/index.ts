// GET /openapi/v2 (and the pre-1.10 /swagger-2.0.0.pb-v1): the Swagger 2.0 document as gnostic
// protobuf, or as JSON when the client asks for JSON. kubectl 1.27 downloads it for every
// `kubectl apply`/`create` with validation on and fails the command when it is missing; see
// swagger.ts for what the document holds and why it has no definitions.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { header, type ApiRequest } from '../http.js';
import { RESOURCES } from '../resources.js';
import { encodeDocument } from './gnostic.js';
import { negotiateV2, PROTOBUF_CONTENT_TYPE, type V2Format } from './negotiate.js';
import { buildSwagger, type SwaggerDocument } from './swagger.js';

export { negotiateV2, PROTOBUF_CONTENT_TYPE, PROTOBUF_CONTENT_TYPE_DEPRECATED } from './negotiate.js';
export type { SwaggerDocument } from './swagger.js';

/** The info.version we report, as the v3 documents do. */
export const OPENAPI_V2_VERSION = 'v1.32.4';
export const OPENAPI_V2_PATHS = ['/openapi/v2', '/swagger-2.0.0.pb-v1'] as const;

interface Cached {
  readonly doc: SwaggerDocument;
  readonly json: Buffer;
  readonly protobuf: Buffer;
  readonly etag: string;
  readonly lastModified: string;
}
let cached: Cached | undefined;

function build(): Cached {
  if (cached) return cached;
  const doc = buildSwagger(RESOURCES, OPENAPI_V2_VERSION);
  const json = Buffer.from(JSON.stringify(doc));
  // kube-openapi's ETag: the SHA-512 of the JSON, upper-case hex, quoted.
  const etag = `"${createHash('sha512').update(json).digest('hex').toUpperCase()}"`;
  cached = { doc, json, protobuf: encodeDocument(doc), etag, lastModified: new Date().toUTCString() };
  return cached;
}

/** The gnostic openapi_v2.Document, protobuf-encoded (built once). */
export function openAPIV2Document(): Buffer {
  return build().protobuf;
}

/** The same document as Swagger 2.0 JSON. */
export function openAPIV2JSON(): Buffer {
  return build().json;
}

/** The document as data (for tests and other renderings). */
export function openAPIV2Swagger(): SwaggerDocument {
  return build().doc;
}

/**
 * Answers GET/HEAD /openapi/v2 or /swagger-2.0.0.pb-v1. The legacy path only ever served protobuf
 * (its name says so); /openapi/v2 negotiates like kube-openapi: JSON unless protobuf is preferred.
 */
export function serveOpenAPIV2(req: ApiRequest): void {
  const res = req.res as ServerResponse;
  if (res.headersSent) return;
  const c = build();
  const legacy = req.path.replace(/\/+$/, '') === '/swagger-2.0.0.pb-v1';
  const format: V2Format | undefined = legacy ? 'protobuf' : negotiateV2(header(req, 'accept'));
  const common = { 'cache-control': 'no-cache, private', 'x-content-type-options': 'nosniff', vary: 'Accept' };
  if (!format) {
    res.writeHead(406, common);
    res.end();
    return;
  }
  const headers = {
    ...common,
    'content-type': format === 'json' ? 'application/json' : PROTOBUF_CONTENT_TYPE,
    etag: c.etag,
    'last-modified': c.lastModified,
  };
  const inm = header(req, 'if-none-match');
  if (inm && inm.split(',').some((t) => t.trim() === c.etag || t.trim() === '*')) {
    const { 'content-type': _, ...rest } = headers;
    res.writeHead(304, rest);
    res.end();
    return;
  }
  res.writeHead(200, headers);
  res.end(format === 'json' ? c.json : c.protobuf);
}
