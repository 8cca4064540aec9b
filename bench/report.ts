// The machine description and the results table (Markdown, so it can go into BENCHMARKS.md as is).
import { availableParallelism, cpus, release, tmpdir, totalmem } from 'node:os';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CreateResult, ListResult, WatchResult } from './measure.js';
import type { ProcMemory } from './stats.js';
import { round } from './stats.js';

export interface Machine {
  readonly nproc: number;
  readonly cpu: string;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly date: string;
  readonly etcd?: string;
  /** Median time of a 4 KiB write + fdatasync in the temp dir: the floor under every durable commit. */
  readonly fdatasyncMs: number;
  /** 1-minute load average before the run started: other work on this shared machine skews absolutes. */
  readonly loadAverageBefore: number;
}

function fdatasyncMs(rounds = 50): number {
  const dir = mkdtempSync(join(tmpdir(), 'svcnet-bench-fsync-'));
  try {
    const fd = openSync(join(dir, 'probe'), 'w');
    const block = Buffer.alloc(4096, 1);
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const s = process.hrtime.bigint();
      writeSync(fd, block);
      fdatasyncSync(fd);
      times.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    closeSync(fd);
    times.sort((a, b) => a - b);
    return round(times[Math.floor(times.length / 2)]!, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function describeMachine(loadAverageBefore: number, etcdVersion?: string): Machine {
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 1024 ** 3, 1),
    kernel: release(),
    node: process.version,
    date: new Date().toISOString(),
    ...(etcdVersion ? { etcd: etcdVersion } : {}),
    fdatasyncMs: fdatasyncMs(),
    loadAverageBefore: round(loadAverageBefore, 2),
  };
}

export interface TargetResults {
  creates?: CreateResult;
  list?: ListResult;
  listTable?: ListResult;
  watch?: WatchResult;
  memory?: Record<string, ProcMemory | undefined>;
  error?: string;
}

export type Results = Partial<Record<'api' | 'sqlite' | 'etcd', TargetResults>>;

export interface Goal {
  readonly name: string;
  readonly goal: string;
  readonly measured: string;
  readonly reached: boolean | undefined;
}

export function goals(r: Results, quick: boolean): Goal[] {
  const api = r.api ?? {};
  const out: Goal[] = [];
  if (api.creates) {
    out.push({ name: `Service creates/s (durable, HTTP/2, ${api.creates.concurrency} in flight)`, goal: '≥ 2,000/s', measured: `${fmt(api.creates.perSecond)}/s`, reached: quick ? undefined : api.creates.perSecond >= 2000 });
  }
  if (api.list) {
    out.push({ name: `LIST of ${fmt(api.list.items)} Services, JSON (median)`, goal: '≤ 300 ms', measured: `${api.list.medianMs} ms`, reached: quick ? undefined : api.list.medianMs <= 300 });
  }
  if (api.listTable) {
    out.push({ name: `LIST of ${fmt(api.listTable.items)} Services, as Table (median)`, goal: '≤ 300 ms', measured: `${api.listTable.medianMs} ms`, reached: quick ? undefined : api.listTable.medianMs <= 300 });
  }
  if (api.watch) {
    out.push({ name: `Watch latency p99, ${api.watch.watchers} watchers`, goal: '≤ 50 ms', measured: `${api.watch.latencyMs.p99} ms`, reached: quick ? undefined : api.watch.missing === 0 && api.watch.latencyMs.p99 <= 50 });
  }
  return out;
}

export function fmt(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return '–';
  return n.toLocaleString('en-US');
}

function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !b) return '–';
  return `${round(a / b, 2)}×`;
}

