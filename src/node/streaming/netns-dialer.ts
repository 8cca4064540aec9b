// Opens TCP connections inside Pod network namespaces. Node cannot switch a thread's namespace,
// so one small helper process per namespace (started with `ip netns exec`) does the connect()
// and hands the connected socket back over the IPC channel (SCM_RIGHTS under the hood). The
// socket stays in the Pod's namespace for its whole life, whatever process holds it.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { Socket } from 'node:net';

const HELPER = `
const net = require('node:net');
process.on('message', (m) => {
  const s = net.connect({ host: m.host, port: m.port });
  s.once('connect', () => { s.pause(); process.send({ id: m.id }, s); });
  s.once('error', (e) => process.send({ id: m.id, error: e.message, code: e.code }));
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
`;

interface HelperReply {
  readonly id?: number;
  readonly ready?: boolean;
  readonly error?: string;
  readonly code?: string;
}

/** A failed connect inside a namespace; `code` is the errno name (ECONNREFUSED …). */
export class DialError extends Error {
  constructor(message: string, readonly code: string | undefined) {
    super(message);
    this.name = 'DialError';
  }
}

interface Helper {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly waiting: Map<number, { resolve: (s: Socket) => void; reject: (e: Error) => void }>;
  idleTimer?: NodeJS.Timeout;
}

/** Starts `argv` inside network namespace `netns` (IpTool.spawnIn's shape: the node's exec seam). */
export type NetnsSpawner = (netns: string, argv: readonly string[], options: SpawnOptions) => ChildProcess;

export interface NetnsDialerOptions {
  /** Path of `ip` (iproute2), when no spawnIn is given. */
  readonly ipPath?: string;
  /** How helpers are started; default `ip netns exec` via child_process.spawn. */
  readonly spawnIn?: NetnsSpawner;
  /** A helper with nothing to do exits after this long (default 30 s). */
  readonly idleMs?: number;
}

export class NetnsDialer {
  readonly #helpers = new Map<string, Helper>();
  readonly #spawnIn: NetnsSpawner;
  readonly #idleMs: number;
  #nextId = 1;

  constructor(opts: NetnsDialerOptions = {}) {
    const ip = opts.ipPath ?? 'ip';
    this.#spawnIn = opts.spawnIn ?? ((netns, argv, options) => spawn(ip, ['netns', 'exec', netns, ...argv], options));
    this.#idleMs = opts.idleMs ?? 30_000;
  }

  /** A connected TCP socket to host:port, opened inside network namespace `netns`. */
  async dial(netns: string, host: string, port: number): Promise<Socket> {
    if (!/^svcnet-[A-Za-z0-9_.-]+$/.test(netns)) throw new Error(`refusing to dial inside ${JSON.stringify(netns)}: not a svcnet namespace`);
    const h = this.#helper(netns);
    await h.ready;
    clearTimeout(h.idleTimer);
    const id = this.#nextId++;
    try {
      return await new Promise<Socket>((resolve, reject) => {
        h.waiting.set(id, { resolve, reject });
        h.child.send({ id, host, port }, (err) => {
          if (!err) return;
          h.waiting.delete(id);
          reject(err);
        });
      });
    } finally {
      if (h.waiting.size === 0) this.#armIdle(netns, h);
    }
  }

  /** Stops every helper. */
  close(): void {
    for (const [netns, h] of this.#helpers) this.#stop(netns, h);
  }

  #helper(netns: string): Helper {
    const existing = this.#helpers.get(netns);
    if (existing) return existing;
    const child = this.#spawnIn(netns, [process.execPath, '-e', HELPER], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const waiting: Helper['waiting'] = new Map();
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    let markReady!: () => void;
    let failStart!: (e: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    ready.catch(() => {});
    child.on('message', (msg: HelperReply, handle?: unknown) => {
      if (msg.ready) return markReady();
      const w = msg.id === undefined ? undefined : waiting.get(msg.id);
      if (!w) return;
      waiting.delete(msg.id!);
      if (msg.error !== undefined) w.reject(new DialError(msg.error, msg.code));
      else if (handle) w.resolve(handle as Socket);
      else w.reject(new Error('dial helper returned no socket'));
    });
    const fail = (why: string) => {
      this.#helpers.delete(netns);
      const err = new Error(`cannot open connections in network namespace ${netns}: ${why}${stderr ? `: ${stderr.trim()}` : ''}`);
      failStart(err);
      for (const w of waiting.values()) w.reject(err);
      waiting.clear();
    };
    child.on('error', (e) => fail(e.message));
    child.on('exit', (code, signal) => fail(`helper exited (${signal ?? code})`));
    const h: Helper = { child, ready, waiting };
    this.#helpers.set(netns, h);
    return h;
  }

  #armIdle(netns: string, h: Helper): void {
    clearTimeout(h.idleTimer);
    h.idleTimer = setTimeout(() => {
      if (h.waiting.size === 0) this.#stop(netns, h);
    }, this.#idleMs);
    h.idleTimer.unref();
  }

  #stop(netns: string, h: Helper): void {
    clearTimeout(h.idleTimer);
    if (this.#helpers.get(netns) === h) this.#helpers.delete(netns);
    h.child.kill('SIGKILL');
  }
}
