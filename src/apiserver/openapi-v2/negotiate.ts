// Accept negotiation for /openapi/v2, as kube-openapi's handler does it: clauses sorted by q, then
// by specificity; the first clause that matches one of the offered types wins, in offer order
// (JSON first, so `*/*` and a missing Accept get JSON). No match → 406 with an empty body.

export const PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
/** What client-go sends; kube-openapi accepts it and answers with the non-deprecated name above. */
export const PROTOBUF_CONTENT_TYPE_DEPRECATED = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

export const V2_FORMATS = ['json', 'protobuf'] as const;
export type V2Format = (typeof V2_FORMATS)[number];

const OFFERS: readonly { type: string; subtype: string; format: V2Format }[] = [
  { type: 'application', subtype: 'json', format: 'json' },
  { type: 'application', subtype: 'com.github.proto-openapi.spec.v2@v1.0+protobuf', format: 'protobuf' },
  { type: 'application', subtype: 'com.github.proto-openapi.spec.v2.v1.0+protobuf', format: 'protobuf' },
];

interface Clause {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
}

function parseAccept(accept: string): Clause[] {
  const clauses: Clause[] = [];
  for (const part of accept.split(',')) {
    const [range, ...params] = part.split(';').map((s) => s.trim());
    if (!range) continue;
    const [type, subtype = '*'] = range.split('/');
    let q = 1;
    for (const p of params) {
      const [k, v] = p.split('=').map((s) => s.trim());
      if (k === 'q' && v !== undefined) q = Number(v);
    }
    if (!Number.isFinite(q) || q <= 0) continue; // q=0 means "not acceptable"
    clauses.push({ type: type!, subtype, q });
  }
  const specificity = (c: Clause) => (c.type === '*' ? 0 : 1) + (c.subtype === '*' ? 0 : 1);
  // Array.prototype.sort is stable, so equal clauses keep the client's order.
  return clauses.sort((a, b) => b.q - a.q || specificity(b) - specificity(a));
}

/** The format to answer with, or undefined for 406. */
export function negotiateV2(accept: string | undefined): V2Format | undefined {
  for (const c of parseAccept(accept || '*/*')) {
    for (const o of OFFERS) {
      if ((c.type === o.type || c.type === '*') && (c.subtype === o.subtype || c.subtype === '*')) return o.format;
    }
  }
  return undefined;
}
