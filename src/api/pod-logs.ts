// PodLogOptions from a query string, one parser for both ends of `kubectl logs`: the API server's
// pods/log (query conversion, then ValidatePodLogOptions in pkg/apis/core/validation) and the
// node's /containerLogs, which gets the same query from LogLocation. Errors are upstream's:
// a malformed integer or time is a 400 with strconv's / time.Parse's text, a bad value a 422.
import { apiErrors } from './errors.js';
import { fieldErr, type FieldError } from './field-errors.js';
import type { PodLogOptions } from './types/core/v1.js';

export type { PodLogOptions };

// The boolean query values svcnet has always accepted for these flags.
const bool = (v: string | null): boolean => v === 'true' || v === '1';

function int(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  if (!/^-?\d+$/.test(v)) throw apiErrors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** The query as given, converted field by field (no validation). Throws a 400 StatusError. */
export function decodePodLogOptions(q: URLSearchParams): PodLogOptions {
  const sinceTime = q.get('sinceTime') ?? undefined;
  if (sinceTime !== undefined && Number.isNaN(Date.parse(sinceTime))) {
    throw apiErrors.badRequest(`parsing time ${JSON.stringify(sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(sinceTime)} as "2006"`);
  }
  return {
    container: q.get('container') ?? '',
    follow: bool(q.get('follow')),
    previous: bool(q.get('previous')),
    timestamps: bool(q.get('timestamps')),
    tailLines: int(q, 'tailLines'),
    limitBytes: int(q, 'limitBytes'),
    sinceSeconds: int(q, 'sinceSeconds'),
    sinceTime,
    insecureSkipTLSVerifyBackend: bool(q.get('insecureSkipTLSVerifyBackend')),
  };
}

/** ValidatePodLogOptions: the field errors, empty when valid. */
export function validatePodLogOptions(opts: PodLogOptions): FieldError[] {
  const errs: FieldError[] = [];
  if (opts.tailLines !== undefined && opts.tailLines < 0) errs.push(fieldErr.invalid('tailLines', opts.tailLines, 'must be greater than or equal to 0'));
  if (opts.limitBytes !== undefined && opts.limitBytes < 1) errs.push(fieldErr.invalid('limitBytes', opts.limitBytes, 'must be greater than 0'));
  if (opts.sinceSeconds !== undefined && opts.sinceTime !== undefined) {
    errs.push(fieldErr.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  } else if (opts.sinceSeconds !== undefined && opts.sinceSeconds < 1) {
    errs.push(fieldErr.invalid('sinceSeconds', opts.sinceSeconds, 'must be greater than 0'));
  }
  return errs;
}

/** Query → options, validated; throws the 400/422 StatusError kube-apiserver answers for Pod `name`. */
export function parsePodLogOptions(name: string, q: URLSearchParams): PodLogOptions {
  const opts = decodePodLogOptions(q);
  const errs = validatePodLogOptions(opts);
  if (errs.length) throw apiErrors.invalid('', 'PodLogOptions', name, errs);
  return opts;
}

/**
 * The query LogLocation forwards to the node (pkg/registry/core/pod/strategy.go): only the
 * options that are set, sinceTime at second precision as metav1.Time marshals in a query.
 */
export function podLogOptionsQuery(o: PodLogOptions): URLSearchParams {
  const p = new URLSearchParams();
  if (o.follow) p.set('follow', 'true');
  if (o.previous) p.set('previous', 'true');
  if (o.timestamps) p.set('timestamps', 'true');
  if (o.sinceSeconds !== undefined) p.set('sinceSeconds', String(o.sinceSeconds));
  if (o.sinceTime !== undefined) p.set('sinceTime', new Date(o.sinceTime).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  if (o.tailLines !== undefined) p.set('tailLines', String(o.tailLines));
  if (o.limitBytes !== undefined) p.set('limitBytes', String(o.limitBytes));
  return p;
}

/** The earliest log time to show (ms since the epoch) at `nowMs`: sinceSeconds back, or sinceTime. */
export function podLogSinceMs(o: PodLogOptions, nowMs: number): number | undefined {
  if (o.sinceSeconds !== undefined) return nowMs - o.sinceSeconds * 1000;
  if (o.sinceTime !== undefined) return Date.parse(o.sinceTime);
  return undefined;
}
