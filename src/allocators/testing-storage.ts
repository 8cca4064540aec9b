// Test helpers: a store with some methods replaced, and one that records the writes reaching
// the store and how many group commits they took. Used by the allocator tests only.
import type { Storage } from '../storage/index.js';

/** The store with some methods replaced (the drivers keep #private state, so no prototype tricks). */
export function wrapStorage(inner: Storage, overrides: Partial<Storage>): Storage {
  return new Proxy(inner, {
    get(target, prop) {
      if (prop in overrides) return overrides[prop as keyof Storage];
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

export interface WriteLog {
  creates: number;
  updates: number;
  deletes: number;
  /** Size in bytes of every value written. */
  readonly sizes: number[];
  /** The event-loop turns in which writes completed (see probeWrites). */
  readonly turns: Set<number>;
  /** Stops the turn counter. */
  stop(): void;
}

/**
 * Counts the writes that reach `inner`. Turns are counted by a setImmediate chain: the sqlite
 * driver commits at most one group per event-loop turn and resolves its whole group in that
 * turn, so the number of distinct turns in which writes completed is the number of commits.
 */
export function probeWrites(inner: Storage): { storage: Storage; log: WriteLog } {
  let turn = 0;
  let running = true;
  const tick = () =>
    setImmediate(() => {
      turn++;
      if (running) tick();
    });
  tick();
  const log: WriteLog = { creates: 0, updates: 0, deletes: 0, sizes: [], turns: new Set(), stop: () => (running = false) };
  const storage = wrapStorage(inner, {
    create: async (key, value) => {
      log.sizes.push(Buffer.byteLength(value));
      const rev = await inner.create(key, value);
      log.creates++;
      log.turns.add(turn);
      return rev;
    },
    update: async (key, value, expected) => {
      log.sizes.push(Buffer.byteLength(value));
      const rev = await inner.update(key, value, expected);
      log.updates++;
      log.turns.add(turn);
      return rev;
    },
    delete: async (key, expected) => {
      const r = await inner.delete(key, expected);
      log.deletes++;
      log.turns.add(turn);
      return r;
    },
  });
  return { storage, log };
}
