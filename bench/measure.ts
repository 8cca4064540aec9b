// The measurement loops. Every benchmark runs all targets interleaved, round by round and in a
// rotating order, so a noisy neighbour on this shared machine hits all of them alike and the
// ratios stay honest.
import { cpuMeter, median, nowMs, round, runPool, summarize, type Summary } from './stats.js';
import type { BenchTarget, TargetName } from './target.js';

export interface Sizes {
  readonly creates: number;
  readonly createRounds: number;
  readonly warmupCreates: number;
  readonly concurrency: number;
  readonly listRounds: number;
  readonly watchers: number;
  readonly events: number;
  readonly watchRounds: number;
  readonly watchWarmup: number;
  readonly rate: number;
}

export interface CreateResult {
  readonly count: number;
  readonly concurrency: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly requestMs: Summary;
  /** CPU seconds per role over the timed creates. */
  readonly cpuSeconds: Record<string, number>;
}

export interface ListResult {
  readonly items: number;
  readonly bytes: number;
  readonly runsMs: readonly number[];
  readonly medianMs: number;
  readonly minMs: number;
  readonly headersMedianMs?: number;
}

export interface WatchResult {
  readonly watchers: number;
  readonly events: number;
  readonly ratePerSecond: number;
  readonly latencyMs: Summary;
  readonly writeMs: Summary;
  readonly missing: number;
}

type PerTarget<T> = Partial<Record<TargetName, T>>;

function rotated<T>(xs: readonly T[], by: number): T[] {
  const k = xs.length ? by % xs.length : 0;
  return [...xs.slice(k), ...xs.slice(0, k)];
}

