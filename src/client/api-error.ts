// Errors from the API server as client-go's apierrors sees them: a StatusError carrying the
// metav1.Status, and predicates (IsNotFound, IsConflict, …) that look only at reason and code.
import type { Status } from '../api/errors.js';

export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? `the server responded with status ${status.code}`);
    this.name = 'ApiError';
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string {
    return this.status.reason ?? '';
  }
}

// The reason a bare HTTP status implies, as client-go's newUnstructuredResponseError picks one
// when the body is not a Status (a proxy's HTML page, an empty 404, …).
const REASON_BY_CODE: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** Builds an ApiError from a response: the body's Status when it is one, else a synthesized one. */
export function apiErrorFromResponse(code: number, body: string): ApiError {
  try {
    const parsed = JSON.parse(body) as Partial<Status>;
    if (parsed && parsed.kind === 'Status' && typeof parsed.code === 'number') return new ApiError(parsed as Status);
  } catch {
    // not JSON: fall through
  }
  const text = body.trim();
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    code,
    reason: REASON_BY_CODE[code] ?? 'Unknown',
    message: text ? `the server responded with status ${code}: ${text.slice(0, 512)}` : `the server responded with status ${code}`,
  });
}

function is(err: unknown, reason: string, code: number): boolean {
  if (!(err instanceof ApiError)) return false;
  // Match by reason first; fall back to the code when a server left the reason empty.
  return err.reason === reason || (err.reason === '' && err.code === code);
}

export const isNotFound = (err: unknown): boolean => is(err, 'NotFound', 404);
export const isAlreadyExists = (err: unknown): boolean => is(err, 'AlreadyExists', 409);
export const isConflict = (err: unknown): boolean => is(err, 'Conflict', 409);
export const isInvalid = (err: unknown): boolean => is(err, 'Invalid', 422);
export const isForbidden = (err: unknown): boolean => is(err, 'Forbidden', 403);
export const isBadRequest = (err: unknown): boolean => is(err, 'BadRequest', 400);
/** Expired (watch cache) and Gone (storage) both mean "re-list": the resourceVersion is too old. */
export const isGone = (err: unknown): boolean => err instanceof ApiError && (err.code === 410 || err.reason === 'Gone' || err.reason === 'Expired');
export const isResourceExpired = isGone;
