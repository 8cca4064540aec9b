// The request target, read the way Go's net/http reads it (url.ParseRequestURI) and never the
// way a browser would: WHATWG URL parsing resolves `.`/`..` segments (even percent-encoded
// ones, `%2e%2e`), which would turn `…/configmaps/%2e%2e` into the Namespace above it. So the
// path is split off the raw target by hand, percent-decoded once (Go's URL.Path), and left
// exactly as sent; names of `.`/`..` are rejected later, where upstream's storage does.
import { apiErrors } from '../api/errors.js';
import { StatusError } from '../api/errors.js';

export interface RequestURI {
  /** The path as sent, still percent-encoded (what a proxy forwards). */
  readonly rawPath: string;
  /** The percent-decoded path (Go's URL.Path); `.`/`..` segments are kept. */
  readonly path: string;
  /** The query string without its `?`. */
  readonly rawQuery: string;
}

const HEX = /^[0-9a-fA-F]{2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Go's url.PathUnescape: a `%` must be followed by two hex digits ("invalid URL escape"); the
 * bytes are then read as UTF-8, where Go keeps invalid bytes as they are and we substitute
 * U+FFFD (a name like that cannot exist, so the outcome — not found — is the same).
 */
export function unescapePath(s: string): string {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      const hex = s.slice(i + 1, i + 3);
      if (!HEX.test(hex)) throw apiErrors.badRequest(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      bytes.push(parseInt(hex, 16));
      i += 3;
      continue;
    }
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
    i += ch.length;
  }
  return utf8.decode(Uint8Array.from(bytes));
}

/**
 * Splits a request target into path and query. Accepts origin-form (`/api/v1/pods?x=y`) and,
 * like Go, absolute-form (`http://host:port/path`, whose authority is ignored for routing:
 * Go checks only that a port is digits, not its range). Anything else is a 400.
 */
export function parseRequestURI(target: string | undefined): RequestURI {
  let t = target ?? '/';
  if (!t.startsWith('/')) {
    const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(t);
    if (!m) throw new StatusError(400, 'BadRequest', `parse ${JSON.stringify(t)}: invalid URI for request`);
    t = t.slice(m[0].length);
    if (!t.startsWith('/')) t = '/' + t;
  }
  const q = t.indexOf('?');
  const rawPath = q >= 0 ? t.slice(0, q) : t;
  const rawQuery = q >= 0 ? t.slice(q + 1) : '';
  return { rawPath, path: unescapePath(rawPath), rawQuery };
}

/**
 * k8s.io/apimachinery/pkg/api/validation/path.IsValidPathSegmentName: a name that becomes a
 * path segment (in the REST API and in storage keys) may not be `.` or `..` and may not contain
 * `/` or `%`.
 */
export function pathSegmentNameErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errs: string[] = [];
  if (name.includes('/')) errs.push(`may not contain '/'`);
  if (name.includes('%')) errs.push(`may not contain '%'`);
  return errs;
}

/** The storage key functions' answer (registry/generic/registry NamespaceKeyFunc): a 400. */
export function checkPathSegmentName(name: string): void {
  const errs = pathSegmentNameErrors(name);
  if (errs.length) throw apiErrors.badRequest(`Name parameter invalid: ${JSON.stringify(name)}: ${errs.join(';')}`);
}
