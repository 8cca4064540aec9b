// Finds the processes living in svcnet's namespaces, so teardown can end them: a namespace with
// a process still inside outlives `ip netns del` (the file goes, the namespace and its veths stay).
// This is what `ip netns pids` does, once for many namespaces instead of a /proc scan per name.
import { readdir, stat } from 'node:fs/promises';

export const netnsDir = '/run/netns';

/** Pids per namespace name; names whose file is already gone are left out. */
export async function processesInNamespaces(names: readonly string[]): Promise<Map<string, number[]>> {
  const byInode = new Map<string, string>();
  for (const name of names) {
    const st = await stat(`${netnsDir}/${name}`).catch(() => undefined);
    if (st) byInode.set(`${st.dev}:${st.ino}`, name);
  }
  const found = new Map<string, number[]>();
  if (byInode.size === 0) return found;
  const entries = await readdir('/proc').catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e))
      .map(async (e) => {
        // Processes exit while we look; a vanished /proc entry is simply skipped.
        const st = await stat(`/proc/${e}/ns/net`).catch(() => undefined);
        const name = st && byInode.get(`${st.dev}:${st.ino}`);
        if (name === undefined) return;
        const pids = found.get(name) ?? [];
        pids.push(Number(e));
        found.set(name, pids);
      }),
  );
  return found;
}

/** SIGKILLs every process in the given namespaces; returns how many were signalled. */
export async function killProcessesIn(names: readonly string[]): Promise<number> {
  let killed = 0;
  for (const pids of (await processesInNamespaces(names)).values()) {
    for (const pid of pids) {
      if (pid === process.pid) continue;
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        // Already gone (ESRCH).
      }
    }
  }
  return killed;
}
