// Runs the API server benchmarks and their side-by-side storage comparison with etcd, prints a
// Markdown table and writes the figures as JSON. See BENCHMARKS.md for what each number means.
//
//   npm run bench                      full run (~2 minutes), writes bench/results/latest.json
//   npm run bench -- --quick           small sizes for a smoke run, writes bench/results/quick.json
//   npm run bench -- --only list       only some benchmarks: creates, list, watch (comma-separated)
//   npm run bench -- --targets api     only some targets: api, sqlite, etcd (comma-separated)
//   npm run bench -- --server-cpu-prof DIR   write a V8 CPU profile of the API server process to DIR
import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApiServerProcess } from './apiserver-process.js';
import { adminCredentials, H2Client } from './h2-client.js';
import { apiCreates, apiList, apiWatch, KUBECTL_TABLE_ACCEPT } from './api-bench.js';
import { etcdTarget, kvCreates, kvList, kvWatch, sqliteTarget, type KvTarget } from './storage-bench.js';
import { etcdBinary, startEtcdProcess } from './etcd-process.js';
import { cleanupNow, removeDir, tempDir } from './cleanup.js';
import { procMemory } from './stats.js';
import { describeMachine, goals, renderTable, type Results, type TargetResults } from './report.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const SIZES = {
  full: { creates: 10_000, warmupCreates: 1_000, concurrency: 64, listRuns: 5, watchers: 100, events: 300, watchWarmup: 20, rate: 50 },
  quick: { creates: 1_000, warmupCreates: 100, concurrency: 64, listRuns: 2, watchers: 20, events: 40, watchWarmup: 10, rate: 50 },
} as const;
type Sizes = (typeof SIZES)[keyof typeof SIZES];

const BENCHMARKS = ['creates', 'list', 'watch'] as const;
type Benchmark = (typeof BENCHMARKS)[number];
const TARGETS = ['api', 'sqlite', 'etcd'] as const;
type Target = (typeof TARGETS)[number];

function pickList<T extends string>(raw: string | undefined, all: readonly T[], flag: string): Set<T> {
  if (!raw) return new Set(all);
  const picked = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of picked) if (!all.includes(p as T)) throw new Error(`${flag}: unknown ${JSON.stringify(p)} (one of ${all.join(', ')})`);
  return new Set(picked as T[]);
}

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

async function runApi(sz: Sizes, only: Set<Benchmark>, nodeArgs: string[]): Promise<TargetResults> {
  const out: TargetResults = { memory: {} };
  const server = await startApiServerProcess({ nodeArgs });
  const c = await H2Client.connect(server.url, adminCredentials(server.dataDir));
  try {
    log(`api: server pid ${server.pid} at ${server.url}; warming up with ${sz.warmupCreates} creates`);
    await apiCreates(c, { namespace: 'bench-warmup', count: sz.warmupCreates, concurrency: sz.concurrency, serverPid: server.pid, first: 0 });
    if (only.has('creates') || only.has('list')) {
      log(`api: ${sz.creates} creates, ${sz.concurrency} in flight`);
      out.creates = await apiCreates(c, { namespace: 'bench', count: sz.creates, concurrency: sz.concurrency, serverPid: server.pid });
      out.memory!.serverAfterCreates = procMemory(server.pid);
    }
    if (only.has('list')) {
      log(`api: LIST ${sz.creates} Services x${sz.listRuns}, JSON and Table`);
      out.list = await apiList(c, { namespace: 'bench', runs: sz.listRuns, accept: 'application/json', expect: sz.creates });
      out.listTable = await apiList(c, { namespace: 'bench', runs: sz.listRuns, accept: KUBECTL_TABLE_ACCEPT, expect: sz.creates });
      out.memory!.serverAfterList = procMemory(server.pid);
    }
    if (only.has('watch')) {
      log(`api: watch, ${sz.watchers} watchers, ${sz.events} events at ${sz.rate}/s`);
      out.watch = await apiWatch(server.url, adminCredentials(server.dataDir), {
        namespace: 'bench-watch',
        watchers: sz.watchers,
        events: sz.events,
        warmup: sz.watchWarmup,
        rate: sz.rate,
      });
    }
    out.memory!.server = procMemory(server.pid);
  } finally {
    c.close();
    await server.stop();
  }
  return out;
}

