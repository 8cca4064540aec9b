// The CRI container log format (what containerd and CRI-O write under /var/log/pods) and the
// kubelet's reading rules, pure: one line per write, `<RFC3339Nano> <stdout|stderr> <F|P> <text>`,
// where P marks a partial line continued by the next entry.

export interface CriLogEntry {
  /** Nanoseconds since the epoch. */
  readonly time: bigint;
  readonly stream: 'stdout' | 'stderr';
  /** A P(artial) entry has no newline of its own; the next entry continues it. */
  readonly partial: boolean;
  readonly content: string;
}

/** Parses RFC 3339 with an optional fraction of up to 9 digits; undefined if malformed. */
export function parseTimeNanos(s: string): bigint | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/** The kubelet's output stamp: UTC, always 9 fraction digits (`2006-01-02T15:04:05.000000000Z07:00`). */
export function formatTimeNanos(t: bigint): string {
  const ms = t / 1_000_000n;
  const iso = new Date(Number(ms)).toISOString(); // 2024-01-02T03:04:05.678Z
  const frac = (t % 1_000_000_000n).toString().padStart(9, '0');
  return `${iso.slice(0, 19)}.${frac}Z`;
}

export function parseCriLine(line: string): CriLogEntry | undefined {
  const a = line.indexOf(' ');
  const b = a < 0 ? -1 : line.indexOf(' ', a + 1);
  if (b < 0) return undefined;
  const time = parseTimeNanos(line.slice(0, a));
  const stream = line.slice(a + 1, b);
  if (time === undefined || (stream !== 'stdout' && stream !== 'stderr')) return undefined;
  // Tags are `F`, `P`, or several separated by ':' with the partial flag first.
  const c = line.indexOf(' ', b + 1);
  const tags = c < 0 ? line.slice(b + 1) : line.slice(b + 1, c);
  return { time, stream, partial: tags.split(':')[0] === 'P', content: c < 0 ? '' : line.slice(c + 1) };
}

/** One entry as a CRI runtime would write it (used by tests and fake runtimes). */
export function formatCriLine(e: CriLogEntry): string {
  return `${formatTimeNanos(e.time)} ${e.stream} ${e.partial ? 'P' : 'F'} ${e.content}\n`;
}

export interface LogReadOptions {
  readonly timestamps: boolean;
  /** Entries older than this are skipped (sinceSeconds / sinceTime). */
  readonly since?: bigint;
  /** Remaining byte budget (limitBytes); undefined for no limit. */
  limitBytes?: number;
}

/**
 * Turns entries into the kubelet's output: the stamp (with `timestamps`) before each line that
 * starts fresh, a newline after full entries. Keeps state across calls for `follow`.
 */
export class LogFormatter {
  #atLineStart = true;
  readonly #opts: LogReadOptions;

  constructor(opts: LogReadOptions) {
    this.#opts = { ...opts };
  }

  /** True once limitBytes is used up: the caller stops. */
  get exhausted(): boolean {
    return this.#opts.limitBytes !== undefined && this.#opts.limitBytes <= 0;
  }

  format(e: CriLogEntry): Buffer {
    if (this.exhausted) return Buffer.alloc(0);
    if (this.#opts.since !== undefined && e.time < this.#opts.since) return Buffer.alloc(0);
    let text = '';
    if (this.#opts.timestamps && this.#atLineStart) text += formatTimeNanos(e.time) + ' ';
    text += e.content;
    if (!e.partial) text += '\n';
    this.#atLineStart = !e.partial;
    let out = Buffer.from(text);
    if (this.#opts.limitBytes !== undefined) {
      if (out.length > this.#opts.limitBytes) out = out.subarray(0, this.#opts.limitBytes);
      this.#opts.limitBytes -= out.length;
    }
    return out;
  }
}

/** Index of the first of the last `n` lines (the kubelet counts CRI lines, partial ones included). */
export function tailStart(lines: readonly string[], n: number | undefined): number {
  if (n === undefined) return 0;
  return Math.max(0, lines.length - n);
}
