// In-process watch fan-out shared by the built-in drivers (kine's pkg/broadcaster plays the same
// part). A committed batch of events is handed to every live subscription by reference, so the
// writer pays O(watchers) per commit, not O(watchers × events); each subscription filters by
// prefix and delivers on a microtask, never inside the writer's transaction.
//
// Hand-over from history to live events: a subscription replays the log in chunks up to the
// revision last published, and in the same synchronous step that reads the final chunk it joins
// the live set. Drivers publish synchronously right after they commit, so no commit can fall
// between "read history up to R" and "receive everything after R": no gap, no duplicate.
import { CompactedError } from './errors.js';
import type { WatchEvent, WatchOptions, Watcher } from './types.js';

/** The driver's history, read synchronously (see the hand-over note above). */
export interface EventHistory {
  /** Events on keys starting with `prefix`, revision in (after, upTo], oldest first, at most `limit`. */
  eventsAfter(prefix: string, after: number, upTo: number, limit: number): WatchEvent[];
  /** The oldest watchable revision: fromRevision below it cannot be served. */
  compactedRevision(): number;
}

const replayChunk = 1000;

export class WatchBroadcaster {
  #revision: number;
  readonly #history: EventHistory;
  readonly #live = new Set<Subscription>();
  readonly #all = new Set<Subscription>();

  constructor(history: EventHistory, currentRevision: number) {
    this.#history = history;
    this.#revision = currentRevision;
  }

  /** The last revision published (== the store's current revision between commits). */
  get revision(): number {
    return this.#revision;
  }

  /** Hand over one commit's events, in revision order. Call synchronously after the commit. */
  publish(events: readonly WatchEvent[]): void {
    if (events.length === 0) return;
    this.#revision = events[events.length - 1]!.revision;
    for (const sub of this.#live) sub.enqueue(events);
  }

  /**
   * Start a watch. Throws CompactedError synchronously when fromRevision is below the compacted
   * revision. A fromRevision beyond the current revision is accepted and waits (as etcd does):
   * events are delivered once the store reaches it.
   */
  watch(prefix: string, opts: WatchOptions): Watcher {
    const from = opts.fromRevision;
    if (!Number.isSafeInteger(from) || from < 0) throw new RangeError(`invalid watch revision ${from}`);
    const compacted = this.#history.compactedRevision();
    if (from !== 0 && from < compacted) throw new CompactedError(from, compacted);
    const sub = new Subscription(this, prefix, opts, from === 0 ? this.#revision : from);
    this.#all.add(sub);
    if (sub.scanned >= this.#revision) this.#live.add(sub);
    else setImmediate(() => this.#replay(sub));
    return sub;
  }

  /** End every watch with `err` (the store is closing). */
  closeAll(err: Error): void {
    for (const sub of [...this.#all]) sub.fail(err);
  }

  remove(sub: Subscription): void {
    this.#all.delete(sub);
    this.#live.delete(sub);
  }

  #replay(sub: Subscription): void {
    if (sub.closed) return;
    const compacted = this.#history.compactedRevision();
    if (sub.scanned < compacted) {
      sub.fail(new CompactedError(sub.scanned, compacted));
      return;
    }
    const upTo = this.#revision;
    const events = this.#history.eventsAfter(sub.prefix, sub.scanned, upTo, replayChunk);
    if (events.length > 0) sub.enqueue(events);
    if (events.length < replayChunk) {
      sub.scanned = upTo;
      this.#live.add(sub);
    } else {
      sub.scanned = events[events.length - 1]!.revision;
      setImmediate(() => this.#replay(sub));
    }
  }
}

class Subscription implements Watcher {
  /** History has been read up to here; live batches carry only later revisions. */
  scanned: number;
  closed = false;
  readonly prefix: string;
  readonly #hub: WatchBroadcaster;
  readonly #opts: WatchOptions;
  /** Highest revision delivered (or skipped as before the start), so nothing repeats. */
  #delivered: number;
  #batches: (readonly WatchEvent[])[] = [];
  #scheduled = false;

  constructor(hub: WatchBroadcaster, prefix: string, opts: WatchOptions, from: number) {
    this.#hub = hub;
    this.prefix = prefix;
    this.#opts = opts;
    this.scanned = from;
    this.#delivered = from;
  }

  enqueue(batch: readonly WatchEvent[]): void {
    this.#batches.push(batch);
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    const batches = this.#batches;
    this.#batches = [];
    for (const batch of batches) {
      for (const event of batch) {
        if (this.closed) return;
        if (event.revision <= this.#delivered || !event.kv.key.startsWith(this.prefix)) continue;
        this.#delivered = event.revision;
        try {
          this.#opts.onEvent(event);
        } catch (err) {
          // A throwing consumer ends only its own watch, never the writer or other watchers.
          this.fail(err instanceof Error ? err : new Error(String(err)));
          return;
        }
      }
    }
  }

  fail(err: Error): void {
    if (this.closed) return;
    this.close();
    this.#opts.onError?.(err);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#batches = [];
    this.#hub.remove(this);
  }
}
