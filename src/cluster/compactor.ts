// Periodic compaction, as kube-apiserver asks etcd for every 5 minutes: each pass compacts to
// the revision seen at the previous pass, so watchers always have at least one interval of
// history to resume from, and the log does not grow without bound.
import type { Storage } from '../storage/types.js';
import type { Logger } from '../util/logger.js';

export const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60 * 1000;

export function startCompactor(storage: Storage, logger: Logger, intervalMs = DEFAULT_COMPACTION_INTERVAL_MS): { stop(): void } {
  let previous = 0;
  const timer = setInterval(() => {
    void (async () => {
      try {
        if (previous > 0) await storage.compact(previous);
        previous = await storage.currentRevision();
      } catch (err) {
        logger.warn('compaction failed', { err: String(err) });
      }
    })();
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
