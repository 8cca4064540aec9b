// Test helpers: run a built-in program from the compiled tree on loopback, wait for it to
// serve, talk UDP to it, and collect its output and exit status.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { bindAddressEnv } from './agnhost/listen.js';
import { builtinProgramPaths } from './resolve.js';
import type { BuiltinProgram } from './resolve.js';

export interface RunningProgram {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILLs the process if it is still running. */
  kill(): Promise<void>;
}

export function startProgram(program: BuiltinProgram, args: readonly string[], env: Record<string, string> = {}): RunningProgram {
  const child = spawn(process.execPath, [builtinProgramPaths[program], ...args], {
    env: { ...process.env, [bindAddressEnv]: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export async function freeTCPPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** A UDP port that was free on 127.0.0.1 a moment ago. */
export async function freeUDPPort(): Promise<number> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  const port = sock.address().port;
  await new Promise<void>((r) => sock.close(r));
  return port;
}

/** Polls until a TCP connection to the port succeeds (the program is listening). */
export async function waitForTCP(port: number, program?: RunningProgram, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (program && program.child.exitCode !== null) throw new Error(`program exited early: ${program.stderr()}`);
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sends one datagram to 127.0.0.1:port and returns the first reply, or undefined on timeout. */
export async function udpExchange(port: number, payload: string, timeoutMs = 2000): Promise<{ reply: string; local: string } | undefined> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  try {
    return await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      sock.on('message', (m) => {
        clearTimeout(timer);
        const a = sock.address();
        resolve({ reply: m.toString(), local: `${a.address}:${a.port}` });
      });
      sock.on('error', () => undefined);
      sock.send(payload, port, '127.0.0.1');
    });
  } finally {
    sock.close();
  }
}

/** Polls until `check` passes or the timeout ends (then rethrows its last error). */
export async function eventually(check: () => Promise<void> | void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * Waits until the process has finished starting and sits idle in its event loop (its CPU time
 * stops growing), so a test's signal reaches the program's own handlers. Node catches SIGTERM
 * from the first instant, so /proc's SigCgt cannot tell.
 */
export async function waitForIdle(program: RunningProgram, timeoutMs = 10_000): Promise<void> {
  const cpuTicks = () => {
    const stat = readFileSync(`/proc/${program.child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  };
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  for (;;) {
    await new Promise((r) => setTimeout(r, 150));
    const now = cpuTicks();
    if (now === last) return;
    if (Date.now() > deadline) throw new Error('program never went idle');
    last = now;
  }
}
