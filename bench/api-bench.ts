// Benchmarks through the API server's real front door: HTTP/2 + TLS with the admin client
// certificate, the way client-go and kubectl talk to kube-apiserver.
import { H2Client, type Credentials } from './h2-client.js';
import { serviceManifest, serviceName } from './service-fixture.js';
import { cpuMeter, median, nowMs, round, runPool, summarize, type Summary } from './stats.js';

/** kubectl get's Accept header: a Table if the server can, else the plain list. */
export const KUBECTL_TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export interface CreateResult {
  readonly count: number;
  readonly concurrency: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly requestMs: Summary;
  readonly failures: number;
  readonly bodyBytes: number;
  readonly cpuSeconds: Record<string, number>;
}

export interface ListResult {
  readonly items: number;
  readonly bytes: number;
  readonly runsMs: readonly number[];
  readonly medianMs: number;
  readonly minMs: number;
}

export interface WatchResult {
  readonly watchers: number;
  readonly events: number;
  readonly ratePerSecond: number;
  readonly latencyMs: Summary;
  readonly writeMs: Summary;
  readonly missing: number;
}

export async function ensureNamespace(c: H2Client, name: string): Promise<void> {
  const r = await c.json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  if (r.status !== 201 && r.status !== 409) throw new Error(`create namespace ${name}: HTTP ${r.status} ${JSON.stringify(r.obj)}`);
}

export async function apiCreates(
  c: H2Client,
  opts: { namespace: string; count: number; concurrency: number; serverPid: number; first?: number },
): Promise<CreateResult> {
  await ensureNamespace(c, opts.namespace);
  const first = opts.first ?? 0;
  // Bodies are serialized up front so the client's own work stays out of the timing.
  const bodies = Array.from({ length: opts.count }, (_, i) => JSON.stringify(serviceManifest(serviceName(first + i), opts.namespace)));
  const path = `/api/v1/namespaces/${opts.namespace}/services`;
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure = '';
  const cpu = cpuMeter([opts.serverPid, process.pid]);
  const t0 = nowMs();
  await runPool(opts.count, opts.concurrency, async (i) => {
    const s = nowMs();
    const r = await c.request('POST', path, { body: bodies[i] });
    latencies.push(nowMs() - s);
    if (r.status !== 201) {
      failures++;
      firstFailure ||= `HTTP ${r.status} ${r.body.toString('utf8').slice(0, 300)}`;
    }
  });
  const seconds = (nowMs() - t0) / 1000;
  const used = cpu();
  if (failures) process.stderr.write(`  ${failures} creates failed; first: ${firstFailure}\n`);
  return {
    count: opts.count,
    concurrency: opts.concurrency,
    seconds: round(seconds, 3),
    perSecond: round(opts.count / seconds),
    requestMs: roundSummary(summarize(latencies)),
    failures,
    bodyBytes: bodies[0]!.length,
    cpuSeconds: { server: used[opts.serverPid]!, client: used[process.pid]! },
  };
}

/** Times LIST end to end: request sent to last byte received, `runs` times in a row. */
export async function apiList(c: H2Client, opts: { namespace: string; runs: number; accept: string; expect: number }): Promise<ListResult> {
  const path = `/api/v1/namespaces/${opts.namespace}/services`;
  const runsMs: number[] = [];
  let bytes = 0;
  let items = 0;
  for (let i = 0; i < opts.runs; i++) {
    const s = nowMs();
    const r = await c.request('GET', path, { headers: { accept: opts.accept } });
    runsMs.push(round(nowMs() - s, 1));
    if (r.status !== 200) throw new Error(`LIST: HTTP ${r.status} ${r.body.toString('utf8').slice(0, 300)}`);
    if (i === 0) {
      bytes = r.body.length;
      const obj = JSON.parse(r.body.toString('utf8')) as { items?: unknown[]; rows?: unknown[] };
      items = (obj.items ?? obj.rows ?? []).length;
      if (items !== opts.expect) throw new Error(`LIST returned ${items} items, expected ${opts.expect}`);
    }
  }
  return { items, bytes, runsMs, medianMs: round(median(runsMs), 1), minMs: Math.min(...runsMs) };
}

