// The Reflector (client-go tools/cache/reflector.go): keeps a store in step with the server by
// LIST (paged) then WATCH from the list's resourceVersion.
//
//   stream ends cleanly         → watch again from the last resourceVersion seen (bookmarks count)
//   410 Gone/Expired (HTTP or ERROR event, or an expired continue token)
//                               → the history is compacted: LIST again and Replace the store
//   connection or other errors  → back off (800 ms doubling to 30 s, jittered), then retry the
//                                 step that failed (a failed watch resumes from the last RV)
import type { KubeObject } from '../api/meta.js';
import type { Logger } from '../util/logger.js';
import { ApiError, isGone } from './api-error.js';
import { realClock, sleep, type Clock } from './clock.js';
import type { GroupVersionResource, Query } from './resource-path.js';
import type { ObjectList, RestClient } from './rest-client.js';
import type { WatchEvent } from './watch-stream.js';

export interface ListerWatcher<T> {
  list(query: Query, signal: AbortSignal): Promise<ObjectList<T>>;
  /** Resolves when the stream ends cleanly; rejects on errors (see RestClient.watch). */
  watch(query: Query, onEvent: (ev: WatchEvent<T>) => void, signal: AbortSignal): Promise<void>;
}

export interface ListWatchSelector {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

/** cache.NewListWatchFromClient for one resource, optionally narrowed by namespace and selectors. */
export function listWatchFor(client: RestClient, gvr: GroupVersionResource, sel: ListWatchSelector = {}): ListerWatcher<KubeObject> {
  const ref = { ...gvr, namespace: sel.namespace || undefined };
  const selectors = { labelSelector: sel.labelSelector, fieldSelector: sel.fieldSelector };
  return {
    list: (q, signal) => client.list(ref, { ...q, ...selectors }, signal),
    watch: (q, onEvent, signal) => client.watch(ref, { ...q, ...selectors }, onEvent, signal),
  };
}

/** What the reflector writes into (the informer implements it). */
export interface ReflectorStore<T> {
  /** The complete set of objects as of `resourceVersion` (after a LIST). */
  replace(items: T[], resourceVersion: string): void;
  upsert(obj: T): void;
  delete(obj: T): void;
}

export interface ReflectorOptions {
  /** LIST page size (default 500, as client-go's pager). */
  readonly pageSize?: number;
  /** Server-side watch timeout; default a random 300–600 s like client-go, so clients spread out. */
  readonly watchTimeoutSeconds?: number;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Name for logs, e.g. `services`. */
  readonly name?: string;
  /**
   * Called before every WATCH request with the resourceVersion it will start from. Tests use it
   * to hold the reflector "disconnected" while they change and compact the server's history.
   */
  readonly beforeWatch?: (resourceVersion: string) => Promise<void> | void;
}

// A watch that ends this fast with no events means something is wrong (client-go: "very short
// watch"); looping straight back would hammer the server, so it counts as a failure.
const SHORT_WATCH_MS = 1000;

class WatchErrorEvent extends ApiError {}

export class Reflector<T extends KubeObject> {
  readonly #lw: ListerWatcher<T>;
  readonly #store: ReflectorStore<T>;
  readonly #opts: ReflectorOptions;
  readonly #clock: Clock;
  readonly #abort = new AbortController();
  #lastRV = '';
  #running: Promise<void> | undefined;

  constructor(lw: ListerWatcher<T>, store: ReflectorStore<T>, opts: ReflectorOptions = {}) {
    this.#lw = lw;
    this.#store = store;
    this.#opts = opts;
    this.#clock = opts.clock ?? realClock;
  }

  /** The resourceVersion of the last list, event or bookmark applied. */
  get lastSyncResourceVersion(): string {
    return this.#lastRV;
  }

  /** Starts the list/watch loop (idempotent); the promise settles when stopped. */
  run(): Promise<void> {
    this.#running ??= this.#loop();
    return this.#running;
  }

  stop(): void {
    this.#abort.abort();
  }

  get #stopped(): boolean {
    return this.#abort.signal.aborted;
  }

  async #loop(): Promise<void> {
    let needList = true;
    let failures = 0;
    while (!this.#stopped) {
      try {
        if (needList) {
          await this.#listAndReplace();
          needList = false;
          failures = 0;
        }
        const { events, ms, timeoutMs } = await this.#watchOnce();
        if (events > 0) failures = 0;
        else if (ms < Math.min(SHORT_WATCH_MS, timeoutMs / 2)) throw new Error(`very short watch: the stream ended after ${ms} ms with no events`);
      } catch (err) {
        if (this.#stopped) break;
        if (isGone(err)) {
          // Compacted history: only a fresh LIST can tell us what we missed.
          this.#opts.logger?.info('watch history expired; re-listing', { resource: this.#opts.name, resourceVersion: this.#lastRV, err: String(err) });
          needList = true;
          continue;
        }
        failures++;
        const base = this.#opts.initialBackoffMs ?? 800;
        const delay = Math.min(this.#opts.maxBackoffMs ?? 30_000, base * 2 ** (failures - 1)) * (1 + Math.random() * 0.2);
        this.#opts.logger?.warn(needList ? 'list failed' : 'watch failed', { resource: this.#opts.name, err: String(err), retryInMs: Math.round(delay) });
        await sleep(this.#clock, delay, this.#abort.signal);
      }
    }
  }

  async #listAndReplace(): Promise<void> {
    const items: T[] = [];
    let cont: string | undefined;
    let rv = '';
    do {
      const page = await this.#lw.list({ limit: this.#opts.pageSize ?? 500, continue: cont }, this.#abort.signal);
      // Every page of one paged list reads the same snapshot; the first page names it.
      if (!cont) rv = page.metadata.resourceVersion ?? '';
      // JSON list items come without kind/apiVersion; put them back so consumers (the event
      // recorder, owner references) see what a watch event would carry.
      const kind = page.kind?.endsWith('List') ? page.kind.slice(0, -4) : undefined;
      for (const item of page.items ?? []) {
        if (kind && !item.kind) item.kind = kind;
        if (page.apiVersion && !item.apiVersion) item.apiVersion = page.apiVersion;
        items.push(item);
      }
      cont = page.metadata.continue || undefined;
    } while (cont && !this.#stopped);
    if (this.#stopped) return;
    this.#store.replace(items, rv);
    this.#lastRV = rv;
  }

  async #watchOnce(): Promise<{ events: number; ms: number; timeoutMs: number }> {
    await this.#opts.beforeWatch?.(this.#lastRV);
    if (this.#stopped) return { events: 0, ms: Infinity, timeoutMs: 0 };
    const started = this.#clock.now();
    let events = 0;
    const timeout = this.#opts.watchTimeoutSeconds ?? Math.floor(300 * (1 + Math.random()));
    const query = { resourceVersion: this.#lastRV, allowWatchBookmarks: true, timeoutSeconds: timeout };
    await this.#lw.watch(
      query,
      (ev) => {
        if (this.#stopped) return;
        if (ev.type === 'ERROR') throw new WatchErrorEvent(ev.object);
        const rv = ev.object.metadata?.resourceVersion;
        if (ev.type !== 'BOOKMARK') {
          events++;
          if (ev.type === 'DELETED') this.#store.delete(ev.object);
          else this.#store.upsert(ev.object);
        }
        if (rv) this.#lastRV = rv;
      },
      this.#abort.signal,
    );
    return { events, ms: this.#clock.now() - started, timeoutMs: timeout * 1000 };
  }
}