export function roundSummary(s: Summary): Summary {
  return { count: s.count, p50: round(s.p50, 2), p99: round(s.p99, 2), max: round(s.max, 2), mean: round(s.mean, 2) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureCreates(targets: readonly BenchTarget[], sz: Sizes, log: (m: string) => void): Promise<PerTarget<CreateResult>> {
  for (const t of targets) {
    log(`${t.name}: warm-up, ${sz.warmupCreates} creates`);
    await t.prepareCreates('bench-warmup', 0, sz.warmupCreates);
    await runPool(sz.warmupCreates, sz.concurrency, (i) => t.create('bench-warmup', i));
  }
  const per = Math.ceil(sz.creates / sz.createRounds);
  const acc = new Map(targets.map((t) => [t.name, { ms: 0, lat: [] as number[], cpu: {} as Record<string, number> }]));
  for (let r = 0; r < sz.createRounds; r++) {
    const from = r * per;
    const count = Math.min(per, sz.creates - from);
    for (const t of rotated(targets, r)) {
      await t.prepareCreates('bench', from, count);
      const a = acc.get(t.name)!;
      const roles = Object.entries(t.pids);
      const meter = cpuMeter(roles.map(([, pid]) => pid));
      const t0 = nowMs();
      await runPool(count, sz.concurrency, async (k) => {
        const s = nowMs();
        await t.create('bench', from + k);
        a.lat.push(nowMs() - s);
      });
      a.ms += nowMs() - t0;
      const used = meter();
      for (const [role, pid] of roles) a.cpu[role] = round((a.cpu[role] ?? 0) + used[pid]!, 2);
    }
    log(`creates: round ${r + 1}/${sz.createRounds} done`);
  }
  const out: PerTarget<CreateResult> = {};
  for (const t of targets) {
    const a = acc.get(t.name)!;
    out[t.name] = {
      count: sz.creates,
      concurrency: sz.concurrency,
      seconds: round(a.ms / 1000, 3),
      perSecond: round(sz.creates / (a.ms / 1000)),
      requestMs: roundSummary(summarize(a.lat)),
      cpuSeconds: a.cpu,
    };
  }
  return out;
}

/** LIST results keyed "api", "api:table", "sqlite", "etcd". */
export async function measureList(targets: readonly BenchTarget[], sz: Sizes, expect: number): Promise<Record<string, ListResult>> {
  const runs = new Map<string, { ms: number[]; headers: number[]; bytes: number }>();
  for (let r = 0; r < sz.listRounds; r++) {
    for (const t of rotated(targets, r)) {
      for (const variant of t.listVariants) {
        const key = variant === 'json' ? t.name : `${t.name}:${variant}`;
        const o = await t.list('bench', variant);
        if (o.count !== expect) throw new Error(`${key}: LIST returned ${o.count} items, expected ${expect}`);
        const e = runs.get(key) ?? { ms: [], headers: [], bytes: o.bytes };
        e.ms.push(round(o.ms, 1));
        if (o.headersMs !== undefined) e.headers.push(o.headersMs);
        runs.set(key, e);
      }
    }
  }
  const out: Record<string, ListResult> = {};
  for (const [key, e] of runs) {
    out[key] = {
      items: expect,
      bytes: e.bytes,
      runsMs: e.ms,
      medianMs: round(median(e.ms), 1),
      minMs: Math.min(...e.ms),
      ...(e.headers.length ? { headersMedianMs: round(median(e.headers), 1) } : {}),
    };
  }
  return out;
}

interface WatchState {
  readonly sentAt: Float64Array;
  readonly seen: Uint8Array[];
  readonly latencies: number[];
  readonly writeMs: number[];
  received: number;
  next: number;
}

/**
 * Opens `watchers` watches on every target, then writes stamped creates/updates at a fixed rate
 * (open loop: a slow write does not delay the next), target by target in rounds. Latency is
 * receipt time − send time, per event per watcher. The first `watchWarmup` events are not counted.
 */
export async function measureWatch(targets: readonly BenchTarget[], sz: Sizes, log: (m: string) => void): Promise<PerTarget<WatchResult>> {
  const total = sz.watchWarmup + sz.events;
  const states = new Map<TargetName, WatchState>();
  const handles: { close(): void }[] = [];
  try {
    for (const t of targets) {
      const st: WatchState = {
        sentAt: new Float64Array(total).fill(NaN),
        seen: Array.from({ length: sz.watchers }, () => new Uint8Array(total)),
        latencies: [],
        writeMs: [],
        received: 0,
        next: 0,
      };
      states.set(t.name, st);
      log(`${t.name}: opening ${sz.watchers} watches`);
      handles.push(
        await t.openWatchers('bench-watch', sz.watchers, (w, seq, at) => {
          if (seq >= total || st.seen[w]![seq]) return;
          st.seen[w]![seq] = 1;
          st.received++;
          if (seq >= sz.watchWarmup) st.latencies.push(at - st.sentAt[seq]!);
        }),
      );
    }
    const batch = async (t: BenchTarget, count: number) => {
      const st = states.get(t.name)!;
      const first = st.next;
      st.next += count;
      const done = new Map<number, Promise<void>>();
      const interval = 1000 / sz.rate;
      const start = nowMs();
      for (let seq = first; seq < first + count; seq++) {
        const wait = start + (seq - first) * interval - nowMs();
        if (wait > 0) await sleep(wait);
        const p = (async () => {
          if (seq % 2 === 1) await done.get(seq - 1); // an update needs its create acknowledged
          await t.write('bench-watch', seq, () => (st.sentAt[seq] = nowMs()));
          if (seq >= sz.watchWarmup) st.writeMs.push(nowMs() - st.sentAt[seq]!);
        })();
        done.set(seq, p);
      }
      await Promise.all(done.values());
      const deadline = nowMs() + 5000;
      while (st.received < st.next * sz.watchers && nowMs() < deadline) await sleep(10);
    };
    for (const t of targets) await batch(t, sz.watchWarmup);
    const per = Math.ceil(sz.events / sz.watchRounds);
    for (let r = 0; r < sz.watchRounds; r++) {
      for (const t of rotated(targets, r)) await batch(t, Math.min(per, total - states.get(t.name)!.next));
      log(`watch: round ${r + 1}/${sz.watchRounds} done`);
    }
  } finally {
    for (const h of handles) h.close();
  }
  const out: PerTarget<WatchResult> = {};
  for (const t of targets) {
    const st = states.get(t.name)!;
    out[t.name] = {
      watchers: sz.watchers,
      events: sz.events,
      ratePerSecond: sz.rate,
      latencyMs: roundSummary(summarize(st.latencies)),
      writeMs: roundSummary(summarize(st.writeMs)),
      missing: sz.watchers * sz.events - st.latencies.length,
    };
  }
  return out;
}
