// Content negotiation for responses: plain JSON objects, or meta.k8s.io Tables for kubectl get.
// We always answer JSON; clients that prefer protobuf (typed client-go) list JSON as a fallback.
import { apiErrors } from '../api/errors.js';

export interface TableRequest {
  readonly version: 'v1' | 'v1beta1';
}

/** Returns the Table version when the Accept header asks for `as=Table` first among what we serve. */
export function negotiateTable(accept: string): TableRequest | undefined {
  for (const part of accept.split(',')) {
    const params = new Map<string, string>();
    const [type, ...rest] = part.split(';').map((s) => s.trim());
    for (const p of rest) {
      const [k, v] = p.split('=');
      if (k && v) params.set(k.trim(), v.trim());
    }
    if (params.get('as') === 'Table' && params.get('g') === 'meta.k8s.io') {
      const v = params.get('v');
      if (v === 'v1' || v === 'v1beta1') return { version: v };
      continue;
    }
    if (type === 'application/json' || type === '*/*' || type === 'application/*' || type === 'application/vnd.kubernetes.protobuf' || type === 'application/yaml') {
      return undefined;
    }
  }
  return undefined;
}

/** 406 when the client accepts nothing we can produce (we produce JSON only). */
export function checkAcceptable(accept: string): void {
  if (!accept) return;
  const ok = accept.split(',').some((part) => {
    const type = part.split(';')[0]!.trim();
    return type === 'application/json' || type === '*/*' || type === 'application/*' || type === '';
  });
  if (!ok) {
    throw apiErrors.notAcceptable(`only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function includeObjectPolicy(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (v === 'None' || v === 'Object') return v;
  return 'Metadata';
}
