// The CRI container log format (what containerd and CRI-O write under /var/log/pods): one file per
// container instance, one line per write, `<RFC3339Nano> <stdout|stderr> <F|P> <text>`, where P
// marks a partial line continued by the next entry. The writer the runtime attaches to a
// container's stdout/stderr, and the line codec the reader (cri-log-reader.ts) and tests use.
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import type { Readable } from 'node:stream';

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
