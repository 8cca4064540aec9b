// The kubelet's reading of a CRI log file (pkg/kubelet/kuberuntime/logs): tailLines counts CRI
// lines from the end, since and limitBytes filter, timestamps stamps each line that starts fresh
// (UTC, nine fraction digits), and follow keeps reading as the file grows until the container
// instance stops or the reader is cancelled. The one reader behind every /containerLogs.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { podLogSinceMs, type PodLogOptions } from '../../api/pod-logs.js';
import { formatTimeNanos, parseCriLine, type CriLogEntry } from './cri-log.js';

const POLL_MS = 200;

/** A container instance's log file, and whether the instance still writes to it. */
export interface CriLogSource {
  readonly path: string;
  /** Whether the instance still runs; `follow` ends at EOF once it does not. */
  isRunning(): boolean;
}

/** PodLogOptions as the reader applies them. */
export interface ContainerLogReadOptions {
  readonly follow: boolean;
  readonly timestamps: boolean;
  readonly tailLines?: number;
  readonly limitBytes?: number;
  /** Nanoseconds since the epoch; older entries are skipped. */
  readonly since?: bigint;
}

/** The reader's options for a (validated) PodLogOptions at `nowMs`. */
export function containerLogReadOptions(o: PodLogOptions, nowMs: number): ContainerLogReadOptions {
  const sinceMs = podLogSinceMs(o, nowMs);
  return {
    follow: !!o.follow,
    timestamps: !!o.timestamps,
    ...(o.tailLines !== undefined && o.tailLines >= 0 ? { tailLines: o.tailLines } : {}),
    ...(o.limitBytes !== undefined && o.limitBytes > 0 ? { limitBytes: o.limitBytes } : {}),
    ...(sinceMs !== undefined && !Number.isNaN(sinceMs) ? { since: BigInt(sinceMs) * 1_000_000n } : {}),
  };
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

/**
 * Writes the log through `write`; resolves when done (not following, the instance stopped, the
 * byte limit was reached, or `cancelled()` turned true).
 */
export async function streamLogFile(
  target: CriLogSource,
  q: ContainerLogReadOptions,
  write: (b: Buffer) => void,
  cancelled: () => boolean,
): Promise<void> {
  const fmt = new LogFormatter({ timestamps: q.timestamps, since: q.since, limitBytes: q.limitBytes });
  let fh: FileHandle | undefined;
  try {
    fh = await open(target.path, 'r');
  } catch {
    if (!q.follow) return;
  }
  let offset = 0;
  let carry = '';
  const emitLines = (lines: string[]) => {
    for (const line of lines) {
      const e = parseCriLine(line);
      if (!e) continue;
      const out = fmt.format(e);
      if (out.length) write(out);
      if (fmt.exhausted) return;
    }
  };
  const readNew = async (): Promise<string[]> => {
    if (!fh) {
      try {
        fh = await open(target.path, 'r');
      } catch {
        return [];
      }
    }
    const size = (await fh.stat()).size;
    if (size < offset) {
      // Truncated or replaced (rotation): start over.
      offset = 0;
      carry = '';
    }
    if (size === offset) return [];
    const buf = Buffer.alloc(size - offset);
    const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
    offset += bytesRead;
    const text = carry + buf.subarray(0, bytesRead).toString('utf8');
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    return lines;
  };
  try {
    const first = await readNew();
    if (q.tailLines !== 0) emitLines(first.slice(tailStart(first, q.tailLines)));
    if (!q.follow || fmt.exhausted) return;
    for (;;) {
      if (cancelled() || fmt.exhausted) return;
      const running = target.isRunning();
      const lines = await readNew();
      emitLines(lines);
      if (!running && lines.length === 0) return;
      if (lines.length === 0) await new Promise((r) => setTimeout(r, POLL_MS));
      // A path that now names a new file (rotated away) is picked up on the next read.
      if (fh) {
        const [a, b] = await Promise.all([fh.stat(), stat(target.path).catch(() => undefined)]);
        if (b && b.ino !== a.ino) {
          await fh.close();
          fh = undefined;
          offset = 0;
          carry = '';
        }
      }
    }
  } finally {
    await fh?.close().catch(() => {});
  }
}
