// Continue tokens as kube-apiserver's storage layer writes and checks them
// (k8s.io/apiserver/pkg/storage continue.go): base64url (no padding) JSON {"v","rv","start"},
// where start is the next key relative to the list's key prefix. A client can forge any token,
// so decoding is strict: anything malformed is a 400, and a start key that is not already a
// clean path (e.g. "../other-namespace/x") is refused, so a list never ranges outside its prefix.
import { posix } from 'node:path';
import { apiErrors, StatusError, type Status } from '../../api/errors.js';

const TOKEN_VERSION = 'meta.k8s.io/v1';

interface ContinueToken {
  v: string;
  /** The revision the first page was read at; -1 continues at the latest revision. */
  rv: number;
  start: string;
}

export interface DecodedContinue {
  /** The full key to start after. */
  readonly startAfter: string;
  /** Revision to read at, or undefined for the latest (a token carrying rv < 0). */
  readonly revision: number | undefined;
}

export function encodeContinue(rv: number, lastKey: string, prefix: string): string {
  const tok: ContinueToken = { v: TOKEN_VERSION, rv, start: lastKey.slice(prefix.length) };
  return Buffer.from(JSON.stringify(tok)).toString('base64url');
}

function invalid(detail: string): StatusError {
  return apiErrors.badRequest(`invalid continue token: continue key is not valid: ${detail}`);
}

/** Go's base64.RawURLEncoding is strict where Buffer.from(…, 'base64url') is lenient. */
function decodeBase64URL(s: string): Buffer {
  const bad = s.search(/[^A-Za-z0-9_-]/);
  if (bad >= 0) throw invalid(`illegal base64 data at input byte ${bad}`);
  if (s.length % 4 === 1) throw invalid(`illegal base64 data at input byte ${s.length - 1}`);
  return Buffer.from(s, 'base64url');
}

/** The JSON decoding step, with encoding/json's wording for the failures a forger can cause. */
function decodeJSON(data: Buffer): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch {
    throw invalid(data.length === 0 ? 'unexpected end of JSON input' : 'invalid character in JSON input');
  }
  if (parsed === null) return { v: '', rv: 0, start: '' };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    const what = Array.isArray(parsed) ? 'array' : typeof parsed === 'boolean' ? 'bool' : typeof parsed;
    throw invalid(`json: cannot unmarshal ${what} into Go value of type storage.continueToken`);
  }
  const o = parsed as Record<string, unknown>;
  const field = (name: string, type: string, got: unknown) => {
    const what = Array.isArray(got) ? 'array' : typeof got === 'boolean' ? 'bool' : typeof got === 'number' ? `number ${String(got)}` : typeof got;
    return invalid(`json: cannot unmarshal ${what} into Go struct field continueToken.${name} of type ${type}`);
  };
  const tok: ContinueToken = { v: '', rv: 0, start: '' };
  if (o.v !== undefined && o.v !== null) {
    if (typeof o.v !== 'string') throw field('v', 'string', o.v);
    tok.v = o.v;
  }
  if (o.rv !== undefined && o.rv !== null) {
    if (typeof o.rv !== 'number' || !Number.isSafeInteger(o.rv)) throw field('rv', 'int64', o.rv);
    tok.rv = o.rv;
  }
  if (o.start !== undefined && o.start !== null) {
    if (typeof o.start !== 'string') throw field('start', 'string', o.start);
    tok.start = o.start;
  }
  return tok;
}

/** path.Clean for rooted paths. */
function cleanPath(p: string): string {
  const n = posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

export function decodeContinue(token: string, prefix: string): DecodedContinue {
  const tok = decodeJSON(decodeBase64URL(token));
  if (tok.v !== TOKEN_VERSION) throw invalid(`server does not recognize this encoded version ${JSON.stringify(tok.v)}`);
  if (tok.rv === 0) throw invalid(`incorrect encoded start resourceVersion (version ${TOKEN_VERSION})`);
  if (tok.start.length === 0) throw invalid(`encoded start key empty (version ${TOKEN_VERSION})`);
  const key = tok.start.startsWith('/') ? tok.start : `/${tok.start}`;
  if (cleanPath(key) !== key) throw invalid(tok.start);
  return { startAfter: prefix + key.slice(1), revision: tok.rv > 0 ? tok.rv : undefined };
}

const INCONSISTENT_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** A 410 whose Status carries a fresh token (rv -1) that continues from the same key at the latest revision. */
class ExpiredContinueError extends StatusError {
  constructor(readonly continueToken: string) {
    super(410, 'Expired', INCONSISTENT_CONTINUE);
  }

  override toStatus(): Status {
    return { ...super.toStatus(), metadata: { continue: this.continueToken } };
  }
}

/** etcd3 store's handleCompactedErrorForPaging. */
export function continueExpired(startAfter: string, prefix: string): StatusError {
  return new ExpiredContinueError(encodeContinue(-1, startAfter, prefix));
}

/** etcd3 store's answer for a compacted resourceVersion without a continue token. */
export function listExpired(): StatusError {
  return apiErrors.resourceExpired('The resourceVersion for the provided list is too old.');
}
