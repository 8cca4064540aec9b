// A rate-limited work queue with client-go's workqueue semantics:
//   - a key added while queued is queued once (dirty set);
//   - a key added while a worker holds it is queued again only after done(key) (processing set),
//     so one key is never worked on by two workers at once;
//   - addAfter delays, keeping the earliest pending time per key;
//   - addRateLimited delays by per-item exponential backoff (base 5 ms, doubling, max 1000 s:
//     the item part of workqueue.DefaultControllerRateLimiter) until forget(key).
// Items still queued at shutDown are handed out; then get() resolves undefined.
import { realClock, type Clock, type TimerHandle } from './clock.js';

export interface RateLimiter<K> {
  /** How long to wait before the item's next retry; records one more failure. */
  when(key: K): number;
  forget(key: K): void;
  numRequeues(key: K): number;
}

/** workqueue.NewItemExponentialFailureRateLimiter: base·2^failures, capped. */
export class ItemExponentialFailureRateLimiter<K> implements RateLimiter<K> {
  readonly #failures = new Map<K, number>();

  constructor(
    readonly baseMs = 5,
    readonly maxMs = 1000_000,
  ) {}

  when(key: K): number {
    const n = this.#failures.get(key) ?? 0;
    this.#failures.set(key, n + 1);
    return Math.min(this.maxMs, this.baseMs * 2 ** n);
  }

  forget(key: K): void {
    this.#failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.#failures.get(key) ?? 0;
  }
}

export interface WorkQueueOptions<K> {
  readonly clock?: Clock;
  readonly rateLimiter?: RateLimiter<K>;
  /** For logs and metrics. */
  readonly name?: string;
}

export class RateLimitingQueue<K = string> {
  readonly name: string;
  readonly #clock: Clock;
  readonly #limiter: RateLimiter<K>;
  readonly #queue: K[] = [];
  readonly #dirty = new Set<K>();
  readonly #processing = new Set<K>();
  readonly #waiting = new Map<K, { at: number; timer: TimerHandle }>();
  #getters: ((key: K | undefined) => void)[] = [];
  #shuttingDown = false;

  constructor(opts: WorkQueueOptions<K> = {}) {
    this.name = opts.name ?? '';
    this.#clock = opts.clock ?? realClock;
    this.#limiter = opts.rateLimiter ?? new ItemExponentialFailureRateLimiter<K>();
  }

  add(key: K): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    if (this.#processing.has(key)) return;
    this.#queue.push(key);
    this.#dispatch();
  }

  /** Adds after `ms`; an earlier pending time for the same key wins. */
  addAfter(key: K, ms: number): void {
    if (this.#shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = this.#clock.now() + ms;
    const pending = this.#waiting.get(key);
    if (pending && pending.at <= at) return;
    if (pending) this.#clock.clearTimeout(pending.timer);
    const timer = this.#clock.setTimeout(() => {
      this.#waiting.delete(key);
      this.add(key);
    }, ms);
    this.#waiting.set(key, { at, timer });
  }

  addRateLimited(key: K): void {
    this.addAfter(key, this.#limiter.when(key));
  }

  /** The item succeeded (or is given up on): reset its backoff. */
  forget(key: K): void {
    this.#limiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.#limiter.numRequeues(key);
  }

  /** Next key to process; waits for one. undefined once shut down and drained. */
  get(): Promise<K | undefined> {
    const key = this.#take();
    if (key !== undefined) return Promise.resolve(key);
    if (this.#shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#getters.push(resolve));
  }

  /** Marks the key finished; if it was added meanwhile, it goes back in the queue now. */
  done(key: K): void {
    this.#processing.delete(key);
    if (this.#dirty.has(key)) {
      this.#queue.push(key);
      this.#dispatch();
    }
  }

  /** Keys ready to process (not counting delayed or in-flight ones). */
  len(): number {
    return this.#queue.length;
  }

  /** Keys waiting on addAfter/addRateLimited timers. */
  delayedLen(): number {
    return this.#waiting.size;
  }

  shutDown(): void {
    this.#shuttingDown = true;
    for (const { timer } of this.#waiting.values()) this.#clock.clearTimeout(timer);
    this.#waiting.clear();
    const getters = this.#getters;
    this.#getters = [];
    for (const g of getters) g(undefined);
  }

  shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  #take(): K | undefined {
    if (this.#queue.length === 0) return undefined;
    const key = this.#queue.shift()!;
    this.#processing.add(key);
    this.#dirty.delete(key);
    return key;
  }

  #dispatch(): void {
    while (this.#getters.length > 0 && this.#queue.length > 0) {
      this.#getters.shift()!(this.#take());
    }
  }
}

export interface RunWorkersOptions<K> {
  /** Give up on a key after this many rate-limited retries (undefined: retry forever). */
  readonly maxRetries?: number;
  /** Called on every handler failure; `dropped` when the key will not be retried. */
  readonly onError?: (key: K, err: unknown, dropped: boolean) => void;
}

/**
 * Runs `n` workers until the queue shuts down: each takes a key, awaits `handler(key)`, forgets
 * it on success and re-adds it rate-limited on failure (the processNextWorkItem/handleErr loop).
 */
export async function runWorkers<K>(queue: RateLimitingQueue<K>, n: number, handler: (key: K) => Promise<void> | void, opts: RunWorkersOptions<K> = {}): Promise<void> {
  const worker = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await handler(key);
        queue.forget(key);
      } catch (err) {
        const dropped = opts.maxRetries !== undefined && queue.numRequeues(key) >= opts.maxRetries;
        if (dropped) queue.forget(key);
        else queue.addRateLimited(key);
        opts.onError?.(key, err, dropped);
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: n }, worker));
}
