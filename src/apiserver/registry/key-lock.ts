// Writes to one storage key from this process take turns. Without this, N concurrent
// read-modify-write loops on one object (200 patches to one Service) all read the same revision,
// one wins, N-1 conflict and re-read, and so on: O(N²) reads and guarded writes, and a bounded
// loop gives up with 409s. Queued writers each read the latest value and write once. A conflict
// can still happen (another API server on the same etcd, or a write path that is not queued),
// so callers keep their retry loops; this only removes the storm between our own requests.
import type { Storage } from '../../storage/types.js';

const tails = new WeakMap<Storage, Map<string, Promise<void>>>();

/** Runs `fn` after every earlier `withKeyLock` call on the same storage and key has finished. */
export async function withKeyLock<T>(storage: Storage, key: string, fn: () => Promise<T>): Promise<T> {
  let byKey = tails.get(storage);
  if (!byKey) tails.set(storage, (byKey = new Map()));
  const previous = byKey.get(key);
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  byKey.set(key, mine);
  try {
    if (previous) await previous;
    return await fn();
  } finally {
    release();
    // The last writer in line removes the entry, so idle keys cost nothing.
    if (byKey.get(key) === mine) byKey.delete(key);
  }
}
