// Runs the real kubectl binaries against a test server: the machine's `kubectl` (a dispatcher
// that picks the version matching the server) and the versioned binaries beside it.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findOnPath } from './tools.js';

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Path of the `kubectl` on PATH for undefined, or of a versioned one (e.g. "1.27") installed
 * beside it: the machine's kubectl is a dispatcher whose real file sits in a directory with
 * `kubectl.1.27` … `kubectl.1.33`, so the symlink is resolved before looking for siblings.
 */
export function kubectlBinary(version?: string): string | undefined {
  const onPath = findOnPath('kubectl');
  if (!onPath || !version) return onPath;
  const p = join(dirname(realpathSync(onPath)), `kubectl.${version}`);
  return existsSync(p) ? p : undefined;
}

/** The directory holding the versioned kubectl binaries, or undefined without a kubectl. */
export function kubectlDir(): string | undefined {
  const onPath = findOnPath('kubectl');
  return onPath ? dirname(realpathSync(onPath)) : undefined;
}

export class Kubectl {
  readonly #cacheDir: string;
  constructor(readonly kubeconfig: string, readonly binary = kubectlBinary() ?? 'kubectl') {
    // A fresh discovery cache per run: kubectl caches discovery for 6 hours.
    this.#cacheDir = mkdtempSync(join(tmpdir(), 'svcnet-kubectl-cache-'));
  }

  run(args: readonly string[], opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = execFile(
        this.binary,
        ['--kubeconfig', this.kubeconfig, '--cache-dir', this.#cacheDir, ...args],
        {
          env: { ...process.env, KUBECONFIG: this.kubeconfig, HOME: this.#cacheDir, ...opts.env },
          timeout: opts.timeoutMs ?? 60_000,
          maxBuffer: 64 * 1024 * 1024,
        },
        (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
          resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
        },
      );
      if (opts.input !== undefined) child.stdin!.end(opts.input);
      else child.stdin!.end();
    });
  }

  /** Runs and throws with the output when kubectl fails. */
  async ok(args: readonly string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<string> {
    const r = await this.run(args, opts);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  }

  /** Starts a long-running kubectl (get -w, logs -f) and returns its process. */
  spawn(args: readonly string[]) {
    return spawn(this.binary, ['--kubeconfig', this.kubeconfig, '--cache-dir', this.#cacheDir, ...args], {
      env: { ...process.env, KUBECONFIG: this.kubeconfig, HOME: this.#cacheDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  writeManifest(name: string, text: string): string {
    const p = join(this.#cacheDir, name);
    writeFileSync(p, text);
    return p;
  }

  cleanup(): void {
    rmSync(this.#cacheDir, { recursive: true, force: true });
  }
}
