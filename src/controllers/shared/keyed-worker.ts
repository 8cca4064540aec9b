// The queue + workers + retry scaffolding every controller runs (client-go's workqueue pattern):
// informer handlers only enqueue keys; `workers` goroutine-equivalents take a key at a time,
// call sync, forget the key on success and re-add it with per-key exponential back-off on
// failure, dropping it after maxRetries. One key is never synced by two workers at once.
import {
  isConflict,
  ItemExponentialFailureRateLimiter,
  metaNamespaceKey,
  RateLimitingQueue,
  runWorkers,
  type Clock,
  type ResourceEventHandler,
} from '../../client/index.js';
import type { Logger } from '../../util/logger.js';
import { errorMessage, StaleInformerCacheError } from './errors.js';

export interface KeyedWorkerOptions {
  /** The queue's name (upstream's workqueue name, e.g. "endpoint_slice"). */
  readonly name: string;
  readonly clock?: Clock;
  /** First retry delay after a failed sync, doubling per failure (default 5 ms, client-go's). */
  readonly backoffMs?: number;
  /** Cap of the retry delay (default 1000 s). */
  readonly maxBackoffMs?: number;
  /** Failed syncs of one key before it is dropped (default: never dropped). */
  readonly maxRetries?: number;
}

/** Called after a failed sync; `dropped` when the key ran out of retries. */
export type SyncErrorHandler = (key: string, err: unknown, dropped: boolean) => void;

type Keyed = { readonly metadata: { readonly name?: string; readonly namespace?: string } };

export class KeyedWorker {
  readonly queue: RateLimitingQueue<string>;
  readonly #maxRetries: number | undefined;

  constructor(opts: KeyedWorkerOptions) {
    this.queue = new RateLimitingQueue<string>({
      name: opts.name,
      clock: opts.clock,
      rateLimiter: new ItemExponentialFailureRateLimiter<string>(opts.backoffMs ?? 5, opts.maxBackoffMs ?? 1000_000),
    });
    this.#maxRetries = opts.maxRetries;
  }

  add(key: string): void {
    this.queue.add(key);
  }

  addAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  /** Forgets the key's failures (its next failure waits the base delay again). */
  forget(key: string): void {
    this.queue.forget(key);
  }

  /** Queues the object's `namespace/name` key (just `name` when cluster-scoped). */
  enqueue(obj: Keyed): void {
    this.queue.add(metaNamespaceKey(obj));
  }

  /** A handler that queues the object's key on add, update (the new object) and delete. */
  enqueueHandler<T extends Keyed>(filter: (obj: T) => boolean = () => true): ResourceEventHandler<T> {
    const enqueue = (obj: T) => {
      if (filter(obj)) this.enqueue(obj);
    };
    return { onAdd: enqueue, onUpdate: (_old, cur) => enqueue(cur), onDelete: enqueue };
  }

  /** Queues the key of every object the informer adds, updates or deletes. */
  enqueueOnEvents<T extends Keyed>(informer: { addEventHandler(h: ResourceEventHandler<T>): unknown }): void {
    informer.addEventHandler(this.enqueueHandler<T>());
  }

  /** Runs `workers` workers until stop(); resolves once they have all returned. */
  async run(workers: number, sync: (key: string) => Promise<void>, onError?: SyncErrorHandler): Promise<void> {
    await runWorkers(this.queue, workers, sync, { maxRetries: this.#maxRetries, onError });
  }

  /** Shuts the queue down: queued keys are still handed out, then the workers return. */
  stop(): void {
    this.queue.shutDown();
  }
}

/**
 * The onError most controllers log with: a conflict only means the cache was behind (the retry
 * sees the newer object), so it is logged at debug; anything else at warn.
 */
export function logSyncError(logger: Logger, message: string, opts: { readonly field?: string; readonly conflictsAtDebug?: boolean } = {}): SyncErrorHandler {
  const field = opts.field ?? 'key';
  const quiet = opts.conflictsAtDebug ?? true;
  return (key, err) => (quiet && isConflict(err) ? logger.debug : logger.warn).call(logger, message, { [field]: key, err: String(err) });
}

/**
 * The endpoint controllers' onError: a dropped key at warn, a retry at info, and a stale cache
 * (a retry by design) not at all.
 */
export function logRetryError(logger: Logger, droppedMessage: string, retryMessage: string): SyncErrorHandler {
  return (key, err, dropped) => {
    if (dropped) logger.warn(droppedMessage, { key, err: errorMessage(err) });
    else if (!(err instanceof StaleInformerCacheError)) logger.info(retryMessage, { key, err: errorMessage(err) });
  };
}

/** The worker and retry options the endpoint controllers take (their --concurrent-*-syncs flags). */
export interface SyncRetryOptions {
  /** Workers syncing keys in parallel (default 5). */
  readonly workers?: number;
  /** First retry delay after a failed sync, doubling per failure. */
  readonly syncBackoffMs?: number;
  readonly maxSyncBackoffMs?: number;
  /** Retries before a key is dropped from the queue (default 15). */
  readonly maxRetries?: number;
  readonly clock?: Clock;
}

/** A KeyedWorker from SyncRetryOptions, with the controller's own back-off defaults. */
export function retryingWorker(name: string, opts: SyncRetryOptions, defaults: { readonly backoffMs: number; readonly maxBackoffMs: number }): KeyedWorker {
  return new KeyedWorker({
    name,
    clock: opts.clock,
    backoffMs: opts.syncBackoffMs ?? defaults.backoffMs,
    maxBackoffMs: opts.maxSyncBackoffMs ?? defaults.maxBackoffMs,
    maxRetries: opts.maxRetries ?? 15,
  });
}
