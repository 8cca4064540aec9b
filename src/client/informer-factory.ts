// SharedInformerFactory (client-go informers.NewSharedInformerFactory): every consumer of the same
// resource (and namespace/selectors) gets the same informer, so a process holds one cache and one
// watch per resource however many controllers read it.
import type { KubeObject } from '../api/meta.js';
import type { Logger } from '../util/logger.js';
import type { Clock } from './clock.js';
import type { IndexFunc } from './indexer.js';
import { SharedInformer, type SharedInformerOptions } from './informer.js';
import type { ReflectorOptions } from './reflector.js';
import type { GroupVersionResource } from './resource-path.js';
import type { RestClient } from './rest-client.js';

export interface SharedInformerFactoryOptions {
  /** Default resync period for informers made here (0/undefined: none). */
  readonly resyncPeriodMs?: number;
  /** Restrict every informer to one namespace (informers.WithNamespace). */
  readonly namespace?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly reflector?: Omit<ReflectorOptions, 'clock' | 'logger' | 'name'>;
}

export interface InformerRequest<T> {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Only the first requester may set it; a different transform later is an error. */
  readonly transform?: (obj: KubeObject) => T;
  /** Merged into the shared informer's indexes (names must not clash). */
  readonly indexers?: Readonly<Record<string, IndexFunc<T>>>;
}

interface Entry {
  readonly informer: SharedInformer<never>;
  readonly transform?: unknown;
}

export class SharedInformerFactory {
  readonly #client: RestClient;
  readonly #opts: SharedInformerFactoryOptions;
  readonly #informers = new Map<string, Entry>();
  #started = false;

  constructor(client: RestClient, opts: SharedInformerFactoryOptions = {}) {
    this.#client = client;
    this.#opts = opts;
  }

  /** The shared informer for a resource; made on first request. Started by `start()`. */
  informerFor<T extends Pick<KubeObject, 'metadata'> = KubeObject>(gvr: GroupVersionResource, req: InformerRequest<T> = {}): SharedInformer<T> {
    const namespace = req.namespace ?? this.#opts.namespace ?? '';
    const key = [gvr.group, gvr.version, gvr.resource, namespace, req.labelSelector ?? '', req.fieldSelector ?? ''].join('|');
    const existing = this.#informers.get(key);
    if (existing) {
      if (req.transform && existing.transform !== req.transform) {
        throw new Error(`informer for ${gvr.resource} already exists with a different transform`);
      }
      const informer = existing.informer as unknown as SharedInformer<T>;
      if (req.indexers) informer.addIndexers(req.indexers);
      return informer;
    }
    const opts: SharedInformerOptions<T> = {
      namespace,
      labelSelector: req.labelSelector,
      fieldSelector: req.fieldSelector,
      transform: req.transform,
      indexers: req.indexers,
      resyncPeriodMs: this.#opts.resyncPeriodMs,
      clock: this.#opts.clock,
      logger: this.#opts.logger,
      reflector: { ...this.#opts.reflector, name: gvr.group ? `${gvr.resource}.${gvr.group}` : gvr.resource },
    };
    const informer = SharedInformer.forResource<T>(this.#client, gvr, opts);
    this.#informers.set(key, { informer: informer as unknown as SharedInformer<never>, transform: req.transform });
    // Informers requested after start() start at once, as client-go's factory.Start is re-callable.
    if (this.#started) informer.run();
    return informer;
  }

  /** Starts every informer made so far, and any made later. */
  start(): void {
    this.#started = true;
    for (const { informer } of this.#informers.values()) informer.run();
  }

  /** Waits until every informer has synced; false if any was stopped or `signal` aborted first. */
  async waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.#informers.values()].map(({ informer }) => informer.waitForSync(signal)));
    return results.every(Boolean);
  }

  shutdown(): void {
    for (const { informer } of this.#informers.values()) informer.stop();
  }
}
