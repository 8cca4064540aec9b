// Invariants on each response and the grouping of violations into distinct signatures, each with
// the first request that showed it as its reproducer.
import type { FuzzRequest } from './generate.js';
import type { FuzzResponse } from './transport.js';

/**
 * 5xx answers kube-apiserver gives too, so they are not bugs here:
 * - 504 "Too large resource version": a list/watch at a resourceVersion the cache has not reached
 *   (k8s.io/apiserver storage/cacher: NewTooLargeResourceVersionError → StatusGatewayTimeout).
 * - 503 from an apiserver that is shutting down or not ready.
 * - 500 "etcdserver: ..."/storage unavailable does not apply to sqlite; it stays a finding.
 */
export const ALLOWED_5XX: readonly { readonly status: number; readonly message: RegExp }[] = [
  { status: 504, message: /^Too large resource version/ },
  { status: 503, message: /shutting down|not ready|ServiceUnavailable/i },
  // svcnet-specific: node and pod proxy/eviction subresources answered by the node agent, which
  // `svcnet apiserver` alone does not run (upstream answers 503 when it cannot reach a kubelet).
  { status: 503, message: /is served by the node agent, which is not running/ },
  // A watch with an unparsable resourceVersion: the cacher returns the storage InvalidError
  // unwrapped, which becomes a 500 (lists go through etcd3's 400 "invalid resource version").
  { status: 500, message: /^resourceVersion: Invalid value: .*strconv\.ParseUint/ },
  // services/proxy with no ready endpoint: upstream's ResourceLocation answers the same 503.
  { status: 503, message: /^no endpoints available for service / },
  // updateNodePorts returns a plain error for a repeated {protocol, nodePort} (allocation runs
  // before validation on update), so kube-apiserver answers 500 too.
  { status: 500, message: /^duplicate nodePort: \{/ },
  // Strategic merge patch errors that interpretStrategicMergePatchError (patch.go) passes through
  // as plain errors, which ErrorToAPIStatus answers with 500 and no reason: upstream does this.
  {
    status: 500,
    message:
      /^(unknown patch type: |list element types are not identical: |expected a .*, but received a |map: .* does not contain declared merge key: |merging lists cannot yet be specified in the patch|cannot merge lists without merge key|value for key \d+ is not a map\.|The order in patch list:)/,
  },
];

export type FindingKind = 'crash' | '5xx' | 'hang' | 'no-response' | 'non-status-error' | 'canary' | 'undecodable-object' | 'restart-failed';

export interface Finding {
  readonly kind: FindingKind;
  readonly signature: string;
  count: number;
  readonly detail: string;
  readonly reproducer?: Reproducer;
  readonly otherCandidates?: readonly Reproducer[];
}

export interface Reproducer {
  readonly seed: number;
  readonly index: number;
  readonly transport: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly note: string;
  readonly bodyBase64?: string;
  readonly rawBase64?: string;
  readonly bodySnippet?: string;
}

export function reproducer(seed: number, r: FuzzRequest): Reproducer {
  const snippet = (r.raw ?? r.body)?.subarray(0, 300).toString('utf8').replace(/[^\x20-\x7e]/g, '.');
  return {
    seed,
    index: r.index,
    transport: r.transport,
    method: r.method,
    path: r.path.length > 600 ? `${r.path.slice(0, 600)}…(${r.path.length} chars)` : r.path,
    headers: r.headers,
    note: r.note,
    ...(r.body ? { bodyBase64: r.body.toString('base64') } : {}),
    ...(r.raw ? { rawBase64: r.raw.toString('base64') } : {}),
    ...(snippet !== undefined ? { bodySnippet: snippet } : {}),
  };
}

/** Strips the specifics (names, numbers, quoted values) so one bug is one signature. */
export function normalizeMessage(m: string): string {
  return m
    .split('\n')[0]!
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/\b\d+\b/g, 'N')
    .replace(/file:\/\/\S*?\/dist\//g, 'dist/')
    .slice(0, 160);
}

function statusMessage(res: FuzzResponse): { isStatus: boolean; message: string } {
  const text = res.body.toString('utf8');
  try {
    const obj = JSON.parse(text) as { kind?: unknown; apiVersion?: unknown; status?: unknown; message?: unknown; code?: unknown };
    const isStatus = obj.kind === 'Status' && obj.apiVersion === 'v1' && obj.status === 'Failure' && typeof obj.message === 'string' && obj.code === res.status;
    return { isStatus, message: typeof obj.message === 'string' ? obj.message : text.slice(0, 200) };
  } catch {
    return { isStatus: false, message: text.slice(0, 200) };
  }
}

/** Violations one response shows on its own (crashes are found by the runner). */
export function check(req: FuzzRequest, res: FuzzResponse): { kind: FindingKind; signature: string; detail: string } | undefined {
  if (res.status === 0) {
    if (res.error?.startsWith('client-rejected')) return undefined; // never left this process
    if (res.error === 'timeout') return { kind: 'hang', signature: `hang ${req.transport} ${req.method} ${req.note}`, detail: `no answer in time (${Math.round(res.ms)} ms)` };
    // A raw request the HTTP/1 parser rejects may be closed after a 400 or without one; upstream's
    // Go server answers 400 to malformed request lines, so silent closes are reported.
    return { kind: 'no-response', signature: `no-response ${req.transport} ${normalizeMessage(res.error ?? '')} ${req.note.split(' ').slice(-1)[0]}`, detail: res.error ?? '' };
  }
  if (req.method === 'HEAD' || res.status < 400) return undefined;
  const { isStatus, message } = statusMessage(res);
  if (res.status >= 500) {
    if (ALLOWED_5XX.some((a) => a.status === res.status && a.message.test(message))) return undefined;
    return { kind: '5xx', signature: `${res.status} ${normalizeMessage(message)}`, detail: message.slice(0, 2000) };
  }
  // kube-apiserver answers every API error under /api and /apis with a metav1.Status; a JSON
  // client that gets text or HTML cannot show the reason. Non-API paths (/healthz…) may be text.
  // Raw requests with a malformed request line or framing are refused by the HTTP layer before
  // routing, in Go too (net/http answers a plain-text "400 Bad Request"): only judge well-formed ones.
  if (req.transport === 'raw' && !/raw\/(origin-form|absolute-form)\/HTTP\/1\.1\/(content-length|chunked)$/.test(req.note)) return undefined;
  const apiPath = /^\/apis?(\/|$|\?)/.test(req.path);
  const wantsJson = !/yaml|protobuf|html/.test(req.headers.accept ?? '');
  if (apiPath && wantsJson && !isStatus && res.status !== 406 && res.status !== 405) {
    return { kind: 'non-status-error', signature: `non-status-error ${res.status} ${res.contentType.split(';')[0]} ${normalizeMessage(message)}`, detail: res.body.subarray(0, 500).toString('utf8') };
  }
  return undefined;
}

export class Findings {
  readonly #bySig = new Map<string, Finding>();

  add(f: Omit<Finding, 'count'>): Finding {
    const key = `${f.kind}|${f.signature}`;
    const existing = this.#bySig.get(key);
    if (existing) {
      existing.count++;
      return existing;
    }
    const created: Finding = { ...f, count: 1 };
    this.#bySig.set(key, created);
    return created;
  }

  all(): Finding[] {
    const order: FindingKind[] = ['crash', 'restart-failed', 'undecodable-object', 'canary', '5xx', 'hang', 'no-response', 'non-status-error'];
    return [...this.#bySig.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || b.count - a.count);
  }

  get size(): number {
    return this.#bySig.size;
  }
}

/** "TypeError: x is not a function @ dist/src/apiserver/foo.js:12" from a crash's stderr. */
export function crashSignature(stderrTail: string, code: number | null, signal: string | null): string {
  const lines = stderrTail.split('\n');
  let end = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^\s+at /.test(lines[i]!)) {
      end = i;
      break;
    }
  }
  if (end < 0) return `exit code ${code} signal ${signal}: ${normalizeMessage(lines.filter((l) => l.trim()).slice(-1)[0] ?? '')}`;
  let start = end;
  while (start > 0 && /^\s+at /.test(lines[start - 1]!)) start--;
  // The message may span lines (prom-client prints the label set): take the nearest line above
  // the stack that starts like an error, else the line just above it.
  let msgLine = start - 1;
  for (let i = start - 1; i >= Math.max(0, start - 30); i--) {
    if (/^(\w*Error|Error)\b/.test(lines[i]!)) {
      msgLine = i;
      break;
    }
  }
  const message = (lines[msgLine] ?? '').trim();
  // The first frame in svcnet's own code names the bug better than a builtin's frame.
  let top = start;
  for (let i = start; i <= end; i++) {
    if (lines[i]!.includes('/dist/')) {
      top = i;
      break;
    }
  }
  const frame = lines[top]!.trim().replace(/file:\/\/\S*?\/dist\//, 'dist/').replace(/:\d+\)?$/, ')');
  return `${normalizeMessage(message)} @ ${frame}`;
}
