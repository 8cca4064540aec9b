// SharedInformer (client-go tools/cache/shared_informer.go): one reflector filling one indexed
// cache, fanning each change out to any number of event handlers.
//
// Delivery is synchronous and in server order: Node runs one event at a time, so there is no
// DeltaFIFO; the cache is updated first, then handlers run. A re-list (after 410 Gone) is diffed
// against the cache so handlers converge: new keys → onAdd, changed resourceVersion → onUpdate,
// vanished keys → onDelete with finalStateUnknown (client-go's DeletedFinalStateUnknown).
import type { KubeObject } from '../api/meta.js';
import type { Logger } from '../util/logger.js';
import { realClock, type Clock, type TimerHandle } from './clock.js';
import { Indexer, metaNamespaceKey, NAMESPACE_INDEX, namespaceIndexFunc, type IndexFunc } from './indexer.js';
import { listWatchFor, Reflector, type ListerWatcher, type ListWatchSelector, type ReflectorOptions, type ReflectorStore } from './reflector.js';
import type { GroupVersionResource } from './resource-path.js';
import type { RestClient } from './rest-client.js';

export interface DeleteInfo {
  /** True when the delete was inferred from a re-list: `obj` is the last state the cache saw. */
  readonly finalStateUnknown: boolean;
}

export interface ResourceEventHandler<T> {
  /** `isInInitialList`: the object was in the first LIST (or the cache when the handler joined). */
  onAdd?(obj: T, isInInitialList: boolean): void;
  /** Called only when resourceVersion changed, or with old === new on a periodic resync. */
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T, info: DeleteInfo): void;
}

export interface HandlerRegistration {
  remove(): void;
}

export interface SharedInformerOptions<T> extends ListWatchSelector {
  /** Re-deliver every cached object as onUpdate(obj, obj) this often (0/undefined: never). */
  readonly resyncPeriodMs?: number;
  /** Slims objects on ingest; must keep metadata.name, namespace and resourceVersion. */
  readonly transform?: (obj: KubeObject) => T;
  /** Extra indexes; a `namespace` index is always present. */
  readonly indexers?: Readonly<Record<string, IndexFunc<T>>>;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Passed to the reflector (page size, watch timeout, backoff, test hooks). */
  readonly reflector?: Omit<ReflectorOptions, 'clock' | 'logger'>;
}

/** Read-only view of an informer's cache (client-go Lister/Indexer). */
export interface CacheReader<T> {
  get(key: string): T | undefined;
  list(): T[];
  listKeys(): string[];
  byIndex(name: string, value: string): T[];
}

export class SharedInformer<T extends Pick<KubeObject, 'metadata'> = KubeObject> implements ReflectorStore<KubeObject> {
  readonly #indexer: Indexer<T>;
  readonly #handlers = new Set<ResourceEventHandler<T>>();
  readonly #reflector: Reflector<KubeObject>;
  readonly #opts: SharedInformerOptions<T>;
  readonly #clock: Clock;
  #synced = false;
  #syncWaiters: (() => void)[] = [];
  #resyncTimer: TimerHandle | undefined;
  #started = false;
  #stopped = false;

  constructor(lw: ListerWatcher<KubeObject>, opts: SharedInformerOptions<T> = {}) {
    this.#opts = opts;
    this.#clock = opts.clock ?? realClock;
    this.#indexer = new Indexer<T>({ [NAMESPACE_INDEX]: namespaceIndexFunc, ...opts.indexers });
    this.#reflector = new Reflector(lw, this, { ...opts.reflector, clock: this.#clock, logger: opts.logger });
  }

  /** An informer for one resource through a RestClient. */
  static forResource<T extends Pick<KubeObject, 'metadata'> = KubeObject>(
    client: RestClient,
    gvr: GroupVersionResource,
    opts: SharedInformerOptions<T> = {},
  ): SharedInformer<T> {
    const name = opts.reflector?.name ?? gvr.resource;
    return new SharedInformer<T>(listWatchFor(client, gvr, opts), { ...opts, reflector: { ...opts.reflector, name } });
  }

  get store(): CacheReader<T> {
    return this.#indexer;
  }

