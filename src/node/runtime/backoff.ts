// The kubelet's crash-loop back-off (client-go flowcontrol.Backoff as kuberuntime uses it): per
// container, 10 s doubling to 5 min; an entry whose last failure is older than twice the maximum
// (10 min) starts over. The first restart after a clean history is immediate: the back-off only
// applies while `now - finishedAt < current delay`.

export interface BackoffOptions {
  readonly initialMs?: number;
  readonly maxMs?: number;
}

interface Entry {
  delayMs: number;
  lastUpdateMs: number;
}

export class CrashLoopBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly #entries = new Map<string, Entry>();

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 10_000;
    this.maxMs = opts.maxMs ?? 300_000;
  }

  #expired(entry: Entry, eventMs: number): boolean {
    return eventMs - entry.lastUpdateMs > 2 * this.maxMs;
  }

  /** IsInBackOffSince: how long the container must still wait (0: may start now). */
  remaining(key: string, finishedAtMs: number, nowMs: number): number {
    const e = this.#entries.get(key);
    if (!e || this.#expired(e, finishedAtMs)) return 0;
    return Math.max(0, e.delayMs - (nowMs - finishedAtMs));
  }

  /** The delay currently in force for `key` (for the CrashLoopBackOff message). */
  current(key: string): number {
    return this.#entries.get(key)?.delayMs ?? 0;
  }

  /** Next: records a (re)start after the failure at `finishedAtMs`; doubles the delay. */
  next(key: string, finishedAtMs: number): void {
    const e = this.#entries.get(key);
    if (!e || this.#expired(e, finishedAtMs)) {
      this.#entries.set(key, { delayMs: this.initialMs, lastUpdateMs: finishedAtMs });
      return;
    }
    e.delayMs = Math.min(e.delayMs * 2, this.maxMs);
    e.lastUpdateMs = finishedAtMs;
  }

  forget(prefix: string): void {
    for (const k of [...this.#entries.keys()]) if (k.startsWith(prefix)) this.#entries.delete(k);
  }
}

/** "10s", "1m20s", "5m0s": Go's time.Duration String for whole seconds. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60}s`;
  return `${Math.floor(m / 60)}h${m % 60}m${s % 60}s`;
}
