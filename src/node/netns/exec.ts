// The one door to the outside world: every `ip` (and `ip netns exec`) this module runs goes
// through a CommandRunner, so tests can record the commands and the runtime can swap in its own.
import { execFile, spawn as nodeSpawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

export type CommandRunner = (file: string, args: readonly string[], input?: string) => Promise<CommandResult>;

export type Spawner = (file: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

/** A command that exited non-zero (or could not start); carries what it printed. */
export class CommandError extends Error {
  readonly file: string;
  readonly args: readonly string[];
  readonly exitCode: number | string | undefined;
  readonly stdout: string;
  readonly stderr: string;

  constructor(file: string, args: readonly string[], exitCode: number | string | undefined, stdout: string, stderr: string) {
    const detail = stderr.trim().split('\n')[0] ?? '';
    super(`${file} ${args.join(' ')}: ${detail || `exit ${String(exitCode)}`}`);
    this.name = 'CommandError';
    this.file = file;
    this.args = args;
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

/** child_process.execFile, with optional stdin (for `ip -batch -`). */
export const execFileRunner: CommandRunner = (file, args, input) =>
  new Promise((resolve, reject) => {
    const child = execFile(file, [...args], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException & { code?: number | string }).code;
        reject(new CommandError(file, args, code, stdout, stderr || err.message));
      } else {
        resolve({ stdout, stderr });
      }
    });
    // A missing binary fails before stdin is open; the callback above reports it.
    child.stdin?.on('error', () => {});
    child.stdin?.end(input ?? '');
  });

export const nodeSpawner: Spawner = (file, args, options) => nodeSpawn(file, [...args], options);
