// Runs the API server benchmarks side by side with the storage layer alone (svcnet's sqlite
// driver and etcd), prints a Markdown table and writes the figures as JSON. BENCHMARKS.md says
// what each number means.
//
//   npm run bench                     full run (about 1 minute), writes bench/results/latest.json
//   npm run bench -- --quick          small sizes for a smoke run, writes bench/results/quick.json
//   npm run bench -- --only list      some benchmarks only: creates, list, watch (comma-separated)
//   npm run bench -- --targets api    some targets only: api, sqlite, etcd (comma-separated)
//   npm run bench -- --server-cpu-prof DIR   also write a V8 CPU profile of the API server to DIR
//   --out FILE                        write the JSON elsewhere
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiTarget } from './api-target.js';
import { startEtcdTarget, startSqliteTarget } from './kv-target.js';
import { etcdBinary } from './etcd-process.js';
import { cleanupNow } from './cleanup.js';
import { measureCreates, measureList, measureWatch, type Sizes } from './measure.js';
import { describeMachine, goals, renderTable, type Results, type TargetResults } from './report.js';
import { TARGET_NAMES, type BenchTarget, type TargetName } from './target.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const SIZES: Record<'full' | 'quick', Sizes> = {
  full: { creates: 10_000, createRounds: 10, warmupCreates: 1_000, concurrency: 64, listRounds: 9, watchers: 100, events: 600, watchRounds: 3, watchWarmup: 20, rate: 50 },
  quick: { creates: 1_000, createRounds: 2, warmupCreates: 100, concurrency: 64, listRounds: 2, watchers: 10, events: 40, watchRounds: 2, watchWarmup: 10, rate: 50 },
};

const BENCHMARKS = ['creates', 'list', 'watch'] as const;
type Benchmark = (typeof BENCHMARKS)[number];

function pickList<T extends string>(raw: string | undefined, all: readonly T[], flag: string): Set<T> {
  if (!raw) return new Set(all);
  const picked = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of picked) if (!all.includes(p as T)) throw new Error(`${flag}: unknown ${JSON.stringify(p)} (one of ${all.join(', ')})`);
  return new Set(picked as T[]);
}

function log(msg: string): void {
  process.stderr.write(`[bench] ${new Date().toISOString().slice(11, 19)} ${msg}\n`);
}

async function startTargets(names: Set<TargetName>, nodeArgs: string[]): Promise<{ targets: BenchTarget[]; etcdVersion?: string }> {
  const targets: BenchTarget[] = [];
  let etcdVersion: string | undefined;
  try {
    if (names.has('api')) {
      const api = await ApiTarget.start(nodeArgs);
      log(`api: svcnet apiserver pid ${api.pids.server} at ${api.url}`);
      targets.push(api);
    }
    if (names.has('sqlite')) targets.push(await startSqliteTarget());
    if (names.has('etcd')) {
      const bin = etcdBinary();
      if (!bin) throw new Error('etcd not found (Debian: apt-get install etcd-server; or set ETCD_BIN), or drop it with --targets api,sqlite');
      const { target, version } = await startEtcdTarget(bin);
      etcdVersion = version;
      log(`etcd ${version}: pid ${target.pids.server}`);
      targets.push(target);
    }
  } catch (err) {
    await Promise.allSettled(targets.map((t) => t.close()));
    throw err;
  }
  return { targets, etcdVersion };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      targets: { type: 'string' },
      out: { type: 'string' },
      'server-cpu-prof': { type: 'string' },
    },
    strict: true,
  });
  const quick = values.quick!;
  const sz = quick ? SIZES.quick : SIZES.full;
  const only = pickList<Benchmark>(values.only, BENCHMARKS, '--only');
  const names = pickList<TargetName>(values.targets, TARGET_NAMES, '--targets');
  const nodeArgs = values['server-cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', resolve(values['server-cpu-prof'])] : [];
  const started = Date.now();
  const loadBefore = loadavg()[0]!;

  const { targets, etcdVersion } = await startTargets(names, nodeArgs);
  const results: Results = Object.fromEntries(targets.map((t) => [t.name, { memory: {} } satisfies TargetResults]));
  try {
    if (only.has('creates') || only.has('list')) {
      // LIST needs the Services the create benchmark leaves behind.
      const creates = await measureCreates(targets, sz, log);
      for (const t of targets) {
        results[t.name]!.creates = creates[t.name];
        Object.assign(results[t.name]!.memory!, suffixed(t.memory(), 'AfterCreates'));
      }
    }
    if (only.has('list')) {
      log(`list: ${sz.listRounds} rounds of LIST/range of ${sz.creates}`);
      const lists = await measureList(targets, sz, sz.creates);
      for (const t of targets) {
        results[t.name]!.list = lists[t.name];
        if (lists[`${t.name}:table`]) results[t.name]!.listTable = lists[`${t.name}:table`];
        Object.assign(results[t.name]!.memory!, suffixed(t.memory(), 'AfterList'));
      }
    }
    if (only.has('watch')) {
      log(`watch: ${sz.watchers} watchers per target, ${sz.events} events at ${sz.rate}/s in ${sz.watchRounds} rounds`);
      const watch = await measureWatch(targets, sz, log);
      for (const t of targets) results[t.name]!.watch = watch[t.name];
    }
    for (const t of targets) Object.assign(results[t.name]!.memory!, t.memory());
  } finally {
    await Promise.allSettled(targets.map((t) => t.close()));
  }

  const table = renderTable(results, quick);
  process.stdout.write(`\n${table}\n\n`);
  const outPath = resolve(values.out ?? join(REPO_ROOT, 'bench', 'results', quick ? 'quick.json' : 'latest.json'));
  mkdirSync(dirname(outPath), { recursive: true });
  const report = {
    machine: describeMachine(loadBefore, etcdVersion),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    mode: quick ? 'quick' : 'full',
    seconds: Math.round((Date.now() - started) / 1000),
    sizes: sz,
    results,
    goals: goals(results, quick),
  };
  writeFileSync(outPath, JSON.stringify(report, null, 2) + '\n');
  log(`wrote ${outPath} after ${report.seconds} s`);
  return 0;
}

function suffixed<T>(rec: Record<string, T>, suffix: string): Record<string, T> {
  return Object.fromEntries(Object.entries(rec).map(([k, v]) => [`${k}${suffix}`, v]));
}

main().then(
  (code) => {
    cleanupNow();
    process.exit(code);
  },
  (err) => {
    process.stderr.write(`bench: ${String((err as Error)?.stack ?? err)}\n`);
    cleanupNow();
    process.exit(1);
  },
);
