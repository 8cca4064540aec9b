// Known crashers, muted once confirmed. A crash that one request in fifty triggers (e.g. any
// malformed %-escape) would otherwise turn a 100,000-request run into thousands of restarts and
// hide everything rarer. A mute switches on only after its crash has been reproduced in this run
// (`MUTE_AFTER` times), so on a server without the bug nothing is ever skipped; skipped requests
// are counted and reported, and not counted as sent.
import type { FuzzRequest } from './generate.js';

export const MUTE_AFTER = 2;

export interface Mute {
  readonly name: string;
  /** Matches the crash signature (see findings.ts crashSignature) this mute stands for. */
  readonly crash: RegExp;
  readonly matches: (req: FuzzRequest) => boolean;
}

/** The request-target as the server sees it: the path, or the raw request line's target. */
export function requestTarget(req: FuzzRequest): string {
  if (!req.raw) return req.path;
  const line = req.raw.subarray(0, Math.max(0, req.raw.indexOf('\r\n'))).toString('latin1');
  return line.split(' ')[1] ?? '';
}

function badEscape(s: string): boolean {
  try {
    decodeURIComponent(s.split('#')[0]!);
    return false;
  } catch {
    return true;
  }
}

export const MUTES: readonly Mute[] = [
  { name: 'malformed %-escape in the path', crash: /URI malformed/, matches: (r) => badEscape(requestTarget(r).split('?')[0]!) },
  { name: 'malformed %-escape in the query', crash: /URI malformed/, matches: (r) => badEscape(requestTarget(r).split('?').slice(1).join('?')) },
  { name: 'request-target starting with //', crash: /Invalid URL/, matches: (r) => requestTarget(r).startsWith('//') },
  // Object.prototype polluted by a `__proto__` key in a patch body; every later request crashes.
  { name: 'PATCH body with a __proto__ key', crash: /Added label/, matches: (r) => r.method === 'PATCH' && (r.body?.includes('__proto__') ?? false) },
  { name: 'absolute-form request-target', crash: /Invalid URL|absolute/i, matches: (r) => /^[a-z]+:\/\//i.test(requestTarget(r)) },
];

export class MuteSet {
  readonly #active = new Set<Mute>();
  readonly skipped = new Map<string, number>();

  /** Called with every crash signature reproduced and its running count. */
  onCrash(signature: string, count: number, req: FuzzRequest | undefined): void {
    if (count < MUTE_AFTER || !req) return;
    // Only the mutes that describe this crash's reproducer: two different URI crashes (path vs
    // query) stay apart.
    for (const m of MUTES) if (m.crash.test(signature) && m.matches(req)) this.#active.add(m);
  }

  /** The name of the active mute covering `req`, if any; counts it as skipped. */
  skip(req: FuzzRequest): string | undefined {
    for (const m of this.#active) {
      if (m.matches(req)) {
        this.skipped.set(m.name, (this.skipped.get(m.name) ?? 0) + 1);
        return m.name;
      }
    }
    return undefined;
  }

  get active(): string[] {
    return [...this.#active].map((m) => m.name);
  }
}
