// Runs `svcnet apiserver` as a child process, so the server has its own event loop and the
// benchmark client does not steal its turns (the machine has 2 cores).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { stopChild, tempDir, removeDir, trackChild } from './cleanup.js';

// dist/bench/apiserver-process.js → repo root is three levels up.
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ApiServerProcess {
  readonly pid: number;
  readonly url: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export async function startApiServerProcess(opts: { storage?: string; nodeArgs?: readonly string[] } = {}): Promise<ApiServerProcess> {
  const dataDir = tempDir('apiserver');
  const args = [...(opts.nodeArgs ?? []), join(REPO_ROOT, 'bin', 'svcnet.js'), 'apiserver', '--data-dir', dataDir, '--port', '0'];
  if (opts.storage) args.push('--storage', opts.storage);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dataDir });
  trackChild(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error(`apiserver did not start in 20 s: ${stderr}`)), 20_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (https:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`apiserver exited with ${code}: ${stderr}`));
    });
  });
  return {
    pid: child.pid!,
    url,
    dataDir,
    async stop() {
      await stopChild(child as ChildProcess);
      removeDir(dataDir);
    },
  };
}
