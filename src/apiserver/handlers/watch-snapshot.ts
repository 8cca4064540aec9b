// Shared initial state for watches (the part of kube-apiserver's watch cache that serves
// resourceVersion=0 watches and watch-lists from memory, cacher/watch_cache.go).
//
// Without it every `watch?resourceVersion=0` read and decoded the whole collection and
// serialized each object again: 1,000 such watches on 3,000 Services meant 1,000 lists and
// 3,000,000 JSON.stringify calls, stalling the server for a minute. Here one list per resource
// and namespace is taken, and its ADDED lines are serialized once, lazily, and shared by every
// watcher that starts while the snapshot is usable.
//
// A snapshot read at revision R stays *current* until an event for its prefix arrives (it
// holds a store watch to notice); while current, it is the state at every revision since R, so
// a watcher may start its live stream from the store's present revision. Once stale it may
// still serve for STALE_REUSE_MS (the watcher then starts from R and the store replays the gap,
// so nothing is missed or repeated), which keeps a stampede on a busy resource at one list.
import type { KubeObject } from '../../api/meta.js';
import { EVERYTHING, type RegistryStore } from '../registry/store.js';

/** How long a snapshot that writes have overtaken may still serve new watchers. */
const STALE_REUSE_MS = 1000;
/** A current snapshot nobody asked for in this long is dropped, to give its memory back. */
const IDLE_DROP_MS = 30_000;

export class InitialState {
  /** Objects in key order, shared: watchers must treat them as read-only. */
  readonly objects: readonly KubeObject[];
  /** The revision the list was read at. */
  readonly revision: number;
  readonly builtAt = Date.now();
  current = true;
  lastUsed = Date.now();
  readonly #lines: (string | undefined)[];
  #watch?: { close(): void };

  constructor(objects: KubeObject[], revision: number) {
    this.objects = objects;
    this.revision = revision;
    this.#lines = new Array<string | undefined>(objects.length);
  }

  /** The ADDED event line for objects[i], serialized by whichever watcher gets there first. */
  line(i: number): string {
    let l = this.#lines[i];
    if (l === undefined) this.#lines[i] = l = `{"type":"ADDED","object":${JSON.stringify(this.objects[i])}}\n`;
    return l;
  }

  usable(now: number): boolean {
    return this.current || now - this.builtAt < STALE_REUSE_MS;
  }

  track(w: { close(): void }): void {
    this.#watch = w;
  }

  invalidate(): void {
    this.current = false;
    this.#watch?.close();
    this.#watch = undefined;
  }
}

interface Slot {
  snapshot?: InitialState;
  building?: Promise<InitialState>;
}

/** One cache per RegistryStore, keyed by namespace ("" = all namespaces). */
class SnapshotCache {
  readonly #store: RegistryStore;
  readonly #slots = new Map<string, Slot>();
  #sweeper?: NodeJS.Timeout;

  constructor(store: RegistryStore) {
    this.#store = store;
  }

  /**
   * A snapshot that is current, or young enough, or at least `minRevision` when given (a
   * watch-list at resourceVersion N must not start from an older state than N).
   */
  async acquire(namespace: string, minRevision = 0): Promise<InitialState> {
    let slot = this.#slots.get(namespace);
    if (!slot) this.#slots.set(namespace, (slot = {}));
    const now = Date.now();
    const s = slot.snapshot;
    if (s && s.usable(now) && (s.current || s.revision >= minRevision)) {
      s.lastUsed = now;
      return s;
    }
    // Concurrent arrivals share one build rather than each listing the collection.
    if (!slot.building) {
      const building = this.#build(namespace).finally(() => {
        if (slot!.building === building) slot!.building = undefined;
      });
      slot.building = building;
    }
    const built = await slot.building;
    if (!built.current && built.revision < minRevision) {
      // Overtaken while it was being built and still older than required: read afresh.
      return this.acquire(namespace, minRevision);
    }
    return built;
  }

  async #build(namespace: string): Promise<InitialState> {
    const list = await this.#store.list(namespace, { predicate: EVERYTHING });
    const snap = new InitialState(list.items, Number(list.resourceVersion));
    try {
      snap.track(this.#store.watch(namespace, snap.revision, () => snap.invalidate(), () => snap.invalidate()));
      // "current" is only trustworthy if that watch was live from the list's revision on: had
      // anything committed in between, it would still be replaying and could be behind.
      if ((await this.#store.currentRevision()) !== snap.revision) snap.invalidate();
    } catch {
      snap.invalidate();
    }
    const slot = this.#slots.get(namespace);
    if (slot) {
      slot.snapshot?.invalidate();
      slot.snapshot = snap;
    }
    this.#sweep();
    return snap;
  }

  /** Drops snapshots that are stale or idle, so memory is given back after a stampede. */
  #sweep(): void {
    if (this.#sweeper) return;
    this.#sweeper = setInterval(() => {
      const now = Date.now();
      for (const [ns, slot] of this.#slots) {
        const s = slot.snapshot;
        if (s && (!s.usable(now) || now - s.lastUsed > IDLE_DROP_MS)) {
          s.invalidate();
          slot.snapshot = undefined;
        }
        if (!slot.snapshot && !slot.building) this.#slots.delete(ns);
      }
      if (this.#slots.size === 0) {
        clearInterval(this.#sweeper);
        this.#sweeper = undefined;
      }
    }, STALE_REUSE_MS);
    // Never keeps the process (or a test) alive.
    this.#sweeper.unref();
  }
}

const caches = new WeakMap<RegistryStore, SnapshotCache>();

export function initialStateFor(store: RegistryStore, namespace: string, minRevision = 0): Promise<InitialState> {
  let c = caches.get(store);
  if (!c) caches.set(store, (c = new SnapshotCache(store)));
  return c.acquire(namespace, minRevision);
}
