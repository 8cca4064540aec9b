// The controllers benchmark (issue "Controllers"): 10,000 Pods across 1,000 Services created at
// once against `svcnet apiserver --controllers endpointslice,endpoint`; how long until every
// Service's EndpointSlice and Endpoints are right, and how many writes the controllers made for it
// against the fewest that could do. BENCHMARKS.md ("Controllers: …") says what each number means.
//
//   npx tsc -p tsconfig.json && node dist/bench/controllers.js
//   --runs N                 fresh API server per run (default 3)
//   --services N --pods-per-service N   (defaults 1000 and 10)
//   --layout interleaved|grouped        how Pods are dealt to Services (default interleaved)
//   --concurrency N          client requests in flight (default 64)
//   --controllers LIST       passed to svcnet apiserver; "" gives the API-only baseline
//   --out FILE               JSON results (default bench/results/controllers.json)
//   --server-cpu-prof DIR    also write a V8 CPU profile of the API server (see profile-summary.ts)
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupNow, removeDir, stopChild, tempDir, trackChild } from './cleanup.js';
import { adminCredentials, H2Client } from './h2-client.js';
import { describeMachine } from './report.js';
import { nowMs, procCpuSeconds, procMemory, round, runPool } from './stats.js';
import {
  ConvergenceTracker, expectedIPs, LAYOUTS, nodeManifest, podManifest, podName, readyStatusPatch, serviceManifest, type Layout, type Shape,
} from './controllers-fixture.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NS = 'default';
/** After both kinds are right, writes still arriving within this long are counted too. */
const QUIET_MS = 3000;

function log(msg: string): void {
  process.stderr.write(`[controllers] ${new Date().toISOString().slice(11, 19)} ${msg}\n`);
}

interface Server {
  readonly pid: number;
  readonly url: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

async function startServer(controllers: string, nodeArgs: readonly string[]): Promise<Server> {
  const dataDir = tempDir('controllers');
  const args = [...nodeArgs, join(REPO_ROOT, 'bin', 'svcnet.js'), 'apiserver', '--data-dir', dataDir, '--port', '0', '--controllers', controllers];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dataDir });
  trackChild(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error(`apiserver did not start in 20 s: ${stderr}`)), 20_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      const m = /listening on (https:\/\/\S+)/.exec((out += d));
      if (m) {
        clearTimeout(timer);
        res(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`apiserver exited with ${code}: ${stderr}`));
    });
  });
  return { pid: child.pid!, url, dataDir, stop: async () => (await stopChild(child), removeDir(dataDir)) };
}

