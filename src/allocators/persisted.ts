// An allocator whose allocations live in the store as one key per value (allocation-keys.ts), as
// kube-apiserver 1.33's IPAddress objects do, shared safely by several API servers on one store.
//
// The store decides: a value is ours once we created its key, and free once the key is deleted.
// The in-memory bitmap is a cache that picks candidates and answers has/used/free. Being wrong
// is safe in both directions: a value it wrongly thinks free fails to be created (a named
// allocation then fails "already allocated", a dynamic one picks again), and a value it wrongly
// thinks taken is looked up in the store before a named allocation is refused.
//
// Every change is marked in memory at once, so concurrent callers in this process never pick the
// same value, and is durable before its promise resolves. Changes to different values are
// independent small writes, which the store's group commit batches; changes to the same value
// run one after another.
import { KeyExistsError, KeyNotFoundError } from '../storage/index.js';
import type { Storage } from '../storage/index.js';
import { coreOf, encodeItem, itemKey, listStoredValues, openStoredRange } from './allocation-keys.js';
import { AlreadyAllocatedError, RangeFullError } from './errors.js';
import type { RangeCore } from './range-core.js';
import { BoundTransaction } from './transaction.js';
import type { TransactionOptions } from './transaction.js';

export interface DryRunOption {
  /** Check as upstream's dry run does; reserve and persist nothing. */
  readonly dryRun?: boolean;
}

export interface AllocatorStats {
  /** Successful writes: item keys created (allocations) and deleted (releases). */
  writes: number;
  /** Creates that found the value already held (by another API server, or a stale cache). */
  conflicts: number;
  /** Times the cache was rebuilt from the store. */
  reloads: number;
}

/** What the repair loop reads: the stored values with their keys' mod revisions. */
export interface StoredValues<K, C> {
  /** Every stored value, including values outside the configured range. */
  readonly values: ReadonlyMap<K, number>;
  /** A fresh core of the configured range holding the stored values that fit in it. */
  readonly core: C;
}

/** The value type of a range core: string for ClusterIPRange, number for NodePortRange. */
export type ValueOf<C> = C extends RangeCore<infer K> ? K : never;

/** Dynamic picks that another server had taken, per allocateNext, before the cache is rebuilt. */
const missesBeforeReload = 32;

export class PersistedAllocator<K, C extends RangeCore<K> = RangeCore<K>> {
  readonly stats: AllocatorStats = { writes: 0, conflicts: 0, reloads: 0 };
  /** The range the store recorded before this open, when the configuration changed it. */
  readonly previousRange: string | undefined;
  readonly #storage: Storage;
  readonly #key: string;
  #core: C;
  /** The tail of each value's chain of store operations: one at a time per value. */
  readonly #busy = new Map<K, Promise<unknown>>();
  /** Every operation not yet settled, for flush(). */
  readonly #inflight = new Set<Promise<unknown>>();
  /** One per reload in progress: values whose bit changed here while the store was being read. */
  readonly #touched = new Set<Set<K>>();
  #reloading: Promise<unknown> | undefined;

  private constructor(storage: Storage, key: string, core: C, previousRange: string | undefined) {
    this.#storage = storage;
    this.#key = key;
    this.#core = core;
    this.previousRange = previousRange;
  }

  /**
   * Opens the allocator stored under `key` (migrating a legacy RangeAllocation there). `core`
   * supplies the range and random source; its state is replaced by the stored one.
   */
  static async open<C extends RangeCore<any>>(storage: Storage, key: string, core: C): Promise<PersistedAllocator<ValueOf<C>, C>> {
    const opened = await openStoredRange<ValueOf<C>, C>(storage, key, core);
    return new PersistedAllocator<ValueOf<C>, C>(storage, key, opened.core, opened.previousRange);
  }

  get key(): string {
    return this.#key;
  }

  get rangeSpec(): string {
    return this.#core.rangeSpec;
  }

  /** A copy of the in-memory state (what this process knows of the store, plus its own changes). */
  view(): C {
    return this.#core.clone();
  }

  has(value: K): boolean {
    return this.#core.has(value);
  }

  used(): number {
    return this.#core.used();
  }

  free(): number {
    return this.#core.free();
  }

  normalize(value: K): K {
    return this.#core.normalize(value);
  }

