// Watch stampede: N concurrent initial-state watches against a server holding a ~3 MB Service
// list, while measuring what everyone else sees. Run after `npm run build`:
//
//   node dist/bench/watch-stampede.js [watches=1000] [services=3000] [mode=rv0|plain|list]
//
//   rv0    watch?resourceVersion=0 (informers' old initial sync, kubectl get -w)
//   plain  watch=1 without resourceVersion (initial events too)
//   list   GET the list, then watch from its resourceVersion (client-go's ListAndWatch)
//
// The server runs as a child process (bench/apiserver-process.ts) so its event loop is its own.
// Reported: time until every watcher has its full initial state; /readyz latency (max, p50)
// and a Service create's latency (max) polled during the stampede; the server's peak RSS during
// it and its RSS 10 s after every watch was closed (from /proc/<pid>/status).
import { readFileSync } from 'node:fs';
import { startApiServerProcess } from './apiserver-process.js';
import { adminCredentials, H2Client } from './h2-client.js';
import { serviceManifest, serviceName } from './service-fixture.js';

const WATCHES = Number(process.argv[2] ?? 1000);
const SERVICES = Number(process.argv[3] ?? 3000);
const MODE = process.argv[4] ?? 'rv0';
const NS = 'stampede';
/** Watches per HTTP/2 connection (client-go opens one per informer; this is kinder to the client). */
const PER_CONNECTION = 50;

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const server = await startApiServerProcess();
  const clients: H2Client[] = [];
  try {
    const creds = adminCredentials(server.dataDir);
    const admin = await H2Client.connect(server.url, creds);
    clients.push(admin);
    await admin.json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    for (let i = 0; i < SERVICES; i += 64) {
      const batch = [];
      for (let j = i; j < Math.min(SERVICES, i + 64); j++) batch.push(admin.json('POST', `/api/v1/namespaces/${NS}/services`, serviceManifest(serviceName(j), NS)));
      for (const r of await Promise.all(batch)) if (r.status !== 201) throw new Error(`seed: HTTP ${r.status}`);
    }
    const listBytes = (await admin.request('GET', `/api/v1/namespaces/${NS}/services`)).body.length;
    const rssBefore = rssMiB(server.pid);

    const probe = await H2Client.connect(server.url, creds);
    clients.push(probe);
    const readyz: number[] = [];
    const creates: number[] = [];
    let peakRss = rssBefore;
    let probing = true;
    const probeErrors: string[] = [];
    // Sampled on a timer of our own, so a stalled server cannot hide its peak.
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(server.pid))), 100);
    const probes = (async () => {
      let k = 0;
      while (probing) {
        try {
          let t = performance.now();
          const ready = await probe.request('GET', '/readyz');
          if (ready.status !== 200) probeErrors.push(`readyz: HTTP ${ready.status}`);
          readyz.push(performance.now() - t);
          t = performance.now();
          const r = await probe.json('POST', `/api/v1/namespaces/${NS}/services`, serviceManifest(`probe-${k++}`, NS));
          if (r.status !== 201) probeErrors.push(`create: HTTP ${r.status}`);
          creates.push(performance.now() - t);
        } catch (err) {
          probeErrors.push(String(err));
        }
        await sleep(200);
      }
    })();

    const start = performance.now();
    const counts = new Array<number>(WATCHES).fill(0);
    const closers: { close(): void }[] = [];
    let complete = 0;
    const failed: string[] = [];
    const target = SERVICES;
    let bump: (i: number, n: number) => void = () => undefined;
    const startOne = async (client: H2Client, i: number): Promise<void> => {
      try {
        let path = `/api/v1/namespaces/${NS}/services?watch=true&resourceVersion=0`;
        if (MODE === 'plain') path = `/api/v1/namespaces/${NS}/services?watch=1`;
        if (MODE === 'list') {
          const l = await client.request('GET', `/api/v1/namespaces/${NS}/services`);
          const rv = (JSON.parse(l.body.toString('utf8')) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
          bump(i, target);
          path = `/api/v1/namespaces/${NS}/services?watch=true&resourceVersion=${rv}`;
        }
        closers.push(await client.watch(path, (line) => MODE !== 'list' && line.startsWith('{"type":"ADDED"') && bump(i, 1)));
      } catch (err) {
        // A reset or refused watch counts as done (and failed), so the run still reports.
        failed.push(String(err));
        bump(i, target);
      }
    };
    const done = new Promise<void>((resolve) => {
      bump = (i: number, n: number) => {
        const before = counts[i]!;
        counts[i] = before + n;
        if (before < target && counts[i]! >= target && ++complete === WATCHES) resolve();
      };
      void (async () => {
        for (let c = 0; c * PER_CONNECTION < WATCHES; c++) {
          const client = await H2Client.connect(server.url, creds);
          clients.push(client);
          for (let i = c * PER_CONNECTION; i < Math.min(WATCHES, (c + 1) * PER_CONNECTION); i++) {
            void startOne(client, i);
          }
        }
      })();
    });
    await done;
    const initialMs = performance.now() - start;
    probing = false;
    await probes;
    clearInterval(sampler);
    for (const c of closers) c.close();
    await sleep(10_000);
    const rssAfter = rssMiB(server.pid);
    const sorted = [...readyz].sort((a, b) => a - b);
    console.log(
      JSON.stringify(
        {
          mode: MODE,
          watches: WATCHES,
          services: SERVICES,
          listBytes,
          allInitialStateMs: Math.round(initialMs),
          failedWatches: failed.length,
          firstFailure: failed[0],
          readyzMaxMs: Math.round(sorted[sorted.length - 1] ?? NaN),
          readyzP50Ms: Math.round(sorted[Math.floor(sorted.length / 2)] ?? NaN),
          readyzSamples: readyz.length,
          createMaxMs: Math.round(Math.max(...creates)),
          probeErrors: probeErrors.slice(0, 3),
          rssBeforeMiB: rssBefore,
          rssPeakMiB: peakRss,
          rssAfterMiB: rssAfter,
        },
        null,
        1,
      ),
    );
  } finally {
    for (const c of clients) c.close();
    await server.stop();
  }
}

await main();
