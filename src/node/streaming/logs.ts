// GET /containerLogs/{namespace}/{pod}/{container}: the kubelet's log endpoint. Reads the CRI log
// file, applies tailLines / sinceSeconds / sinceTime / limitBytes / timestamps, and with `follow`
// keeps reading as the file grows until the container instance stops (or the client leaves).
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LogFormatter, parseCriLine, parseTimeNanos, tailStart } from './cri-log.js';
import { ContainerStateError, type LogTarget, type StreamingRuntime } from './runtime.js';

const POLL_MS = 200;

export interface ContainerLogQuery {
  readonly follow: boolean;
  readonly previous: boolean;
  readonly timestamps: boolean;
  readonly tailLines?: number;
  readonly limitBytes?: number;
  readonly since?: bigint;
}

const truthy = (v: string | null): boolean => v === 'true' || v === '1';

function int(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw new ContainerStateError(`invalid ${name}: ${JSON.stringify(v)}`);
  return Number(v);
}

/** The query as the API server sends it (LogLocation in pkg/registry/core/pod/strategy.go). */
export function parseContainerLogQuery(q: URLSearchParams, now: Date): ContainerLogQuery {
  const sinceSeconds = int(q, 'sinceSeconds');
  const sinceTime = q.get('sinceTime');
  let since: bigint | undefined;
  if (sinceSeconds !== undefined) since = BigInt(now.getTime() - sinceSeconds * 1000) * 1_000_000n;
  else if (sinceTime) {
    since = parseTimeNanos(sinceTime);
    if (since === undefined) throw new ContainerStateError(`invalid sinceTime: ${JSON.stringify(sinceTime)}`);
  }
  const tailLines = int(q, 'tailLines');
  const limitBytes = int(q, 'limitBytes');
  return {
    follow: truthy(q.get('follow')),
    previous: truthy(q.get('previous')),
    timestamps: truthy(q.get('timestamps')),
    ...(tailLines !== undefined && tailLines >= 0 ? { tailLines } : {}),
    ...(limitBytes !== undefined && limitBytes > 0 ? { limitBytes } : {}),
    ...(since !== undefined ? { since } : {}),
  };
}

export async function serveContainerLogs(
  runtime: StreamingRuntime,
  parts: readonly string[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const [namespace, pod, container] = parts;
  if (!namespace || !pod || !container) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('expected /containerLogs/{namespace}/{pod}/{container}');
    return;
  }
  const url = new URL(req.url ?? '/', 'http://node');
  let query: ContainerLogQuery;
  let target: LogTarget;
  try {
    query = parseContainerLogQuery(url.searchParams, new Date());
    if (!runtime.containerLog) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
      return;
    }
    target = await runtime.containerLog(namespace, pod, container, query.previous);
  } catch (err) {
    const code = err instanceof ContainerStateError ? 400 : 500;
    res.writeHead(code, { 'content-type': 'text/plain' }).end((err as Error).message);
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  let closed = false;
  res.on('close', () => (closed = true));
  await streamLogFile(target, query, (b) => res.write(b), () => closed).catch(() => {});
  res.end();
}

/**
 * Writes the log through `write`; resolves when done (not following, the instance stopped, the
 * byte limit was reached, or `cancelled()` turned true).
 */
export async function streamLogFile(
  target: LogTarget,
  q: ContainerLogQuery,
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
