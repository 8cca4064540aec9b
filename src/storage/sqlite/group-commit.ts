// Group commit: writes issued in the same event-loop turn are committed together in one
// transaction on the next turn (setImmediate), so a burst pays for one fsync instead of one each.
// Every write keeps its own outcome: one failing guard rejects only that write's promise; only a
// failure of the transaction itself (disk full, I/O error) rejects the whole batch.

export type Outcome<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

interface Queued<Op, R> {
  readonly op: Op;
  readonly resolve: (value: R) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Commits one batch durably and returns one outcome per op, in order. Throwing means nothing
 * was committed.
 */
export type CommitBatch<Op, R> = (ops: readonly Op[]) => Outcome<R>[];

export class GroupCommitter<Op, R> {
  readonly #commit: CommitBatch<Op, R>;
  /** Caps one transaction so a huge burst cannot stall the event loop for long. */
  readonly #maxBatch: number;
  #queue: Queued<Op, R>[] = [];
  #scheduled = false;
  #idleWaiters: (() => void)[] = [];

  constructor(commit: CommitBatch<Op, R>, maxBatch = 5000) {
    this.#commit = commit;
    this.#maxBatch = maxBatch;
  }

  submit(op: Op): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ op, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves once every write submitted so far has been committed (or rejected). */
  drain(): Promise<void> {
    if (this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#run());
  }

  #run(): void {
    this.#scheduled = false;
    const batch = this.#queue.length <= this.#maxBatch ? this.#queue : this.#queue.slice(0, this.#maxBatch);
    this.#queue = batch === this.#queue ? [] : this.#queue.slice(batch.length);
    let outcomes: Outcome<R>[];
    try {
      outcomes = this.#commit(batch.map((q) => q.op));
    } catch (err) {
      for (const q of batch) q.reject(err);
      outcomes = [];
    }
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) batch[i]!.resolve(outcome.value);
      else batch[i]!.reject(outcome.error);
    });
    if (this.#queue.length > 0) {
      this.#schedule();
      return;
    }
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