  /** Adds indexes (also after start; existing objects are indexed at once). */
  addIndexers(indexers: Readonly<Record<string, IndexFunc<T>>>): void {
    this.#indexer.addIndexers(indexers);
  }

  get lastSyncResourceVersion(): string {
    return this.#reflector.lastSyncResourceVersion;
  }

  /** Joining after sync replays the cache as onAdd(obj, true), as client-go does. */
  addEventHandler(handler: ResourceEventHandler<T>): HandlerRegistration {
    this.#handlers.add(handler);
    if (this.#synced) for (const obj of this.#indexer.list()) this.#call(handler, 'onAdd', () => handler.onAdd?.(obj, true));
    return { remove: () => void this.#handlers.delete(handler) };
  }

  /** Starts list/watch (idempotent). */
  run(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    void this.#reflector.run();
    this.#scheduleResync();
  }

  stop(): void {
    this.#stopped = true;
    this.#reflector.stop();
    if (this.#resyncTimer) this.#clock.clearTimeout(this.#resyncTimer);
    for (const w of this.#syncWaiters) w();
    this.#syncWaiters = [];
  }

  get isRunning(): boolean {
    return this.#started && !this.#stopped;
  }

  hasSynced(): boolean {
    return this.#synced;
  }

  /** Resolves true once the first LIST reached the handlers; false if stopped or aborted first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.#synced) return Promise.resolve(true);
    if (this.#stopped || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done);
        resolve(this.#synced);
      };
      this.#syncWaiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  // ---- ReflectorStore: called by the reflector only ----

  replace(items: KubeObject[], _resourceVersion: string): void {
    const initial = !this.#synced;
    const seen = new Set<string>();
    for (const raw of items) {
      const obj = this.#ingest(raw);
      const key = metaNamespaceKey(obj);
      seen.add(key);
      const old = this.#indexer.set(obj);
      if (!old) this.#emit('onAdd', (h) => h.onAdd?.(obj, initial));
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.#emit('onUpdate', (h) => h.onUpdate?.(old, obj));
    }
    for (const key of this.#indexer.listKeys()) {
      if (seen.has(key)) continue;
      const old = this.#indexer.deleteKey(key)!;
      this.#emit('onDelete', (h) => h.onDelete?.(old, { finalStateUnknown: true }));
    }
    if (initial) {
      this.#synced = true;
      for (const w of this.#syncWaiters) w();
      this.#syncWaiters = [];
    }
  }

  upsert(raw: KubeObject): void {
    const obj = this.#ingest(raw);
    const old = this.#indexer.get(metaNamespaceKey(obj));
    // The same resourceVersion means nothing changed (e.g. a replayed event): not an update.
    if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) return;
    this.#indexer.set(obj);
    if (old) this.#emit('onUpdate', (h) => h.onUpdate?.(old, obj));
    else this.#emit('onAdd', (h) => h.onAdd?.(obj, false));
  }

  delete(raw: KubeObject): void {
    const obj = this.#ingest(raw);
    this.#indexer.deleteKey(metaNamespaceKey(obj));
    this.#emit('onDelete', (h) => h.onDelete?.(obj, { finalStateUnknown: false }));
  }

  // ---- internals ----

  #ingest(raw: KubeObject): T {
    return this.#opts.transform ? this.#opts.transform(raw) : (raw as unknown as T);
  }

  #emit(what: string, fn: (h: ResourceEventHandler<T>) => void): void {
    for (const h of this.#handlers) this.#call(h, what, () => fn(h));
  }

  // One handler's bug must not stop the others or the watch (client-go HandleCrash).
  #call(_h: ResourceEventHandler<T>, what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#opts.logger?.error('event handler failed', { handler: what, resource: this.#opts.reflector?.name, err: String(err) });
    }
  }

  #scheduleResync(): void {
    const period = this.#opts.resyncPeriodMs;
    if (!period || this.#stopped) return;
    this.#resyncTimer = this.#clock.setTimeout(() => {
      if (this.#synced) {
        for (const obj of this.#indexer.list()) this.#emit('onUpdate', (h) => h.onUpdate?.(obj, obj));
      }
      this.#scheduleResync();
    }, period);
  }
}
