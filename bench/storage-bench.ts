// The storage layer alone, side by side: svcnet's sqlite driver (in-process, as the API server
// embeds it) and etcd (a separate process, reached over gRPC with the etcd3 client), driven with
// the operations kube-apiserver sends etcd: create = Txn(If CreateRevision == 0 Then Put),
// update = Txn(If ModRevision == n Then Put), list = Range over a prefix, watch = Watch on a prefix.
import type { Etcd3 } from 'etcd3';
import { openStorage, type Storage } from '../src/storage/index.js';
import { storedServiceJson, serviceName } from './service-fixture.js';
import { cpuMeter, median, nowMs, round, runPool, summarize } from './stats.js';
import { roundSummary, type CreateResult, type ListResult, type WatchResult } from './api-bench.js';

export interface KvTarget {
  readonly name: string;
  /** Processes whose CPU time counts for this target. */
  readonly pids: Record<string, number>;
  create(key: string, value: string): Promise<number>;
  update(key: string, value: string, modRevision: number): Promise<number>;
  /** Range over a prefix; returns how many keys came back. */
  list(prefix: string): Promise<{ count: number; bytes: number }>;
  watch(prefix: string, onValue: (value: string) => void): Promise<{ close(): void }>;
  close(): Promise<void>;
}

export async function sqliteTarget(path: string): Promise<KvTarget> {
  const store: Storage = await openStorage(`sqlite://${path}`);
  return {
    name: 'sqlite',
    pids: { process: process.pid },
    create: (k, v) => store.create(k, v),
    update: (k, v, rev) => store.update(k, v, rev),
    async list(prefix) {
      const r = await store.list(prefix);
      let bytes = 0;
      for (const kv of r.items) bytes += kv.value.length;
      return { count: r.items.length, bytes };
    },
    async watch(prefix, onValue) {
      return store.watch(prefix, { fromRevision: 0, onEvent: (ev) => onValue(ev.kv.value) });
    },
    close: () => store.close(),
  };
}

export function etcdTarget(client: Etcd3, etcdPid: number): KvTarget {
  const txnPut = async (key: string, value: string, field: 'Create' | 'Mod', rev: number) => {
    const r = await client.if(key, field, '==', rev).then(client.put(key).value(value)).commit();
    if (!r.succeeded) throw new Error(`etcd txn on ${key} did not succeed`);
    return Number(r.header.revision);
  };
  return {
    name: 'etcd',
    pids: { etcd: etcdPid, client: process.pid },
    create: (k, v) => txnPut(k, v, 'Create', 0),
    update: (k, v, rev) => txnPut(k, v, 'Mod', rev),
    async list(prefix) {
      const r = await client.getAll().prefix(prefix).exec();
      let bytes = 0;
      for (const kv of r.kvs) bytes += kv.value.length;
      return { count: r.kvs.length, bytes };
    },
    async watch(prefix, onValue) {
      const w = await client.watch().prefix(prefix).create();
      w.on('put', (kv) => onValue(kv.value.toString('utf8')));
      return { close: () => void w.cancel() };
    },
    close: async () => {},
  };
}

const PREFIX = '/registry/services/specs/';

export async function kvCreates(t: KvTarget, opts: { namespace: string; count: number; concurrency: number }): Promise<CreateResult> {
  const values = Array.from({ length: opts.count }, (_, i) => storedServiceJson(i, opts.namespace));
  const latencies: number[] = [];
  const meter = cpuMeter(Object.values(t.pids));
  const t0 = nowMs();
  await runPool(opts.count, opts.concurrency, async (i) => {
    const s = nowMs();
    await t.create(`${PREFIX}${opts.namespace}/${serviceName(i)}`, values[i]!);
    latencies.push(nowMs() - s);
  });
  const seconds = (nowMs() - t0) / 1000;
  const used = meter();
  return {
    count: opts.count,
    concurrency: opts.concurrency,
    seconds: round(seconds, 3),
    perSecond: round(opts.count / seconds),
    requestMs: roundSummary(summarize(latencies)),
    failures: 0,
    bodyBytes: values[0]!.length,
    cpuSeconds: Object.fromEntries(Object.entries(t.pids).map(([k, pid]) => [k, used[pid]!])),
  };
}

export async function kvList(t: KvTarget, opts: { namespace: string; runs: number; expect: number }): Promise<ListResult> {
  const runsMs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < opts.runs; i++) {
    const s = nowMs();
    const r = await t.list(`${PREFIX}${opts.namespace}/`);
    runsMs.push(round(nowMs() - s, 1));
    if (r.count !== opts.expect) throw new Error(`${t.name} range returned ${r.count} keys, expected ${opts.expect}`);
    bytes = r.bytes;
  }
  return { items: opts.expect, bytes, runsMs, medianMs: round(median(runsMs), 1), minMs: Math.min(...runsMs) };
}

const SEQ = /"svcnet\.bench\/seq":"(\d+)"/;

/** Same shape as apiWatch: creates and guarded updates at a fixed rate, `watchers` prefix watches. */
export async function kvWatch(
  t: KvTarget,
  opts: { namespace: string; watchers: number; events: number; warmup: number; rate: number },
): Promise<WatchResult> {
  const total = opts.warmup + opts.events;
  const sentAt = new Float64Array(total).fill(NaN);
  const latencies: number[] = [];
  const watches: { close(): void }[] = [];
  const prefix = `${PREFIX}${opts.namespace}/`;
  try {
    for (let w = 0; w < opts.watchers; w++) {
      watches.push(
        await t.watch(prefix, (value) => {
          const at = nowMs();
          const m = SEQ.exec(value);
          if (!m) return;
          const seq = Number(m[1]);
          if (seq >= opts.warmup && seq < total) latencies.push(at - sentAt[seq]!);
        }),
      );
    }
    const revisions = new Map<number, Promise<number>>();
    const writeMs: number[] = [];
    const stamped = (seq: number) => {
      const v = JSON.parse(storedServiceJson(seq, opts.namespace)) as { metadata: { annotations: Record<string, string> } };
      v.metadata.annotations['svcnet.bench/seq'] = String(seq);
      return JSON.stringify(v);
    };
    const send = async (seq: number): Promise<number> => {
      const key = `${prefix}watched-${seq - (seq % 2)}`;
      const value = stamped(seq);
      const prevRev = seq % 2 === 0 ? 0 : await revisions.get(seq - 1)!;
      sentAt[seq] = nowMs();
      const rev = seq % 2 === 0 ? await t.create(key, value) : await t.update(key, value, prevRev);
      if (seq >= opts.warmup) writeMs.push(nowMs() - sentAt[seq]!);
      return rev;
    };
    const interval = 1000 / opts.rate;
    const start = nowMs();
    for (let seq = 0; seq < total; seq++) {
      const wait = start + seq * interval - nowMs();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      revisions.set(seq, send(seq));
    }
    await Promise.all(revisions.values());
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
    for (const w of watches) w.close();
  }
}
