// svcnet API server fuzzer.
//
//   npm run fuzz -- [--count 100000] [--seed 1] [--duration 3600] [--concurrency 32] [--out DIR]
//   npm run fuzz -- --seed 1 --replay 1234     (re-send request #1234 of seed 1 to a fresh server)
//   npm run fuzz -- --seed 1 --print 1234      (show request #1234 without sending it)
//
// Starts `svcnet apiserver` as a child process (temp data dir, sqlite, random port, controllers
// on), sends `--count` generated requests — valid and mutated JSON/YAML/protobuf bodies of every
// served kind, damaged URLs and query parameters, odd methods and content types, over HTTP/2,
// HTTP/1.1 and raw TLS sockets — and checks: the process stays up (a crash is recorded with the
// request that reproduces it, then the server is restarted on the same data and the run goes
// on), no 5xx outside a small allowlist, API errors are metav1.Status, a canary (health, metrics,
// discovery, a ConfigMap round trip) keeps passing, and at the end every stored object of every
// kind is readable by the real kubectl (get -o yaml, get, describe). Request i of seed S is
// always the same bytes. Exit code: 0 no findings, 1 findings, 2 the harness itself failed.
// Results: <out>/findings.json (each distinct finding with a reproducer, bodies in base64) and
// <out>/summary.txt; the server's stderr is in <out>/server-stderr.log. See docs/fuzzing.md.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cleanupNow, tempDir } from '../cleanup.js';
import { adminCredentials } from '../h2-client.js';
import { reproducer } from './findings.js';
import { generate } from './generate.js';
import { loadProtobufSeeds } from './protobuf.js';
import { Runner } from './runner.js';
import { ServerUnderTest } from './server.js';
import { writeSummary } from './summary.js';
import { Transports } from './transport.js';
import { verifyWithKubectl } from './verify.js';

// dist/bench/fuzz/main.js → the repo root is three levels up.
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function intOption(v: string | undefined, name: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '1' },
      duration: { type: 'string', default: '3600' },
      concurrency: { type: 'string', default: '32' },
      out: { type: 'string' },
      replay: { type: 'string' },
      print: { type: 'string' },
      'no-verify': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const seed = intOption(values.seed, 'seed', 0);
  const pb = loadProtobufSeeds(REPO_ROOT);
  const log = (l: string) => process.stdout.write(l + '\n');

  if (values.print !== undefined) {
    log(JSON.stringify(reproducer(seed, generate(seed, intOption(values.print, 'print', 0), pb)), null, 2));
    return 0;
  }

  const dataDir = tempDir('fuzz');
  const out = values.out ?? join(tmpdir(), `svcnet-fuzz-seed${seed}-${Date.now()}`);
  mkdirSync(out, { recursive: true });
  const server = new ServerUnderTest(REPO_ROOT, dataDir, join(out, 'server-stderr.log'));

  if (values.replay !== undefined) {
    const req = generate(seed, intOption(values.replay, 'replay', 0), pb);
    await server.start();
    const t = new Transports(server.url, adminCredentials(dataDir));
    log(JSON.stringify(reproducer(seed, req), null, 2));
    const res = await t.send(req);
    const probe = await t.send({ index: -1, transport: 'h2', method: 'GET', path: '/readyz', headers: {}, note: 'probe' });
    log(`→ HTTP ${res.status}${res.error ? ` (${res.error})` : ''} ${res.contentType}\n${res.body.subarray(0, 2000).toString('utf8')}`);
    log(probe.status === 200 ? 'server still up' : `server DOWN after the request; stderr:\n${(await server.exited).stderrTail.slice(-3000)}`);
    t.close();
    await server.stop();
    // A replay prints all it found; its own temp output dir is not worth keeping.
    if (values.out === undefined) rmSync(out, { recursive: true, force: true });
    return probe.status === 200 ? 0 : 1;
  }

  const count = intOption(values.count, 'count', 1);
  const started = Date.now();
  const runner = new Runner(server, pb, {
    seed,
    count,
    deadline: started + intOption(values.duration, 'duration', 1) * 1000,
    concurrency: intOption(values.concurrency, 'concurrency', 1),
    canaryEveryMs: 3000,
    log,
  });
  log(`svcnet fuzz: seed ${seed}, ${count} requests, ${pb.length} protobuf seeds, results in ${out}`);
  let verify: Awaited<ReturnType<typeof verifyWithKubectl>> | undefined;
  try {
    await runner.run();
    if (!values['no-verify'] && server.alive) {
      log('verifying every stored object with kubectl …');
      verify = await verifyWithKubectl(join(server.dataDir, 'kubeconfig'), runner.transports, log);
      for (const f of verify.failures) runner.findings.add({ kind: 'undecodable-object', signature: `${f.resource}: ${f.stderr.split('\n')[0]!.slice(0, 160)}`, detail: `${f.command}\n${f.stderr}\n${f.object ?? ''}` });
    }
  } finally {
    await runner.stop();
  }
  const text = writeSummary(out, runner, { seed, count, elapsedMs: Date.now() - started, verifiedObjects: verify?.objects });
  log(text);
  if (runner.fatal) {
    log(`harness stopped early: ${runner.fatal.message}`);
    return 2;
  }
  return runner.findings.size ? 1 : 0;
}

main().then(
  (code) => {
    cleanupNow();
    process.exit(code);
  },
  (err: Error) => {
    process.stderr.write(`svcnet fuzz: ${err.stack ?? err.message}\n`);
    cleanupNow();
    process.exit(2);
  },
);