export function renderTable(r: Results, quick: boolean): string {
  const { api = {}, sqlite = {}, etcd = {} } = r;
  const lines: string[] = [];
  const row = (cells: readonly string[]) => lines.push(`| ${cells.join(' | ')} |`);
  row(['metric', 'svcnet API (HTTP/2 → sqlite)', 'sqlite driver (in-process)', 'etcd (gRPC)', 'API ÷ etcd', 'sqlite ÷ etcd']);
  row(['---', '---:', '---:', '---:', '---:', '---:']);
  const c = (t: TargetResults) => t.creates?.perSecond;
  row([`creates/s, ${api.creates?.concurrency ?? sqlite.creates?.concurrency ?? etcd.creates?.concurrency ?? '–'} in flight (higher is better)`, fmt(c(api)), fmt(c(sqlite)), fmt(c(etcd)), ratio(c(api), c(etcd)), ratio(c(sqlite), c(etcd))]);
  const cl = (t: TargetResults) => t.creates?.requestMs.p50;
  row(['create latency p50, ms', s(cl(api)), s(cl(sqlite)), s(cl(etcd)), ratio(cl(api), cl(etcd)), ratio(cl(sqlite), cl(etcd))]);
  const l = (t: TargetResults) => t.list?.medianMs;
  const n = api.list?.items ?? sqlite.list?.items ?? etcd.list?.items;
  row([`LIST/range of ${fmt(n)}, median ms (lower is better)`, s(l(api)), s(l(sqlite)), s(l(etcd)), ratio(l(api), l(etcd)), ratio(l(sqlite), l(etcd))]);
  const mb = (t: TargetResults) => (t.list ? round(t.list.bytes / 1e6, 1) : undefined);
  row(['LIST/range payload, MB', s(mb(api)), s(mb(sqlite)), s(mb(etcd)), ratio(mb(api), mb(etcd)), ratio(mb(sqlite), mb(etcd))]);
  row([`LIST as Table (kubectl get), median ms`, s(api.listTable?.medianMs), '–', '–', ratio(api.listTable?.medianMs, l(etcd)), '–']);
  const w = (t: TargetResults, k: 'p50' | 'p99' | 'max') => t.watch?.latencyMs[k];
  const watchers = api.watch?.watchers ?? sqlite.watch?.watchers ?? etcd.watch?.watchers;
  for (const k of ['p50', 'p99', 'max'] as const) {
    row([`watch latency ${k}, ${watchers ?? '–'} watchers, ms`, s(w(api, k)), s(w(sqlite, k)), s(w(etcd, k)), ratio(w(api, k), w(etcd, k)), ratio(w(sqlite, k), w(etcd, k))]);
  }
  const wr = (t: TargetResults) => t.watch?.writeMs.p50;
  row(['write latency during watch p50, ms', s(wr(api)), s(wr(sqlite)), s(wr(etcd)), ratio(wr(api), wr(etcd)), ratio(wr(sqlite), wr(etcd))]);
  const cpu = (t: TargetResults) => (t.creates ? round((t.creates.cpuSeconds.server ?? t.creates.cpuSeconds.process ?? NaN) * 1e6 / t.creates.count) : undefined);
  row(['server CPU per create, µs', s(cpu(api)), s(cpu(sqlite)), s(cpu(etcd)), ratio(cpu(api), cpu(etcd)), ratio(cpu(sqlite), cpu(etcd))]);
  const mem = (t: TargetResults) => t.memory?.server?.peakRssMiB;
  row(['server peak RSS, MiB', s(mem(api)), '(in bench process)', s(mem(etcd)), ratio(mem(api), mem(etcd)), '–']);
  const lines2 = [lines.join('\n')];
  const gs = goals(r, quick);
  if (gs.length) {
    lines2.push('', '| goal | target | measured | reached |', '| --- | ---: | ---: | :---: |');
    for (const g of gs) lines2.push(`| ${g.name} | ${g.goal} | ${g.measured} | ${g.reached === undefined ? 'n/a (--quick)' : g.reached ? 'yes' : 'no'} |`);
  }
  return lines2.join('\n');
}

function s(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? '–' : String(v);
}
