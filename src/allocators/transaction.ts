// Allocation transactions, as the Service registry uses them (upstream's metaTransaction /
// PortAllocationOperation): allocate now, so nothing is handed out twice; release deferred
// until commit, because a leak is better than a double allocation; on revert, give back what
// was taken. One transaction may span several allocators (the IPv4 and IPv6 ranges, the
// NodePort range), so a Service create is undone as a whole if validation or the store write fails.
import type { PersistedAllocator } from './persisted.js';

export interface TransactionOptions {
  /** Dry run: checks as upstream's dry run does, takes and persists nothing. */
  readonly dryRun?: boolean;
}

// The allocator's value type is erased inside the transaction's bookkeeping.
type AnyAllocator = PersistedAllocator<any, any>;

export class AllocationTransaction {
  readonly dryRun: boolean;
  readonly #taken = new Map<AnyAllocator, unknown[]>();
  readonly #deferred: Array<{ allocator: AnyAllocator; value: unknown }> = [];
  readonly #inflight = new Set<Promise<unknown>>();
  #finished = false;

  constructor(opts: TransactionOptions = {}) {
    this.dryRun = opts.dryRun ?? false;
  }

  /** Values taken so far from `allocator` (dry run: the values it pretended to take). */
  allocatedFrom<K>(allocator: PersistedAllocator<K, any>): readonly K[] {
    return (this.#taken.get(allocator) ?? []) as K[];
  }

  allocate<K>(allocator: PersistedAllocator<K, any>, value: K): Promise<void> {
    this.#checkOpen();
    if (this.dryRun) {
      return this.#sync(() => {
        allocator.dryRunAllocate(value, this.allocatedFrom(allocator));
        this.#record(allocator, allocator.normalize(value));
      });
    }
    const v = allocator.normalize(value);
    return this.#track(allocator.allocate(v).then(() => this.#record(allocator, v)));
  }

  allocateNext<K>(allocator: PersistedAllocator<K, any>): Promise<K> {
    this.#checkOpen();
    if (this.dryRun) {
      return this.#sync(() => {
        const v = allocator.dryRunAllocateNext(this.allocatedFrom(allocator));
        this.#record(allocator, v);
        return v;
      });
    }
    return this.#track(
      allocator.allocateNext().then((v) => {
        this.#record(allocator, v);
        return v;
      }),
    );
  }

  /** Releases `value` when the transaction commits (nothing happens on revert). */
  releaseOnCommit<K>(allocator: PersistedAllocator<K, any>, value: K): void {
    this.#checkOpen();
    if (!this.dryRun) this.#deferred.push({ allocator, value });
  }

  /** Keeps what was taken and performs the deferred releases. */
  async commit(): Promise<void> {
    this.#finished = true;
    await Promise.allSettled([...this.#inflight]);
    if (this.dryRun) return;
    await Promise.all(this.#deferred.map((d) => d.allocator.release(d.value)));
  }

  /** Gives back everything taken (after any allocation still in progress has settled). */
  async revert(): Promise<void> {
    this.#finished = true;
    await Promise.allSettled([...this.#inflight]);
    if (this.dryRun) return;
    const releases: Promise<void>[] = [];
    for (const [allocator, values] of this.#taken) for (const v of values) releases.push(allocator.release(v));
    this.#taken.clear();
    await Promise.all(releases);
  }

  #record(allocator: AnyAllocator, value: unknown): void {
    const list = this.#taken.get(allocator);
    if (list) list.push(value);
    else this.#taken.set(allocator, [value]);
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#inflight.add(p);
    const done = () => this.#inflight.delete(p);
    p.then(done, done);
    return p;
  }

  #sync<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #checkOpen(): void {
    if (this.#finished) throw new Error('allocation transaction already committed or reverted');
  }
}

/** A transaction over one allocator, for the common single-range case. */
export class BoundTransaction<K> {
  readonly txn: AllocationTransaction;
  readonly #allocator: PersistedAllocator<K, any>;

  constructor(allocator: PersistedAllocator<K, any>, opts: TransactionOptions = {}) {
    this.#allocator = allocator;
    this.txn = new AllocationTransaction(opts);
  }

  get allocated(): readonly K[] {
    return this.txn.allocatedFrom(this.#allocator);
  }

  allocate(value: K): Promise<void> {
    return this.txn.allocate(this.#allocator, value);
  }

  allocateNext(): Promise<K> {
    return this.txn.allocateNext(this.#allocator);
  }

  releaseOnCommit(value: K): void {
    this.txn.releaseOnCommit(this.#allocator, value);
  }

  commit(): Promise<void> {
    return this.txn.commit();
  }

  revert(): Promise<void> {
    return this.txn.revert();
  }
}
