// Thin typed wrapper over iproute2. Every link/address/route change is run with `-n <netns>`
// against a `svcnet-` namespace; the only commands without `-n` are `netns add/del/list`,
// which name a namespace and change no interface, route or sysctl of the host.
// `ip netns exec` (execIn, sysctlIn, spawnIn) also enters the named namespace first.
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { execFileRunner, nodeSpawner } from './exec.js';
import type { CommandResult, CommandRunner, Spawner } from './exec.js';
import { namespacePrefix } from './names.js';

export interface IpToolOptions {
  /** Runs `ip`; defaults to child_process.execFile. */
  readonly runner?: CommandRunner;
  /** Starts long-running programs for spawnIn; defaults to child_process.spawn. */
  readonly spawner?: Spawner;
  /** Path of the ip binary. */
  readonly ipPath?: string;
}

export class IpTool {
  readonly #run: CommandRunner;
  readonly #spawn: Spawner;
  readonly #ip: string;

  constructor(options: IpToolOptions = {}) {
    this.#run = options.runner ?? execFileRunner;
    this.#spawn = options.spawner ?? nodeSpawner;
    this.#ip = options.ipPath ?? 'ip';
  }

  /** `ip netns list` (JSON), names only. */
  async listNamespaces(): Promise<string[]> {
    const { stdout } = await this.#run(this.#ip, ['-json', 'netns', 'list']);
    // With no namespaces (no /run/netns yet) ip prints nothing at all.
    if (!stdout.trim()) return [];
    return (JSON.parse(stdout) as { name: string }[]).map((n) => n.name);
  }

  /** Creates namespaces in one `ip -batch`. */
  async addNamespaces(names: readonly string[]): Promise<void> {
    names.forEach(guard);
    if (names.length > 0) await this.#batch([], names.map((n) => `netns add ${n}`));
  }

  /** Deletes namespaces, carrying on past ones already gone (`-force` keeps the batch going). */
  async deleteNamespaces(names: readonly string[]): Promise<void> {
    names.forEach(guard);
    if (names.length === 0) return;
    try {
      await this.#batch(['-force'], names.map((n) => `netns del ${n}`));
    } catch (err) {
      // Only "already gone" is fine; anything else (busy, permission) is reported.
      const left = new Set(await this.listNamespaces());
      const stuck = names.filter((n) => left.has(n));
      if (stuck.length > 0) throw err;
    }
  }

  /** Runs `ip -n <ns> -batch -` with the given lines (`link add …`, `route replace …`). */
  async batchIn(namespace: string, lines: readonly string[]): Promise<void> {
    guard(namespace);
    if (lines.length > 0) await this.#batch(['-n', namespace], lines);
  }

  /** `ip -n <ns> -json <args>`, parsed. */
  async jsonIn<T = unknown>(namespace: string, args: readonly string[]): Promise<T> {
    guard(namespace);
    const { stdout } = await this.#run(this.#ip, ['-n', namespace, '-json', ...args]);
    return JSON.parse(stdout.trim() || '[]') as T;
  }

  /** Runs a program inside a namespace to completion (`ip netns exec`). */
  async execIn(namespace: string, argv: readonly string[], input?: string): Promise<CommandResult> {
    guard(namespace);
    return this.#run(this.#ip, ['netns', 'exec', namespace, ...argv], input);
  }

  /**
   * Sets sysctls inside a namespace. /proc/sys/net is per network namespace, so `sysctl` run
   * under `ip netns exec` writes that namespace's values and never the host's.
   */
  async sysctlIn(namespace: string, settings: Readonly<Record<string, string | number>>): Promise<void> {
    const pairs = Object.entries(settings).map(([k, v]) => `${k}=${v}`);
    if (pairs.length > 0) await this.execIn(namespace, ['sysctl', '-q', '-w', ...pairs]);
  }

  /**
   * Starts a long-running program inside a namespace. `ip netns exec` execs the program in its
   * own process, so the child's pid is the program's and signals reach it directly.
   */
  spawnIn(namespace: string, argv: readonly string[], options: SpawnOptions = {}): ChildProcess {
    guard(namespace);
    if (argv.length === 0) throw new Error('spawnIn needs a program to run');
    return this.#spawn(this.#ip, ['netns', 'exec', namespace, ...argv], options);
  }

  async #batch(flags: readonly string[], lines: readonly string[]): Promise<void> {
    await this.#run(this.#ip, [...flags, '-batch', '-'], lines.join('\n') + '\n');
  }
}

// A typo must never turn a namespaced command into one on something else; every name svcnet
// passes starts with its prefix and is a plain file name.
function guard(namespace: string): void {
  if (!namespace.startsWith(namespacePrefix) || !/^[A-Za-z0-9_.-]+$/.test(namespace)) {
    throw new Error(`refusing to act on network namespace ${JSON.stringify(namespace)}: not a svcnet namespace`);
  }
}