async function runKv(target: KvTarget, sz: Sizes, only: Set<Benchmark>, memPid: Record<string, number>): Promise<TargetResults> {
  const out: TargetResults = { memory: {} };
  if (only.has('creates') || only.has('list')) {
    log(`${target.name}: ${sz.creates} creates, ${sz.concurrency} in flight`);
    out.creates = await kvCreates(target, { namespace: 'bench', count: sz.creates, concurrency: sz.concurrency });
  }
  if (only.has('list')) {
    log(`${target.name}: range of ${sz.creates} keys x${sz.listRuns}`);
    out.list = await kvList(target, { namespace: 'bench', runs: sz.listRuns, expect: sz.creates });
  }
  if (only.has('watch')) {
    log(`${target.name}: watch, ${sz.watchers} watchers, ${sz.events} events at ${sz.rate}/s`);
    out.watch = await kvWatch(target, { namespace: 'bench-watch', watchers: sz.watchers, events: sz.events, warmup: sz.watchWarmup, rate: sz.rate });
  }
  for (const [name, pid] of Object.entries(memPid)) out.memory![name] = procMemory(pid);
  return out;
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
  const only = pickList(values.only, BENCHMARKS, '--only');
  const targets = pickList(values.targets, TARGETS, '--targets');
  const nodeArgs = values['server-cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', resolve(values['server-cpu-prof'])] : [];
  const results: Results = {};
  let etcdVersion: string | undefined;
  let failed = false;
  const attempt = async (name: Target, fn: () => Promise<TargetResults>) => {
    try {
      results[name] = await fn();
    } catch (err) {
      failed = true;
      results[name] = { error: String((err as Error)?.stack ?? err) };
      log(`${name} failed: ${String((err as Error)?.message ?? err)}`);
    }
  };

  if (targets.has('api')) await attempt('api', () => runApi(sz, only, nodeArgs));
  if (targets.has('sqlite')) {
    await attempt('sqlite', async () => {
      const dir = tempDir('sqlite');
      const t = await sqliteTarget(join(dir, 'state.db'));
      try {
        return await runKv(t, sz, only, { process: process.pid });
      } finally {
        await t.close();
        removeDir(dir);
      }
    });
  }
  if (targets.has('etcd')) {
    await attempt('etcd', async () => {
      const bin = etcdBinary();
      if (!bin) throw new Error('etcd not found (Debian: apt-get install etcd-server; or set ETCD_BIN)');
      const etcd = await startEtcdProcess(bin);
      etcdVersion = etcd.version;
      try {
        log(`etcd ${etcd.version}: pid ${etcd.pid} at ${etcd.endpoint}`);
        return await runKv(etcdTarget(etcd.client, etcd.pid), sz, only, { etcd: etcd.pid });
      } finally {
        await etcd.stop();
      }
    });
  }

  const table = renderTable(results, quick);
  process.stdout.write(`\n${table}\n\n`);
  const outPath = resolve(values.out ?? join(REPO_ROOT, 'bench', 'results', quick ? 'quick.json' : 'latest.json'));
  mkdirSync(dirname(outPath), { recursive: true });
  const report = {
    machine: describeMachine(etcdVersion),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    mode: quick ? 'quick' : 'full',
    sizes: sz,
    results,
    goals: goals(results, quick),
  };
  writeFileSync(outPath, JSON.stringify(report, null, 2) + '\n');
  log(`wrote ${outPath}`);
  return failed ? 1 : 0;
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
