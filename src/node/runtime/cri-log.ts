// Container logs in the CRI format (`<RFC3339Nano> <stream> <P|F> <content>`), one file per
// container instance, and the kubelet's reading of them (pkg/kubelet/kuberuntime/logs): tail,
// since, timestamps, limitBytes and follow.
import { createWriteStream, promises as fsp } from 'node:fs';
import type { WriteStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';

// containerd splits lines longer than this into partial (P) records.
const maxLineBytes = 16 * 1024;

/** time.RFC3339Nano: nanosecond fraction with trailing zeros trimmed, always UTC here. */
export function rfc3339Nano(epochNs: bigint): string {
  const ms = Number(epochNs / 1_000_000n);
  const base = new Date(ms).toISOString().slice(0, 19);
  const frac = (epochNs % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${base}${frac ? '.' + frac : ''}Z`;
}

// Wall clock with sub-millisecond resolution, strictly increasing so log order survives sorting.
let lastNs = 0n;
export function nowNs(): bigint {
  const ns = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
  lastNs = ns > lastNs ? ns : lastNs + 1n;
  return lastNs;
}

/** Writes a container's stdout and stderr into one CRI log file. */
export class CriLogWriter {
  readonly #file: WriteStream;
  readonly #pending = new Set<Promise<void>>();

  constructor(path: string) {
    this.#file = createWriteStream(path, { flags: 'a' });
    this.#file.on('error', () => {});
  }

  /** Copies a stream line by line until it ends. */
  attach(stream: Readable, name: 'stdout' | 'stderr'): void {
    const done = new Promise<void>((resolve) => {
      let buf = Buffer.alloc(0);
      stream.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        for (;;) {
          const nl = buf.indexOf(0x0a);
          if (nl < 0) break;
          this.#line(name, buf.subarray(0, nl));
          buf = buf.subarray(nl + 1);
        }
        while (buf.length >= maxLineBytes) {
          this.#record(name, 'P', buf.subarray(0, maxLineBytes));
          buf = buf.subarray(maxLineBytes);
        }
      });
      const finish = () => {
        if (buf.length > 0) this.#record(name, 'F', buf);
        buf = Buffer.alloc(0);
        resolve();
      };
      stream.on('end', finish);
      stream.on('error', finish);
      stream.on('close', finish);
    });
    this.#pending.add(done);
  }

  #line(name: string, line: Buffer): void {
    let rest = line;
    while (rest.length > maxLineBytes) {
      this.#record(name, 'P', rest.subarray(0, maxLineBytes));
      rest = rest.subarray(maxLineBytes);
    }
    this.#record(name, 'F', rest);
  }

  #record(name: string, tag: 'P' | 'F', content: Buffer): void {
    this.#file.write(Buffer.concat([Buffer.from(`${rfc3339Nano(nowNs())} ${name} ${tag} `), content, Buffer.from('\n')]));
  }

  /** Waits for the attached streams to end, then closes the file. */
  async close(): Promise<void> {
    await Promise.all(this.#pending);
    await new Promise<void>((resolve) => this.#file.end(resolve));
  }
}

export interface LogEntry {
  readonly timestamp: string;
  readonly timeMs: number;
  readonly stream: string;
  /** The full logical line, with its newline (none for a final unterminated line). */
  readonly content: Buffer;
}

/** Parses CRI records, joining partial ones; a trailing incomplete record is returned as `rest`. */
export function parseCriLog(data: Buffer): { entries: LogEntry[]; consumed: number } {
  const entries: LogEntry[] = [];
  let partial: Buffer[] = [];
  let pos = 0;
  let consumed = 0;
  while (pos < data.length) {
    const nl = data.indexOf(0x0a, pos);
    if (nl < 0) break;
    const rec = data.subarray(pos, nl);
    pos = nl + 1;
    const s1 = rec.indexOf(0x20);
    const s2 = rec.indexOf(0x20, s1 + 1);
    const s3 = rec.indexOf(0x20, s2 + 1);
    if (s1 < 0 || s2 < 0 || s3 < 0) {
      consumed = pos;
      continue;
    }
    const timestamp = rec.subarray(0, s1).toString();
    const stream = rec.subarray(s1 + 1, s2).toString();
    const tag = rec.subarray(s2 + 1, s3).toString();
    partial.push(rec.subarray(s3 + 1));
    if (tag === 'P') continue;
    entries.push({ timestamp, timeMs: Date.parse(timestamp), stream, content: Buffer.concat([...partial, Buffer.from('\n')]) });
    partial = [];
    consumed = pos;
  }
  return { entries, consumed };
}

export interface LogOptions {
  readonly tailLines?: number;
  /** Only lines at or after this time (ms since epoch), from sinceSeconds/sinceTime. */
  readonly sinceMs?: number;
  readonly timestamps?: boolean;
  readonly limitBytes?: number;
  readonly follow?: boolean;
}

function render(e: LogEntry, timestamps: boolean | undefined): Buffer {
  return timestamps ? Buffer.concat([Buffer.from(e.timestamp + ' '), e.content]) : e.content;
}

/**
 * Streams a log file to `out` with the kubelet's semantics. With follow, keeps reading until
 * `stillWriting()` turns false and the file has been drained, or `signal` aborts.
 */
export async function readCriLog(path: string, opts: LogOptions, out: Writable, stillWriting: () => boolean, signal?: AbortSignal): Promise<void> {
  let data = await fsp.readFile(path).catch(() => Buffer.alloc(0));
  let { entries, consumed } = parseCriLog(data);
  let offset = consumed;
  entries = entries.filter((e) => opts.sinceMs === undefined || e.timeMs >= opts.sinceMs);
  if (opts.tailLines !== undefined && opts.tailLines >= 0) entries = opts.tailLines === 0 ? [] : entries.slice(-opts.tailLines);
  let budget = opts.limitBytes !== undefined && opts.limitBytes > 0 ? opts.limitBytes : Infinity;
  const emit = (e: LogEntry): boolean => {
    let chunk = render(e, opts.timestamps);
    if (chunk.length > budget) chunk = chunk.subarray(0, budget);
    budget -= chunk.length;
    if (chunk.length > 0) out.write(chunk);
    return budget > 0;
  };
  for (const e of entries) if (!emit(e)) return;
  if (!opts.follow) return;
  while (!signal?.aborted && !out.destroyed) {
    const writing = stillWriting();
    const handle = await fsp.open(path, 'r').catch(() => undefined);
    if (handle) {
      const size = (await handle.stat()).size;
      if (size > offset) {
        data = Buffer.alloc(size - offset);
        await handle.read(data, 0, data.length, offset);
        const parsed = parseCriLog(data);
        offset += parsed.consumed;
        for (const e of parsed.entries) {
          if (opts.sinceMs !== undefined && e.timeMs < opts.sinceMs) continue;
          if (!emit(e)) {
            await handle.close();
            return;
          }
        }
      }
      await handle.close();
    }
    // Checked before the read: a writer that stopped has flushed everything we just read.
    if (!writing) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