  /** Reserves `value`; resolves once that is durable. */
  allocate(value: K, opts: DryRunOption = {}): Promise<void> {
    if (opts.dryRun) return settle(() => this.#core.dryRunAllocate(value, []));
    let v: K;
    try {
      v = this.#core.normalize(value);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#track(
      this.#exclusive(v, async () => {
        if (this.#core.has(v)) {
          // Memory may be behind another API server's release: look before saying no.
          if (await this.#storage.get(itemKey(this.#key, v))) throw new AlreadyAllocatedError(this.#core.unit);
        } else {
          this.#core.allocate(v); // the range and validity checks
          this.#touch(v);
        }
        if (!(await this.#create(v))) throw new AlreadyAllocatedError(this.#core.unit);
      }),
    );
  }

  /** Reserves a free value (upper band first); resolves with it once durable. */
  allocateNext(opts: DryRunOption = {}): Promise<K> {
    if (opts.dryRun) return settle(() => this.#core.dryRunAllocateNext([]));
    return this.#track(this.#allocateNext());
  }

  /**
   * Frees `value`; resolves once durable. The key is deleted even when memory thinks the value
   * free (another API server may have taken it since) or outside the range (it was allocated
   * before the range changed); a value that is not stored is ignored.
   */
  release(value: K, opts: DryRunOption = {}): Promise<void> {
    if (opts.dryRun) return Promise.resolve();
    let v: K;
    try {
      v = this.#core.normalize(value);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#track(
      this.#exclusive(v, async () => {
        try {
          await this.#storage.delete(itemKey(this.#key, v));
          this.stats.writes++;
        } catch (err) {
          if (!(err instanceof KeyNotFoundError)) throw err;
        }
        this.#core.release(v);
        this.#touch(v);
      }),
    );
  }

  /** The dry-run checks, with the values a dry-run operation already "took". */
  dryRunAllocate(value: K, pending: readonly K[]): void {
    this.#core.dryRunAllocate(value, pending);
  }

  dryRunAllocateNext(pending: readonly K[]): K {
    return this.#core.dryRunAllocateNext(pending);
  }

  /** Groups allocations so they can be undone together (see transaction.ts). */
  transaction(opts: TransactionOptions = {}): BoundTransaction<K> {
    return new BoundTransaction<K>(this, opts);
  }

  /** The stored values, for the repair loop. Memory is brought up to date with them too. */
  async readStored(): Promise<StoredValues<K, C>> {
    const values = await this.#reloadNow();
    return { values, core: coreOf<K, C>(this.#core, values.keys()) };
  }

  /**
   * Repair: stores `value`, which a Service holds but the store lacks. Rejects with
   * KeyExistsError when someone allocated it meanwhile; the repair pass then starts over.
   */
  repairMissing(value: K): Promise<void> {
    return this.#track(
      this.#exclusive(value, async () => {
        await this.#storage.create(itemKey(this.#key, value), encodeItem());
        this.stats.writes++;
        try {
          this.#core.allocate(value);
        } catch {
          // already marked, or outside the range (kept in the store, not in the bitmap)
        }
        this.#touch(value);
      }),
    );
  }

  /**
   * Repair: frees a leaked value if its key is still the one read at `modRevision`. Rejects with
   * ConflictError (released and allocated again since) or KeyNotFoundError (already released).
   */
  repairLeaked(value: K, modRevision: number): Promise<void> {
    return this.#track(
      this.#exclusive(value, async () => {
        await this.#storage.delete(itemKey(this.#key, value), modRevision);
        this.stats.writes++;
        this.#core.release(value);
        this.#touch(value);
      }),
    );
  }

  /** Resolves when every change made so far has been written (or has failed). */
  async flush(): Promise<void> {
    while (this.#inflight.size) await Promise.allSettled([...this.#inflight]);
  }

  async #allocateNext(): Promise<K> {
    let reloaded = false;
    for (let misses = 0; ; ) {
      let v: K;
      try {
        v = this.#core.allocateNext();
      } catch (err) {
        // Memory may be behind other API servers' releases: look once before saying full.
        if (!(err instanceof RangeFullError) || reloaded) throw err;
        await this.#reload();
        reloaded = true;
        continue;
      }
      this.#touch(v);
      if (await this.#exclusive(v, () => this.#create(v))) return v;
      // Another API server holds it: its bit stays set, which is what the cache should say.
      if (++misses % missesBeforeReload === 0) await this.#reload();
    }
  }

  /** Creates the key of `v`, already marked in memory; false when someone else holds it. */
  async #create(v: K): Promise<boolean> {
    try {
      await this.#storage.create(itemKey(this.#key, v), encodeItem());
      this.stats.writes++;
      this.#touch(v); // a reload that listed the store before this commit must keep the bit
      return true;
    } catch (err) {
      if (err instanceof KeyExistsError) {
        this.stats.conflicts++;
        return false;
      }
      // Outcome unknown. If the key did get written, the repair loop frees it as a leak; memory
      // must not claim a value that may be free.
      this.#core.release(v);
      this.#touch(v);
      throw err;
    }
  }

  /** Runs `fn` after every earlier operation on `v`; starts at once (same turn) when there is none. */
  #exclusive<T>(v: K, fn: () => Promise<T>): Promise<T> {
    const prev = this.#busy.get(v);
    const run = prev ? prev.then(fn, fn) : fn();
    const tail = run.catch(() => undefined);
    this.#busy.set(v, tail);
    void tail.then(() => {
      if (this.#busy.get(v) === tail) this.#busy.delete(v);
    });
    return run;
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#inflight.add(p);
    const done = () => this.#inflight.delete(p);
    p.then(done, done);
    return p;
  }

  /** Records a change of `v`'s bit for the reloads in progress, which must keep it. */
  #touch(v: K): void {
    for (const set of this.#touched) set.add(v);
  }

  /** Rebuilds memory from the store; concurrent callers share one read. */
  #reload(): Promise<unknown> {
    this.#reloading ??= this.#reloadNow().finally(() => {
      this.#reloading = undefined;
    });
    return this.#reloading;
  }

  async #reloadNow(): Promise<Map<K, number>> {
    const touched = new Set<K>();
    this.#touched.add(touched);
    try {
      const values = await listStoredValues(this.#storage, this.#key, this.#core);
      const core = coreOf<K, C>(this.#core, values.keys());
      // Values with an operation of ours in flight, or changed during the read, keep their bit.
      for (const v of [...this.#busy.keys(), ...touched]) {
        if (!this.#core.has(v)) core.release(v);
        else if (!core.has(v)) core.allocate(v);
      }
      this.#core = core;
      this.stats.reloads++;
      return values;
    } finally {
      this.#touched.delete(touched);
    }
  }
}

function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}
