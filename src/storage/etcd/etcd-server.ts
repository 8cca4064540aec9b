// Runs Debian's etcd-server on loopback for tests and benchmarks: random client and peer ports,
// a temp data dir, and teardown by PID (also on process exit, so a failed test leaves nothing).
// One member, or several members of one cluster (startEtcdCluster).
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EtcdMember {
  readonly name: string;
  /** http://127.0.0.1:port */
  readonly clientURL: string;
  /** 127.0.0.1:port, as etcd:// storage URLs name it. */
  readonly endpoint: string;
  readonly dataDir: string;
  pid(): number | undefined;
  /** SIGKILL the member (its data dir stays, for restart). */
  kill(): Promise<void>;
  /** Start it again on the same ports and data dir. */
  restart(): Promise<void>;
}

export interface EtcdCluster {
  readonly members: readonly EtcdMember[];
  /** The storage URL naming every member: etcd://a,b,c */
  readonly url: string;
  readonly version: string;
  /** Stop every member and remove the data dirs. Idempotent. */
  stop(): Promise<void>;
}

/** The etcd binary ($ETCD_BIN, else etcd on PATH), or undefined when there is none. */
export function etcdBinary(): string | undefined {
  for (const candidate of [process.env.ETCD_BIN, 'etcd', '/usr/bin/etcd']) {
    if (!candidate) continue;
    const r = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return candidate;
  }
  return undefined;
}

const running = new Set<ChildProcess>();
const dirs = new Set<string>();
let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  // 'exit' handlers must be synchronous: SIGKILL by PID and rmSync are.
  process.on('exit', () => {
    for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startEtcdCluster(opts: { members?: number; bin?: string; quotaBytes?: number } = {}): Promise<EtcdCluster> {
  hookExit();
  const bin = opts.bin ?? etcdBinary();
  if (!bin) throw new Error('etcd not found: install etcd-server (Debian) or set ETCD_BIN');
  const version = /etcd Version: (\S+)/.exec(spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout)?.[1] ?? 'unknown';
  const n = opts.members ?? 1;
  const specs: { name: string; client: number; peer: number; dataDir: string }[] = [];
  for (let i = 0; i < n; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'svcnet-etcd-'));
    dirs.add(dataDir);
    specs.push({ name: `m${i}`, client: await freePort(), peer: await freePort(), dataDir });
  }
  const initialCluster = specs.map((s) => `${s.name}=http://127.0.0.1:${s.peer}`).join(',');
  const members = specs.map((s) => new Member(bin, s, initialCluster, opts.quotaBytes));
  const cluster: EtcdCluster = {
    members,
    url: `etcd://${members.map((m) => m.endpoint).join(',')}`,
    version,
    async stop() {
      await Promise.all(members.map((m) => m.kill()));
      for (const s of specs) {
        rmSync(s.dataDir, { recursive: true, force: true });
        dirs.delete(s.dataDir);
      }
    },
  };
  try {
    await Promise.all(members.map((m) => m.restart()));
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

class Member implements EtcdMember {
  readonly name: string;
  readonly clientURL: string;
  readonly endpoint: string;
  readonly dataDir: string;
  readonly #args: string[];
  readonly #bin: string;
  #child: ChildProcess | undefined;

  constructor(bin: string, s: { name: string; client: number; peer: number; dataDir: string }, initialCluster: string, quotaBytes?: number) {
    this.#bin = bin;
    this.name = s.name;
    this.endpoint = `127.0.0.1:${s.client}`;
    this.clientURL = `http://${this.endpoint}`;
    this.dataDir = s.dataDir;
    const peer = `http://127.0.0.1:${s.peer}`;
    this.#args = [
      '--name', s.name,
      '--data-dir', s.dataDir,
      '--listen-client-urls', this.clientURL,
      '--advertise-client-urls', this.clientURL,
      '--listen-peer-urls', peer,
      '--initial-advertise-peer-urls', peer,
      '--initial-cluster', initialCluster,
      '--initial-cluster-state', 'new',
      '--initial-cluster-token', `svcnet-${process.pid}-${s.client}`,
      '--quota-backend-bytes', String(quotaBytes ?? 2 * 1024 ** 3),
      '--logger', 'zap',
      '--log-level', 'error',
    ];
  }

  pid(): number | undefined {
    return this.#child?.pid;
  }

  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async restart(): Promise<void> {
    await this.kill();
    const child = spawn(this.#bin, this.#args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: this.dataDir });
    this.#child = child;
    running.add(child);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    child.once('exit', () => running.delete(child));
    // Ready when /health answers (a lone member of a new multi-member cluster answers only once
    // a quorum has formed, so callers of startEtcdCluster wait for all members together).
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`etcd ${this.name} exited (${child.exitCode ?? child.signalCode}): ${stderr}`);
      try {
        const res = await fetch(`${this.clientURL}/health`, { signal: AbortSignal.timeout(1_000) });
        const body = (await res.json()) as { health?: string };
        if (body.health === 'true') return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`etcd ${this.name} not healthy within 30 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
