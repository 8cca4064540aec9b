// The fuzz loop: N requests from `concurrency` workers, a canary every few seconds, and crash
// handling — when the server dies, the requests in flight are the suspects; after a restart they
// are replayed one at a time until one kills it again, which makes it the reproducer.
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from '../cleanup.js';
import { adminCredentials } from '../h2-client.js';
import { Canary } from './canary.js';
import { check, crashSignature, Findings, normalizeMessage, reproducer, type Reproducer } from './findings.js';
import { generate, type FuzzRequest } from './generate.js';
import { MuteSet } from './mutes.js';
import type { PbSeed } from './protobuf.js';
import type { Exit, ServerUnderTest } from './server.js';
import { Transports } from './transport.js';

export interface RunOptions {
  readonly seed: number;
  readonly count: number;
  readonly deadline: number; // Date.now() value
  readonly concurrency: number;
  readonly canaryEveryMs: number;
  readonly log: (line: string) => void;
}

export interface RunStats {
  sent: number;
  judged: number;
  interrupted: number;
  crashes: number;
  hangs: number;
  readonly byStatus: Map<string, number>;
  readonly byTransport: Map<string, number>;
  canaryRounds: number;
}

const HANG_MS = 45_000;

export class Runner {
  readonly findings = new Findings();
  readonly mutes = new MuteSet();
  readonly stats: RunStats = { sent: 0, judged: 0, interrupted: 0, crashes: 0, hangs: 0, byStatus: new Map(), byTransport: new Map(), canaryRounds: 0 };
  transports!: Transports;
  #epoch = 0;
  #gate: Promise<void> = Promise.resolve();
  #next = 0;
  #done = false;
  #halt = false;
  /** What a crash recovery is doing, for the progress line. */
  #phase = '';
  #killedForHang = false;
  readonly #inflight = new Map<number, FuzzRequest>();
  #recent: FuzzRequest[] = [];
  readonly #canary = new Canary();

  constructor(
    private readonly server: ServerUnderTest,
    private readonly pb: readonly PbSeed[],
    private readonly opts: RunOptions,
  ) {}

