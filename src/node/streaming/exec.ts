// /exec/{namespace}/{pod}/{container}: runs a command inside a running container's namespaces
// and speaks the v5.channel.k8s.io WebSocket protocol to the API server: binary messages whose
// first byte is the channel (0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize, 255 close).
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsc, readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, join } from 'node:path';
import type { WebSocket } from 'ws';
import { ptyArgv } from './pty.js';
import type { ExecTarget } from './runtime.js';

export const Channel = { Stdin: 0, Stdout: 1, Stderr: 2, Error: 3, Resize: 4, Close: 255 } as const;

export interface ExecRequest {
  readonly command: readonly string[];
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  readonly tty: boolean;
}

const truthy = (v: string | null): boolean => v === '1' || v === 'true';

/** The kubelet's query (`input`, `output`, `error`, `tty`, repeated `command`); also the API's names. */
export function parseExecQuery(q: URLSearchParams): ExecRequest | string {
  const r: ExecRequest = {
    command: q.getAll('command'),
    stdin: truthy(q.get('input')) || truthy(q.get('stdin')),
    stdout: truthy(q.get('output')) || truthy(q.get('stdout')),
    stderr: truthy(q.get('error')) || truthy(q.get('stderr')),
    tty: truthy(q.get('tty')),
  };
  if (!r.stdin && !r.stdout && !r.stderr) return 'you must specify at least 1 of stdin, stdout, stderr';
  if (r.command.length === 0) return 'you must specify at least one command for the container';
  return r;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function processEnv(pid: number): Record<string, string> | undefined {
  try {
    const env: Record<string, string> = {};
    for (const kv of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
      const i = kv.indexOf('=');
      if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    return env;
  } catch {
    return undefined;
  }
}

/** Resolves a command as execvp would, so a missing one is reported as the runtime would. */
function lookPath(file: string, path: string): string | undefined {
  const ok = (p: string) => {
    try {
      accessSync(p, fsc.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (file.includes('/')) return ok(file) ? file : undefined;
  for (const dir of path.split(delimiter)) if (dir && ok(join(dir, file))) return join(dir, file);
  return undefined;
}

/** argv that enters the container's namespaces: its process's (nsenter) or the Pod's netns. */
export function enterArgv(target: ExecTarget, command: readonly string[]): string[] {
  if (target.pid) return ['nsenter', `--target=${target.pid}`, '--net', '--uts', '--mount', '--', ...command];
  if (!/^svcnet-[A-Za-z0-9_.-]+$/.test(target.netns)) throw new Error(`refusing to exec in ${JSON.stringify(target.netns)}: not a svcnet namespace`);
  return ['ip', 'netns', 'exec', target.netns, ...command];
}

function statusFrame(status: object): Buffer {
  return Buffer.concat([Buffer.from([Channel.Error]), Buffer.from(JSON.stringify(status))]);
}

const SUCCESS = { metadata: {}, status: 'Success' };

function internalError(message: string): object {
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  };
}

/** The kubelet's NonZeroExitCode status; kubectl prints `command terminated with exit code N`. */
export function exitCodeStatus(command: readonly string[], code: number): object {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** Runs the command for one accepted WebSocket; resolves when the session is over. */
export function runExec(ws: WebSocket, target: ExecTarget, r: ExecRequest): Promise<void> {
  return new Promise((resolve) => {
    const env = { ...(target.env ?? (target.pid ? processEnv(target.pid) : undefined) ?? { PATH: DEFAULT_PATH }) };
    env.PATH ??= DEFAULT_PATH;
    if (r.tty) env.TERM ??= 'xterm';
    const finish = (status: object) => {
      if (ws.readyState === ws.OPEN) {
        ws.send(statusFrame(status));
        ws.close(1000);
      }
      resolve();
    };
    if (!lookPath(r.command[0]!, env.PATH)) {
      finish(internalError(`error executing command in container: exec: ${JSON.stringify(r.command[0])}: executable file not found in $PATH`));
      return;
    }
    const argv = enterArgv(target, r.tty ? ptyArgv(r.command) : r.command);
    let child: ChildProcess;
    try {
      child = spawn(argv[0]!, argv.slice(1), {
        env,
        cwd: target.workingDir ?? '/',
        stdio: [r.stdin ? 'pipe' : 'ignore', r.stdout ? 'pipe' : 'ignore', r.stderr && !r.tty ? 'pipe' : 'ignore', r.tty ? 'pipe' : 'ignore'],
        // Its own process group, so a disconnect can end the command and whatever it started.
        detached: true,
      });
    } catch (err) {
      finish(internalError(`error executing command in container: ${(err as Error).message}`));
      return;
    }
    const send = (ch: number) => (d: Buffer) => {
      if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([ch]), d]));
    };
    child.stdout?.on('data', send(Channel.Stdout));
    child.stderr?.on('data', send(Channel.Stderr));
    child.stdin?.on('error', () => {});
    const resizePipe = child.stdio[3] as NodeJS.WritableStream | null;
    resizePipe?.on('error', () => {});
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary || data.length === 0) return;
      const payload = data.subarray(1);
      switch (data[0]) {
        case Channel.Stdin:
          child.stdin?.write(payload);
          break;
        case Channel.Resize:
          try {
            const size = JSON.parse(payload.toString()) as { Width?: number; Height?: number };
            if (size.Width && size.Height) resizePipe?.write(`${size.Width} ${size.Height}\n`);
          } catch {
            // A malformed resize is ignored, as the kubelet does.
          }
          break;
        case Channel.Close:
          if (payload[0] === Channel.Stdin) child.stdin?.end();
          break;
      }
    });
    let done = false;
    const kill = () => {
      if (child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }
    };
    ws.on('close', () => {
      if (!done) kill();
    });
    child.on('error', (err) => {
      done = true;
      finish(internalError(`error executing command in container: ${err.message}`));
    });
    // 'close' waits for stdout/stderr to drain, so the status is the last thing the client sees.
    child.on('close', (code, signal) => {
      if (done) return;
      done = true;
      const rc = code ?? (signal ? 128 + (signalNumber(signal) ?? 9) : 1);
      finish(rc === 0 ? SUCCESS : exitCodeStatus(r.command, rc));
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return (osConstants.signals as Record<string, number>)[signal];
}
