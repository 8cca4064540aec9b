// resourceVersion and list-parameter handling shared by GET, LIST (and WATCH): parsing as
// kube-apiserver's query-parameter conversion and APIObjectVersioner do, ListOptions validation
// (k8s.io/apimachinery/pkg/apis/meta/internalversion/validation), and the wait-then-504 for a
// resourceVersion the store has not reached yet (the watch cache's waitUntilFreshAndBlock).
import { apiErrors, StatusError } from '../api/errors.js';
import { FIELD_ERROR_TYPES, FieldError, fieldErr, goQuote } from '../api/field-errors.js';

/** How long a read waits for a future resourceVersion to arrive (upstream blockTimeout). */
export const BLOCK_TIMEOUT_MS = 3000;
/** Retry-After for a "too large resource version" answer (resourceVersionTooHighRetrySeconds). */
export const TOO_LARGE_RETRY_SECONDS = 1;

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * strconv.ParseInt(s, 10, 64), which is what the query-parameter conversion runs for int64
 * fields such as `limit`; its error text becomes the 400's message, unwrapped.
 */
export function parseInt64Param(raw: string): number {
  if (!/^[+-]?\d+$/.test(raw)) throw apiErrors.badRequest(`strconv.ParseInt: parsing ${goQuote(raw)}: invalid syntax`);
  const n = BigInt(raw);
  if (n > INT64_MAX || n < INT64_MIN) throw apiErrors.badRequest(`strconv.ParseInt: parsing ${goQuote(raw)}: value out of range`);
  return Number(n);
}

/**
 * A resourceVersion as a store revision: "" and "0" are 0 (any), anything else must be a
 * base-10 uint64 (APIObjectVersioner.ParseResourceVersion). The 400 carries the etcd3 store's
 * text. Revisions beyond 2^53 parse (they are valid uint64s) and simply lie in the future.
 */
export function parseResourceVersion(raw: string): number {
  if (raw === '' || raw === '0') return 0;
  let detail: string | undefined;
  if (!/^\d+$/.test(raw)) detail = `strconv.ParseUint: parsing ${goQuote(raw)}: invalid syntax`;
  else if (BigInt(raw) > UINT64_MAX) detail = `strconv.ParseUint: parsing ${goQuote(raw)}: value out of range`;
  if (detail) {
    throw apiErrors.badRequest(`invalid resource version: ${fieldErr.invalid('resourceVersion', raw, detail).toString()}`);
  }
  return Number(raw);
}

/** storage.NewTooLargeResourceVersionError: 504 Timeout with a ResourceVersionTooLarge cause. */
export function tooLargeResourceVersion(requested: string, current: number): StatusError {
  return new StatusError(504, 'Timeout', `Timeout: Too large resource version: ${BigInt(requested)}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: TOO_LARGE_RETRY_SECONDS,
  });
}

export interface RevisionSource {
  currentRevision(): Promise<number>;
  /** Resolves with the current revision once it is >= rev, or when timeoutMs passes. */
  waitForRevision(rev: number, timeoutMs: number): Promise<number>;
}

/**
 * A read "not older than" `raw` must not be served from an older state: wait a little for the
 * store to catch up (another writer may be mid-commit, or another API server ahead of us), then
 * answer 504 so the client retries rather than acting on stale data.
 */
export async function waitUntilFresh(source: RevisionSource, raw: string, rv: number): Promise<void> {
  if (rv <= 0) return;
  if ((await source.currentRevision()) >= rv) return;
  const current = await source.waitForRevision(rv, BLOCK_TIMEOUT_MS);
  if (current < rv) throw tooLargeResourceVersion(raw, current);
}

export type ResourceVersionMatch = '' | 'Exact' | 'NotOlderThan';

/** The list-relevant part of metav1.ListOptions, decoded and validated. */
export interface ListParams {
  /** 0: no limit (upstream treats a negative limit the same way). */
  readonly limit: number;
  readonly continueToken: string;
  readonly resourceVersion: string;
  readonly resourceVersionMatch: string;
}

/** Decodes list query parameters: a bad integer is a 400, as the parameter codec makes it. */
export function decodeListParams(q: URLSearchParams): ListParams {
  // Only the first value counts (Convert_Slice_string_To_int64 reads (*in)[0]); an empty value
  // is still a value and fails to parse, as upstream.
  const limitRaw = q.getAll('limit')[0];
  const limit = limitRaw === undefined ? 0 : parseInt64Param(limitRaw);
  return {
    // No list has 2^53 items, so a larger int64 means the same as "no limit" does in practice;
    // clamping keeps it an exact integer for the storage drivers (SQLite refuses a REAL LIMIT).
    limit: limit > 0 ? Math.min(limit, Number.MAX_SAFE_INTEGER) : 0,
    continueToken: q.get('continue') ?? '',
    resourceVersion: q.get('resourceVersion') ?? '',
    resourceVersionMatch: q.get('resourceVersionMatch') ?? '',
  };
}

/** ValidateListOptions for a (non-watch) list: 422 Invalid ListOptions.meta.k8s.io. */
export function validateListParams(p: ListParams, sendInitialEvents: boolean): void {
  const errs: FieldError[] = [];
  const match = p.resourceVersionMatch;
  if (match) {
    if (!p.resourceVersion) errs.push(fieldErr.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (p.continueToken) errs.push(fieldErr.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') {
      // Upstream lists the supported values in this order, "" included, unsorted.
      errs.push(new FieldError(FIELD_ERROR_TYPES.NotSupported, 'resourceVersionMatch', match, 'supported values: "Exact", "NotOlderThan", ""', true));
    }
    if (match === 'Exact' && p.resourceVersion === '0') {
      errs.push(fieldErr.forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
  }
  if (sendInitialEvents) errs.push(fieldErr.forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  if (errs.length) throw apiErrors.invalid('meta.k8s.io', 'ListOptions', '', errs);
}
