// An allocator whose bitmap lives in the store, as kube-apiserver's RangeAllocation objects do,
// shared safely by several API servers on one store.
//
// Every change is made in memory at once (so concurrent callers in this process never pick the
// same value) and is durable before its caller's promise resolves. Changes made while a write is
// in flight wait and go out together in the next single compare-and-swap of the whole bitmap, so
// a burst of N allocations costs a handful of writes, not N. When the swap loses to another
// writer, the stored bitmap is read back and our unwritten changes are re-applied on top of it
// (pending-ops.ts): a value someone else took fails its caller ("already allocated"), or for a
// dynamic allocation is picked again, before the write is retried.
import { ConflictError, KeyNotFoundError } from '../storage/index.js';
import type { Storage } from '../storage/index.js';
import { AlreadyAllocatedError, RangeFullError } from './errors.js';
import { reapplyOps, settleOutcomes } from './pending-ops.js';
import type { OpKind, PendingOp } from './pending-ops.js';
import { encodeRangeAllocation, loadRangeAllocation } from './range-allocation.js';
import type { RangeCore } from './range-core.js';
import { BoundTransaction } from './transaction.js';
import type { TransactionOptions } from './transaction.js';

export interface DryRunOption {
  /** Check as upstream's dry run does; reserve and persist nothing. */
  readonly dryRun?: boolean;
}

export interface AllocatorStats {
  /** Successful writes of the bitmap. */
  writes: number;
  /** Writes that lost a compare-and-swap to another writer. */
  conflicts: number;
  /** Times the stored bitmap was read back. */
  reloads: number;
}

/** The value type of a range core: string for ClusterIPRange, number for NodePortRange. */
export type ValueOf<C> = C extends RangeCore<infer K> ? K : never;

interface Replacement<C> {
  readonly core: C;
  readonly revision: number;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

export class PersistedAllocator<K, C extends RangeCore<K> = RangeCore<K>> {
  readonly stats: AllocatorStats = { writes: 0, conflicts: 0, reloads: 0 };
  readonly #storage: Storage;
  readonly #key: string;
  #core: C;
  /** Mod revision of the key as we last read or wrote it: the guard of the next write. */
  #revision: number;
  /** Applied in memory, not yet part of a write. */
  #queued: PendingOp<K>[] = [];
  #replacements: Replacement<C>[] = [];
  #refreshWaiters: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];
  #idleWaiters: Array<() => void> = [];
  /** Memory may disagree with the store (a lost race or a write of unknown outcome): reload first. */
  #stale = false;
  #pumping = false;
  #scheduled = false;

  private constructor(storage: Storage, key: string, core: C, revision: number) {
    this.#storage = storage;
    this.#key = key;
    this.#core = core;
    this.#revision = revision;
  }

  /**
   * Opens the allocator stored under `key`, creating it empty if absent. `core` supplies the
   * range and random source; its state is replaced by the stored one.
   */
  static async open<C extends RangeCore<any>>(storage: Storage, key: string, core: C): Promise<PersistedAllocator<ValueOf<C>, C>> {
    const loaded = await loadRangeAllocation<ValueOf<C>, C>(storage, key, core);
    return new PersistedAllocator<ValueOf<C>, C>(storage, key, loaded.core, loaded.revision);
  }

  get key(): string {
    return this.#key;
  }

  get rangeSpec(): string {
    return this.#core.rangeSpec;
  }

  /** A copy of the in-memory state (stored state plus this process's pending changes). */
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
  async allocate(value: K, opts: DryRunOption = {}): Promise<void> {
    if (opts.dryRun) return this.#core.dryRunAllocate(value, []);
    const v = this.#core.normalize(value);
    try {
      this.#core.allocate(v);
    } catch (err) {
      // Memory may be behind another API server's release: look again before saying no.
      if (!(err instanceof AlreadyAllocatedError)) throw err;
      await this.#refresh();
      this.#core.allocate(v);
    }
    await this.#enqueue('allocate', v);
  }

  /** Reserves a free value (upper band first); resolves with it once durable. */
  async allocateNext(opts: DryRunOption = {}): Promise<K> {
    if (opts.dryRun) return this.#core.dryRunAllocateNext([]);
    let v: K;
    try {
      v = this.#core.allocateNext();
    } catch (err) {
      if (!(err instanceof RangeFullError)) throw err;
      await this.#refresh();
      v = this.#core.allocateNext();
    }
    return this.#enqueue('allocateNext', v);
  }

