// One container instance: a host process started in the Pod's network namespace, in a UTS
// namespace of its own whose hostname is the Pod's, with its output captured as a CRI log.
//   ip netns exec <ns> unshare --uts [--mount] sh -c '<set hostname, bind files, exec>' …
// Every step execs, so the child's pid is the program's. It leads its own process group, so
// stopping the container can end whatever it forked, as a runtime ends a container's cgroup.
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import { CriLogWriter } from './cri-log.js';

export interface LaunchSpec {
  readonly namespace: string;
  readonly hostname: string;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly workingDir?: string;
  readonly logPath: string;
  /** Files bind-mounted over others in a private mount namespace (hostNetwork Pods' resolv.conf). */
  readonly binds?: readonly (readonly [string, string])[];
}

export type Spawn = (namespace: string, argv: readonly string[], options: { env: NodeJS.ProcessEnv; cwd: string; detached: boolean; stdio: ['ignore', 'pipe', 'pipe'] }) => ChildProcess;

export interface ExitInfo {
  readonly exitCode: number;
  readonly signal?: string;
  readonly finishedAt: Date;
}

/** Runs as `sh -c` with args: hostname, [src dst]…, --, program…; nothing is interpolated. */
const launcherScript = 'hostname "$1" || exit 127; shift; while [ "$1" != "--" ]; do mount --bind "$1" "$2" || exit 127; shift 2; done; shift; exec "$@"';

export const defaultPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The wrapper argv that enters a fresh UTS (and mount, for binds) namespace around `argv`. */
export function launcherArgv(spec: Pick<LaunchSpec, 'hostname' | 'argv' | 'binds'>): string[] {
  const binds = spec.binds ?? [];
  return [
    'unshare',
    '--uts',
    ...(binds.length > 0 ? ['--mount'] : []),
    'sh',
    '-c',
    launcherScript,
    'sh',
    spec.hostname,
    ...binds.flat(),
    '--',
    ...spec.argv,
  ];
}

/** What runc would refuse before starting: a missing program or working directory. */
export function startError(spec: Pick<LaunchSpec, 'argv' | 'env' | 'workingDir'>): string | undefined {
  const program = spec.argv[0]!;
  if (spec.workingDir) {
    const st = statSafe(spec.workingDir);
    if (!st?.isDirectory()) return `failed to create containerd task: OCI runtime create failed: chdir to cwd ("${spec.workingDir}") set in config.json failed: no such file or directory: unknown`;
  }
  const found = program.includes('/')
    ? executable(program)
    : (spec.env.PATH ?? defaultPath).split(':').some((dir) => dir !== '' && executable(join(dir, program)));
  if (!found) {
    const why = program.includes('/') ? `exec: "${program}": stat ${program}: no such file or directory` : `exec: "${program}": executable file not found in $PATH`;
    return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${why}: unknown`;
  }
  return undefined;
}

function statSafe(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

const signalNumbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

export class ContainerProcess {
  readonly pid: number;
  readonly startedAt: Date;
  readonly exited: Promise<ExitInfo>;
  readonly #child: ChildProcess;
  readonly #log: CriLogWriter;
  #running = true;

  constructor(spawn: Spawn, spec: LaunchSpec) {
    this.#log = new CriLogWriter(spec.logPath);
    this.startedAt = new Date();
    this.#child = spawn(spec.namespace, launcherArgv(spec), {
      env: { ...spec.env },
      cwd: spec.workingDir || '/',
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.pid = this.#child.pid ?? -1;
    this.#log.attach(this.#child.stdout!, 'stdout');
    this.#log.attach(this.#child.stderr!, 'stderr');
    this.exited = new Promise<ExitInfo>((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        const finishedAt = new Date();
        this.#running = false;
        // Whatever the program forked dies with it, as with a container's cgroup.
        this.#killGroup('SIGKILL');
        void this.#log.close().then(() =>
          resolve(signal ? { exitCode: 128 + (signalNumbers[signal] ?? 0), signal, finishedAt } : { exitCode: code ?? 0, finishedAt }),
        );
      };
      this.#child.once('exit', done);
      this.#child.once('error', () => done(128, null));
    });
  }

  get running(): boolean {
    return this.#running;
  }

  signal(sig: NodeJS.Signals): void {
    if (!this.#running) return;
    try {
      process.kill(this.pid, sig);
    } catch {
      // Already gone.
    }
  }

  #killGroup(sig: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, sig);
    } catch {
      // No group left.
    }
  }

  /** SIGTERM, up to `graceMs` to exit, then SIGKILL (the whole group). */
  async stop(graceMs: number): Promise<ExitInfo> {
    if (this.#running) {
      if (graceMs > 0) this.signal('SIGTERM');
      const timer = setTimeout(() => this.#killGroup('SIGKILL'), Math.max(0, graceMs));
      try {
        return await this.exited;
      } finally {
        clearTimeout(timer);
      }
    }
    return this.exited;
  }
}

/** argv that runs a program inside a running container's namespaces (net, UTS, mount). */
export function enterContainerArgv(pid: number, argv: readonly string[]): string[] {
  return ['nsenter', '-t', String(pid), '-n', '-u', '-m', '--', ...argv];
}