/** apiserver_request_total summed by `resource/verb code`, for the resources we count. */
async function requestCounts(c: H2Client): Promise<Map<string, number>> {
  const r = await c.request('GET', '/metrics', { headers: { accept: 'text/plain' } });
  if (r.status !== 200) throw new Error(`GET /metrics: HTTP ${r.status}`);
  const out = new Map<string, number>();
  for (const line of r.body.toString('utf8').split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const res = `${labels.resource}${labels.subresource ? `/${labels.subresource}` : ''}`;
    if (!['endpointslices', 'endpoints', 'pods', 'pods/status', 'services'].includes(res)) continue;
    const key = `${res} ${labels.verb} ${labels.code}`;
    out.set(key, (out.get(key) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return out;
}

function delta(after: Map<string, number>, before: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of after) if (v - (before.get(k) ?? 0) > 0) out[k] = v - (before.get(k) ?? 0);
  return out;
}

// svcnet labels verbs by request verb (CREATE, UPDATE); kube-apiserver by HTTP method (POST, PUT).
const WRITE_VERBS = new Set(['CREATE', 'UPDATE', 'POST', 'PUT', 'PATCH', 'APPLY', 'DELETE', 'DELETECOLLECTION']);

/** Writes (not reads) of one resource in a metrics delta, by verb and code. */
function writesOf(d: Record<string, number>, resource: string): { total: number; byVerb: Record<string, number> } {
  const byVerb: Record<string, number> = {};
  let total = 0;
  for (const [k, v] of Object.entries(d)) {
    const [res, verb, code] = k.split(' ') as [string, string, string];
    if (res !== resource || !WRITE_VERBS.has(verb)) continue;
    byVerb[`${verb} ${code}`] = v;
    total += v;
  }
  return { total, byVerb };
}

async function expectStatus(p: Promise<{ status: number; body: Buffer }>, want: number, what: string): Promise<void> {
  const r = await p;
  if (r.status !== want) throw new Error(`${what}: HTTP ${r.status} ${r.body.toString('utf8').slice(0, 300)}`);
}

async function oneRun(run: number, shape: Shape, concurrency: number, controllers: string, timeoutMs: number, nodeArgs: readonly string[]) {
  const server = await startServer(controllers, nodeArgs);
  log(`run ${run}: svcnet apiserver pid ${server.pid} at ${server.url} (--controllers ${JSON.stringify(controllers)})`);
  const creds = adminCredentials(server.dataDir);
  const client = await H2Client.connect(server.url, creds);
  const watchClient = await H2Client.connect(server.url, creds);
  const want = expectedIPs(shape);
  const slices = new ConvergenceTracker('slices', want);
  const endpoints = new ConvergenceTracker('endpoints', want);
  const streams: { close(): void }[] = [];
  try {
    for (let n = 0; n < shape.nodes; n++) await expectStatus(client.request('POST', '/api/v1/nodes', { body: JSON.stringify(nodeManifest(n)) }), 201, 'create node');
    // Watches opened before the first write: every controller write shows up as one event.
    for (const [path, tracker] of [['/apis/discovery.k8s.io/v1', slices], ['/api/v1', endpoints]] as const) {
      const res = tracker === slices ? 'endpointslices' : 'endpoints';
      const list = await client.json<{ metadata: { resourceVersion: string } }>('GET', `${path}/namespaces/${NS}/${res}?limit=1`);
      streams.push(await watchClient.watch(`${path}/namespaces/${NS}/${res}?watch=true&resourceVersion=${list.obj.metadata.resourceVersion}&timeoutSeconds=3600`, (line, at) => tracker.observe(line, at)));
    }
    const countsBefore = await requestCounts(client);
    const cpuBefore = procCpuSeconds(server.pid);
    const pods = shape.services * shape.podsPerService;
    const svcBodies = Array.from({ length: shape.services }, (_, i) => JSON.stringify(serviceManifest(i)));
    const podBodies = Array.from({ length: pods }, (_, j) => JSON.stringify(podManifest(shape, j)));
    const statusBodies = Array.from({ length: pods }, (_, j) => JSON.stringify(readyStatusPatch(j)));
    const mergePatch = { 'content-type': 'application/merge-patch+json' };

    const t0 = nowMs();
    await runPool(shape.services, concurrency, (i) => expectStatus(client.request('POST', `/api/v1/namespaces/${NS}/services`, { body: svcBodies[i] }), 201, 'create service'));
    const servicesDone = nowMs();
    log(`run ${run}: ${shape.services} Services in ${round((servicesDone - t0) / 1000, 1)} s`);
    await runPool(pods, concurrency, (j) => expectStatus(client.request('POST', `/api/v1/namespaces/${NS}/pods`, { body: podBodies[j] }), 201, 'create pod'));
    const podsDone = nowMs();
    log(`run ${run}: ${pods} Pods in ${round((podsDone - servicesDone) / 1000, 1)} s (slices right: ${slices.rightCount})`);
    await runPool(pods, concurrency, (j) =>
      expectStatus(client.request('PATCH', `/api/v1/namespaces/${NS}/pods/${podName(j)}/status`, { body: statusBodies[j], headers: mergePatch }), 200, 'patch pod status'),
    );
    const statusDone = nowMs();
    log(`run ${run}: ${pods} Pod statuses in ${round((statusDone - podsDone) / 1000, 1)} s (slices right: ${slices.rightCount}, endpoints right: ${endpoints.rightCount})`);

    // Converged, then quiet: no slice or Endpoints event for QUIET_MS (late writes still count).
    const deadline = t0 + timeoutMs;
    const quiet = () => nowMs() - Math.max(slices.lastEventAt ?? 0, endpoints.lastEventAt ?? 0) >= QUIET_MS;
    const names = controllers.split(',').map((c) => c.trim());
    const wantEndpoints = names.includes('endpoint') || names.includes('*');
    const wantSlices = names.includes('endpointslice') || names.includes('*');
    let lastLog = nowMs();
    while (!((!wantSlices || slices.done) && (!wantEndpoints || endpoints.done) && quiet())) {
      if (nowMs() > deadline) throw new Error(`not converged after ${timeoutMs / 1000} s: slices right ${slices.rightCount}, endpoints right ${endpoints.rightCount}`);
      if (nowMs() - lastLog > 10_000) {
        log(`run ${run}: waiting: slices right ${slices.rightCount}, endpoints right ${endpoints.rightCount}`);
        lastLog = nowMs();
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const cpu = procCpuSeconds(server.pid) - cpuBefore;
    const d = delta(await requestCounts(client), countsBefore);
    // The watch view is cross-checked against a fresh LIST: the server must agree it is right.
    const verify = new ConvergenceTracker('slices', want);
    const listed = await client.json<{ items: object[] }>('GET', `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices?labelSelector=endpointslice.kubernetes.io%2Fmanaged-by%3Dendpointslice-controller.k8s.io`);
    for (const item of listed.obj.items) verify.observe(JSON.stringify({ type: 'ADDED', object: item }), 0);
    if (wantSlices && !verify.done) throw new Error(`LIST disagrees with the watch: ${verify.rightCount} Services right`);
    const mem = procMemory(server.pid);
    const secs = (t: number | undefined) => (t === undefined ? null : round((t - t0) / 1000, 2));
    return {
      run,
      clientSeconds: { services: secs(servicesDone), pods: secs(podsDone), podStatus: secs(statusDone) },
      slicesRightSeconds: secs(slices.convergedAt),
      endpointsRightSeconds: secs(endpoints.convergedAt),
      lastSliceWriteSeconds: secs(slices.lastEventAt),
      lastEndpointsWriteSeconds: secs(endpoints.lastEventAt),
      sliceWatchEvents: slices.events,
      endpointsWatchEvents: endpoints.events,
      sliceWrites: writesOf(d, 'endpointslices'),
      endpointsWrites: writesOf(d, 'endpoints'),
      clientWrites: writesOf(d, 'pods').total + writesOf(d, 'pods/status').total + writesOf(d, 'services').total,
      serverCpuSeconds: round(cpu, 2),
      serverPeakRssMiB: mem?.peakRssMiB ?? null,
      serverRssMiB: mem?.rssMiB ?? null,
      loadAverageAfter: round(loadavg()[0]!, 2),
    };
  } finally {
    for (const s of streams) s.close();
    client.close();
    watchClient.close();
    await server.stop();
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      services: { type: 'string', default: '1000' },
      'pods-per-service': { type: 'string', default: '10' },
      layout: { type: 'string', default: 'interleaved' },
      concurrency: { type: 'string', default: '64' },
      controllers: { type: 'string', default: 'endpointslice,endpoint' },
      timeout: { type: 'string', default: '300' },
      out: { type: 'string' },
      'server-cpu-prof': { type: 'string' },
    },
    strict: true,
  });
  if (!LAYOUTS.includes(values.layout as Layout)) throw new Error(`--layout: one of ${LAYOUTS.join(', ')}`);
  const shape: Shape = { services: Number(values.services), podsPerService: Number(values['pods-per-service']), nodes: 2, layout: values.layout as Layout };
  const loadBefore = loadavg()[0]!;
  const nodeArgs = values['server-cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', resolve(values['server-cpu-prof'])] : [];
  const runs = [];
  for (let r = 1; r <= Number(values.runs); r++) {
    const res = await oneRun(r, shape, Number(values.concurrency), values.controllers!, Number(values.timeout) * 1000, nodeArgs);
    log(`run ${r}: ${JSON.stringify(res)}`);
    runs.push(res);
  }
  const report = {
    machine: describeMachine(loadBefore),
    command: `node dist/bench/controllers.js${process.argv.length > 2 ? ` ${process.argv.slice(2).map((x) => (x === '' || /\s/.test(x) ? JSON.stringify(x) : x)).join(' ')}` : ''}`,
    shape,
    concurrency: Number(values.concurrency),
    controllers: values.controllers,
    // One write per Service if every Pod were ready before the first sync; a controller that
    // reacts to the Service first must write its placeholder, so two per Service.
    minimumWrites: { absolute: shape.services, withPlaceholder: 2 * shape.services },
    runs,
  };
  const outPath = resolve(values.out ?? join(REPO_ROOT, 'bench', 'results', 'controllers.json'));
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, JSON.stringify(report, null, 2) + '\n');
  log(`wrote ${outPath}`);
  return 0;
}

main().then(
  (code) => {
    cleanupNow();
    process.exit(code);
  },
  (err) => {
    process.stderr.write(`controllers bench: ${String((err as Error)?.stack ?? err)}\n`);
    cleanupNow();
    process.exit(1);
  },
);
