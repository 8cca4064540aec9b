// The server under test: `svcnet apiserver` as a child process on a random port with sqlite in a
// data dir that survives restarts, so stored objects written before a crash are still checked
// (and a crash that leaves unreadable state shows up as a server that will not start again).
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopChild, trackChild } from '../cleanup.js';

export interface Exit {
  readonly code: number | null;
  readonly signal: string | null;
  /** The last 16 KiB of stderr before the exit: where the crash stack is. */
  readonly stderrTail: string;
}

export class ServerUnderTest {
  #child: ChildProcess | undefined;
  #url = '';
  #tail = '';
  #exit: Exit | undefined;
  #exited: Promise<Exit> = new Promise(() => {});
  restarts = -1;

  constructor(
    private readonly repoRoot: string,
    public dataDir: string,
    private readonly logFile: string,
  ) {}

  get url(): string {
    return this.#url;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get alive(): boolean {
    return this.#child !== undefined && this.#exit === undefined;
  }

  /** Resolves when the current process exits, whatever the reason. */
  get exited(): Promise<Exit> {
    return this.#exited;
  }

  async start(): Promise<void> {
    this.restarts++;
    this.#tail = '';
    this.#exit = undefined;
    const child = spawn(process.execPath, [join(this.repoRoot, 'bin', 'svcnet.js'), 'apiserver', '--data-dir', this.dataDir, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: this.dataDir,
      env: { ...process.env, SVCNET_LOG_LEVEL: process.env.SVCNET_LOG_LEVEL ?? 'error' },
    });
    trackChild(child);
    this.#child = child;
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      this.#tail = (this.#tail + d).slice(-16_384);
      appendFileSync(this.logFile, d);
    });
    this.#exited = new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal, stderrTail: this.#tail };
        resolve(this.#exit);
      });
    });
    this.#url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`apiserver did not start in 60 s: ${this.#tail}`)), 60_000);
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /listening on (https:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      void this.#exited.then((e) => {
        clearTimeout(timer);
        reject(new Error(`apiserver exited during start (code ${e.code}, signal ${e.signal}): ${e.stderrTail.slice(-2000)}`));
      });
    });
  }

  /** SIGKILL by our child's PID: used when the server stops answering (a blocked event loop). */
  kill(): void {
    if (this.alive) this.#child!.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    if (this.#child) await stopChild(this.#child);
  }
}