const SEQ = /"svcnet\.bench\/seq":"(\d+)"/;

/**
 * `watchers` clients, each on its own TLS connection (like separate kube-proxies), watch all
 * Services; a writer creates and updates Services at `rate` per second, stamping each with a
 * sequence number. Latency = receipt time − send time, per event per watcher.
 */
export async function apiWatch(
  url: string,
  creds: Credentials,
  opts: { namespace: string; watchers: number; events: number; warmup: number; rate: number },
): Promise<WatchResult> {
  const writer = await H2Client.connect(url, creds);
  const clients: H2Client[] = [];
  const streams: { close(): void }[] = [];
  try {
    await ensureNamespace(writer, opts.namespace);
    const rv = (await writer.json('GET', `/api/v1/namespaces/${opts.namespace}/services?limit=1`)).obj.metadata.resourceVersion as string;
    const total = opts.warmup + opts.events;
    const sentAt = new Float64Array(total).fill(NaN);
    const received = Array.from({ length: opts.watchers }, () => new Uint8Array(total));
    const latencies: number[] = [];
    for (let w = 0; w < opts.watchers; w++) {
      const c = await H2Client.connect(url, creds);
      clients.push(c);
      const seen = received[w]!;
      streams.push(
        await c.watch(
          `/api/v1/services?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`,
          (line, at) => {
            const m = SEQ.exec(line);
            if (!m) return;
            const seq = Number(m[1]);
            if (seq >= total || seen[seq]) return;
            seen[seq] = 1;
            if (seq >= opts.warmup) latencies.push(at - sentAt[seq]!);
          },
          nowMs,
        ),
      );
    }
    const writeMs: number[] = [];
    const created = new Map<number, Promise<unknown>>();
    const path = `/api/v1/namespaces/${opts.namespace}/services`;
    const send = async (seq: number) => {
      const ann = { 'svcnet.bench/seq': String(seq) };
      if (seq % 2 === 0) {
        const body = JSON.stringify(serviceManifest(`watched-${seq}`, opts.namespace, ann));
        sentAt[seq] = nowMs();
        const r = await writer.request('POST', path, { body });
        if (r.status !== 201) throw new Error(`watch writer create: HTTP ${r.status}`);
      } else {
        await created.get(seq - 1); // update the Service the previous tick created
        const body = JSON.stringify({ metadata: { annotations: ann } });
        sentAt[seq] = nowMs();
        const r = await writer.request('PATCH', `${path}/watched-${seq - 1}`, { body, headers: { 'content-type': 'application/merge-patch+json' } });
        if (r.status !== 200) throw new Error(`watch writer patch: HTTP ${r.status}`);
      }
      if (seq >= opts.warmup) writeMs.push(nowMs() - sentAt[seq]!);
    };
    // Open loop at a fixed rate: a slow write does not delay the next one.
    const interval = 1000 / opts.rate;
    const start = nowMs();
    const pending: Promise<unknown>[] = [];
    for (let seq = 0; seq < total; seq++) {
      const wait = start + seq * interval - nowMs();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const p = send(seq);
      created.set(seq, p);
      pending.push(p);
    }
    await Promise.all(pending);
    const expected = opts.watchers * opts.events;
    const deadline = nowMs() + 10_000;
    while (latencies.length < expected && nowMs() < deadline) await new Promise((r) => setTimeout(r, 20));
    return {
      watchers: opts.watchers,
      events: opts.events,
      ratePerSecond: opts.rate,
      latencyMs: roundSummary(summarize(latencies)),
      writeMs: roundSummary(summarize(writeMs)),
      missing: expected - latencies.length,
    };
  } finally {
    for (const s of streams) s.close();
    for (const c of clients) c.close();
    writer.close();
  }
}

export function roundSummary(s: Summary): Summary {
  return { count: s.count, p50: round(s.p50, 2), p99: round(s.p99, 2), max: round(s.max, 2), mean: round(s.mean, 2) };
}