  async run(): Promise<void> {
    await this.server.start();
    this.transports = new Transports(this.server.url, adminCredentials(this.server.dataDir));
    await this.#canary.baseline(this.transports);
    this.#watch();
    const progress = setInterval(() => this.#progress(), 10_000);
    const canary = this.#canaryLoop();
    try {
      await Promise.all(Array.from({ length: this.opts.concurrency }, () => this.#worker()));
    } finally {
      this.#done = true;
      clearInterval(progress);
      await canary;
      await this.#gate; // a restart in progress finishes before verification
    }
  }

  #progress(): void {
    const s = this.stats;
    this.opts.log(`  ${s.sent} sent, ${s.crashes} crashes, ${s.hangs} hangs, ${this.findings.size} distinct findings, ${this.#inflight.size} in flight${this.#phase ? `, ${this.#phase}` : ''}`);
  }

  #watch(): void {
    const epoch = this.#epoch;
    void this.server.exited.then((exit) => {
      if (this.#stopping || epoch !== this.#epoch) return;
      this.#onExit(exit).catch((err: Error) => {
        // The server will not come back: stop sending, keep what was found.
        this.fatal = err;
        this.#halt = true;
        this.#openGate?.();
      });
    });
  }

  #stopping = false;
  #openGate: (() => void) | undefined;
  fatal: Error | undefined;
  async stop(): Promise<void> {
    this.#stopping = true;
    this.transports?.close();
    await this.server.stop();
  }

  async #worker(): Promise<void> {
    for (;;) {
      await this.#gate;
      if (this.#halt || this.stats.sent + this.#inflight.size >= this.opts.count || Date.now() > this.opts.deadline) return;
      const req = generate(this.opts.seed, this.#next++, this.pb);
      if (this.mutes.skip(req)) continue;
      const epoch = this.#epoch;
      this.#inflight.set(req.index, req);
      const res = await this.transports.send(req);
      this.#inflight.delete(req.index);
      this.#recent.push(req);
      if (this.#recent.length > 512) this.#recent = this.#recent.slice(-256);
      this.stats.sent++;
      bump(this.stats.byTransport, req.transport);
      // A connection error may be the first sign of a crash: give the exit event a moment.
      if (res.status === 0 && !res.error?.startsWith('client-rejected')) await Promise.race([this.server.exited, sleep(500)]);
      if (epoch !== this.#epoch || !this.server.alive) {
        this.stats.interrupted++;
        continue;
      }
      this.stats.judged++;
      bump(this.stats.byStatus, res.status ? String(res.status) : `none (${res.error?.startsWith('client-rejected') ? 'client refused to send' : 'no response'})`);
      const f = check(req, res);
      if (f) this.findings.add({ ...f, reproducer: reproducer(this.opts.seed, req) });
    }
  }

  async #canaryLoop(): Promise<void> {
    while (!this.#done) {
      await sleep(this.opts.canaryEveryMs);
      await this.#gate;
      if (this.#done) return;
      const epoch = this.#epoch;
      const timer = setTimeout(() => {
        // The server stopped answering entirely (e.g. a blocked event loop): record and restart.
        if (epoch !== this.#epoch || !this.server.alive) return;
        this.stats.hangs++;
        const suspects = [...this.#inflight.values()].map((r) => reproducer(this.opts.seed, r));
        this.findings.add({ kind: 'hang', signature: 'server unresponsive (canary got no answer)', detail: `no answer to the canary in ${HANG_MS} ms`, otherCandidates: suspects.slice(0, 10) });
        this.#killedForHang = true;
        this.server.kill();
      }, HANG_MS);
      try {
        const problems = await this.#canary.probe(this.transports);
        if (epoch === this.#epoch && this.server.alive) {
          this.stats.canaryRounds++;
          for (const p of problems) this.findings.add({ kind: 'canary', signature: normalizeMessage(p), detail: p, otherCandidates: this.#recent.slice(-16).map((r) => reproducer(this.opts.seed, r)) });
        }
      } catch (err) {
        await Promise.race([this.server.exited, sleep(500)]); // a reset may be the first sign of a crash
        if (epoch === this.#epoch && this.server.alive) this.findings.add({ kind: 'canary', signature: `canary request failed: ${normalizeMessage((err as Error).message)}`, detail: (err as Error).message });
      } finally {
        clearTimeout(timer);
      }
    }
  }

  async #onExit(exit: Exit): Promise<void> {
    if (this.#stopping) return;
    this.#epoch++;
    let open!: () => void;
    this.#gate = new Promise<void>((r) => (open = r));
    this.#openGate = open;
    const hang = this.#killedForHang;
    this.#killedForHang = false;
    // Suspects: in flight at the exit, plus the last few answered (a crash can follow the reply).
    const suspects = [...new Map([...this.#recent.slice(-8), ...this.#inflight.values()].map((r) => [r.index, r])).values()].reverse();
    this.transports.close();
    if (!hang) this.stats.crashes++;
    const sig = hang ? undefined : crashSignature(exit.stderrTail, exit.code, exit.signal);
    this.opts.log(hang ? '  server unresponsive: killed, restarting' : `  server crashed (${sig}); restarting`);
    this.#phase = 'restarting';
    await this.#restart();
    this.#phase = 'attributing';
    if (sig !== undefined) {
      const known = this.findings.all().find((f) => f.kind === 'crash' && f.signature === sig && f.reproducer);
      if (known) {
        known.count++;
        this.mutes.onCrash(sig, known.count, generate(this.opts.seed, known.reproducer!.index, this.pb));
      } else {
        // A crash that poisons the process (Object.prototype polluted) fires on a later, innocent
        // request: if no suspect reproduces it, replay the recent requests that carry
        // prototype-ish keys too.
        const poisoners = this.#recent.slice(-256).filter((r) => !suspects.includes(r) && /__proto__|constructor|prototype/.test(`${r.path}${r.body?.toString('latin1') ?? ''}`)).reverse();
        const culprit = (await this.#attribute(suspects)) ?? (await this.#attribute(poisoners));
        const f = this.findings.add({
          kind: 'crash',
          signature: culprit?.signature ?? sig,
          detail: exit.stderrTail.slice(-3000),
          ...(culprit ? { reproducer: culprit.reproducer } : { otherCandidates: suspects.slice(0, 12).map((r) => reproducer(this.opts.seed, r)) }),
        });
        if (culprit) {
          // Crashed twice now (the run and the replay): confirmed.
          this.mutes.onCrash(f.signature, f.count + 1, generate(this.opts.seed, culprit.reproducer.index, this.pb));
        }
      }
    }
    this.#phase = '';
    this.#watch();
    open();
  }

  async #restart(): Promise<void> {
    try {
      await this.server.start();
    } catch (err) {
      this.findings.add({ kind: 'restart-failed', signature: normalizeMessage((err as Error).message.split('\n').slice(-3).join(' ')), detail: (err as Error).message.slice(-3000) });
      // The stored state keeps it down: go on with a fresh data dir (throws if even that fails).
      this.opts.log('  server will not start on its data; continuing with a fresh data dir');
      this.server.dataDir = tempDir('fuzz');
      await this.server.start();
      this.transports = new Transports(this.server.url, adminCredentials(this.server.dataDir));
      await this.#canary.baseline(this.transports);
      return;
    }
    this.transports = new Transports(this.server.url, adminCredentials(this.server.dataDir));
  }

  /** Replays suspects one at a time against the restarted server; the first that kills it is the reproducer. */
  async #attribute(suspects: readonly FuzzRequest[]): Promise<{ reproducer: Reproducer; signature: string } | undefined> {
    for (const req of suspects) {
      this.#phase = `replaying #${req.index}`;
      await this.transports.send(req);
      const probe = await this.transports.send({ index: -1, transport: 'h2', method: 'GET', path: '/readyz', headers: {}, note: 'probe' });
      if (probe.status === 200 && this.server.alive) continue;
      const exit = await Promise.race([this.server.exited, sleep(2000).then(() => undefined)]);
      if (!exit) continue;
      this.transports.close();
      this.stats.crashes++;
      this.opts.log(`  reproduced with request #${req.index} (${req.method} ${req.path.slice(0, 100)})`);
      await this.#restart();
      return { reproducer: reproducer(this.opts.seed, req), signature: crashSignature(exit.stderrTail, exit.code, exit.signal) };
    }
    return undefined;
  }
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}