  /** Frees `value`; resolves once durable. Free or out-of-range values are ignored. */
  async release(value: K, opts: DryRunOption = {}): Promise<void> {
    if (opts.dryRun) return;
    const v = this.#core.normalize(value);
    if (!this.#core.has(v)) {
      // Another API server may have allocated it after our last read.
      await this.#refresh();
      if (!this.#core.has(v)) return;
    }
    this.#core.release(v);
    await this.#enqueue('release', v);
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

  /** The durable state and its revision, for the repair loop. */
  async readStored(): Promise<{ core: C; revision: number }> {
    return loadRangeAllocation<K, C>(this.#storage, this.#key, this.#core);
  }

  /**
   * Replaces the stored bitmap with `core` if the key is still at `revision` (the repair loop's
   * CreateOrUpdate). This process's unwritten changes are re-applied on top and written with it.
   * Rejects with ConflictError when the key moved on; the caller rebuilds and tries again.
   */
  replace(core: C, revision: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#replacements.push({ core: core.clone(), revision, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves when every change made so far has been written (or has failed). */
  flush(): Promise<void> {
    if (!this.#pumping && !this.#scheduled && this.#queued.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #enqueue(kind: OpKind, value: K): Promise<K> {
    return new Promise<K>((resolve, reject) => {
      this.#queued.push({ kind, value, resolve, reject });
      this.#schedule();
    });
  }

  #refresh(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#refreshWaiters.push({ resolve, reject });
      this.#schedule();
    });
  }

  // Changes made in the same turn of the event loop share a write: the pump starts on the next turn.
  #schedule(): void {
    if (this.#pumping || this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#pump();
    });
  }

  /** The single writer: one storage operation at a time, so nothing here interleaves with itself. */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (;;) {
        if (this.#stale || this.#refreshWaiters.length) {
          const waiters = this.#refreshWaiters.splice(0);
          try {
            await this.#reload();
            for (const w of waiters) w.resolve();
          } catch (err) {
            // The store is unreachable: nothing pending can be made durable now.
            for (const w of waiters) w.reject(err);
            for (const op of this.#queued.splice(0)) op.reject(err);
            for (const r of this.#replacements.splice(0)) r.reject(err);
            break;
          }
        } else if (this.#replacements.length) {
          await this.#replaceNow(this.#replacements.shift()!);
        } else if (this.#queued.length) {
          await this.#writeQueued();
        } else {
          break;
        }
      }
    } finally {
      this.#pumping = false;
    }
    if (this.#queued.length || this.#replacements.length || this.#refreshWaiters.length) this.#schedule();
    else for (const w of this.#idleWaiters.splice(0)) w();
  }

  async #writeQueued(): Promise<void> {
    const batch = this.#queued.splice(0);
    const value = encodeRangeAllocation(this.#core);
    try {
      this.#revision = await this.#storage.update(this.#key, value, this.#revision);
      this.stats.writes++;
      for (const op of batch) op.resolve(op.value);
    } catch (err) {
      if (err instanceof ConflictError || err instanceof KeyNotFoundError) {
        // Lost the race: retry these (ahead of newer ones) after re-reading the store.
        this.stats.conflicts++;
        this.#queued = batch.concat(this.#queued);
      } else {
        // Outcome unknown (it may have committed): fail the callers; a leak is repaired later.
        for (const op of batch) op.reject(err);
      }
      this.#stale = true;
    }
  }

  async #reload(): Promise<void> {
    const { core, revision } = await loadRangeAllocation<K, C>(this.#storage, this.#key, this.#core);
    this.stats.reloads++;
    // Ops queued while we were reading are included: nothing is in flight during a reload.
    this.#queued = settleOutcomes(reapplyOps(core, this.#queued));
    this.#core = core;
    this.#revision = revision;
    this.#stale = false;
  }

  async #replaceNow(r: Replacement<C>): Promise<void> {
    const base = r.core.clone();
    const outcomes = reapplyOps(base, this.#queued);
    try {
      const revision = await this.#storage.update(this.#key, encodeRangeAllocation(base), r.revision);
      this.stats.writes++;
      // The write carried our queued changes too; ops queued during it are re-applied on top.
      const carried = new Set(outcomes.map((o) => o.op));
      const later = this.#queued.filter((op) => !carried.has(op));
      for (const op of settleOutcomes(outcomes)) op.resolve(op.value);
      this.#core = base;
      this.#queued = settleOutcomes(reapplyOps(this.#core, later));
      this.#revision = revision;
      r.resolve();
    } catch (err) {
      if (!(err instanceof ConflictError || err instanceof KeyNotFoundError)) this.#stale = true;
      r.reject(err);
    }
  }
}
