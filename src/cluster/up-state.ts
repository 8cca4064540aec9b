// What a running `svcnet up` leaves in its data dir so `svcnet down` (or the next `svcnet up`
// after a kill -9) can stop exactly the processes it started, by PID, and remove its namespaces.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface UpState {
  readonly cluster: string;
  readonly pid: number;
  readonly children: { readonly pid: number; readonly role: string }[];
}

export const statePath = (dataDir: string) => join(dataDir, 'up.json');

export function writeUpState(dataDir: string, state: UpState): void {
  writeFileSync(statePath(dataDir), JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
}

export function readUpState(dataDir: string): UpState | undefined {
  const p = statePath(dataDir);
  if (!existsSync(p)) return undefined;
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as UpState;
  } catch {
    return undefined;
  }
}

export function clearUpState(dataDir: string): void {
  rmSync(statePath(dataDir), { force: true });
}

/** Whether `pid` is alive and still runs one of our programs (guards against PID reuse). */
export function isOurProcess(pid: number): boolean {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmd.includes('svcnet') || cmd.includes('/dist/src/');
  } catch {
    return false;
  }
}
