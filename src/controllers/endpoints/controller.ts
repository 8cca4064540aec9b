// The Endpoints controller (pkg/controller/endpoint): keeps the core/v1 Endpoints object of every
// Service with a selector in step with its Pods, and deletes it when the Service goes. Services
// without a selector (the `kubernetes` Service among them) are never touched: their Endpoints
// belong to whoever wrote them.
import type { Endpoints, Pod, Service } from '../../api/types/core/index.js';
import { ANNOTATION_LEADER_ELECTION_RECORD } from '../../api/types/core/index.js';
import { isForbidden, isNotFound, metaNamespaceKey, resources, splitMetaNamespaceKey, type EventRecorder, type SharedInformer } from '../../client/index.js';
import type { Controller, ControllerContext } from '../types.js';
import {
  errorMessage,
  isNamespaceTerminatingError,
  KeyedWorker,
  retryingWorker,
  logRetryError,
  podServicesHandler,
  podsForService,
  refTo,
  StaleInformerCacheError,
  TriggerTimeTracker,
} from '../shared/index.js';
import type { SyncRetryOptions } from '../shared/index.js';
import { reconcileEndpoints } from './reconcile.js';

/** Retry back-off by default: 5 ms doubling up to 1000 s, workqueue.DefaultControllerRateLimiter; a key is dropped after 15 failures. */
export interface EndpointsControllerOptions extends SyncRetryOptions {
  /** --concurrent-endpoint-syncs: default 5. */
  readonly workers?: number;
  /** --endpoint-updates-batch-period: Pod-triggered syncs wait this long (default 0). */
  readonly endpointUpdatesBatchPeriodMs?: number;
}

export class EndpointsController implements Controller {
  readonly name = 'endpoint';
  readonly #opts: EndpointsControllerOptions;
  readonly #triggerTimes = new TriggerTimeTracker();
  /**
   * staleEndpointsTracker: the resourceVersion we replaced per Endpoints key, so a cache still
   * showing it is known to be behind. '' marks an Endpoints we created that the cache lacks.
   */
  readonly #stale = new Map<string, string>();
  readonly #worker: KeyedWorker;
  #ctx!: ControllerContext;
  #recorder!: EventRecorder;
  #services!: SharedInformer<Service>;
  #pods!: SharedInformer<Pod>;
  #endpoints!: SharedInformer<Endpoints>;

  constructor(opts: EndpointsControllerOptions = {}) {
    this.#opts = opts;
    this.#worker = retryingWorker('endpoint', opts, { backoffMs: 5, maxBackoffMs: 1000_000 });
  }

  init(ctx: ControllerContext): void {
    this.#ctx = ctx;
    this.#recorder = ctx.recorder('endpoint-controller');
    this.#services = ctx.informers.informerFor<Service>(resources.services);
    this.#pods = ctx.informers.informerFor<Pod>(resources.pods);
    this.#endpoints = ctx.informers.informerFor<Endpoints>(resources.endpoints);
    this.#worker.enqueueOnEvents(this.#services);
    const batch = this.#opts.endpointUpdatesBatchPeriodMs ?? 0;
    this.#pods.addEventHandler(
      podServicesHandler(this.#services.store, (services) => {
        for (const s of services) this.#worker.addAfter(metaNamespaceKey(s), batch);
      }),
    );
    this.#endpoints.addEventHandler({
      onAdd: (e) => {
        const key = metaNamespaceKey(e);
        if (this.#stale.get(key) === '') this.#stale.delete(key);
      },
      // A deleted Endpoints is written again if its Service still wants it.
      onDelete: (e) => {
        this.#stale.delete(metaNamespaceKey(e));
        this.#worker.add(metaNamespaceKey(e));
      },
    });
  }

  async run(): Promise<void> {
    // checkLeftoverEndpoints: Endpoints whose Service went while we were down get deleted.
    for (const e of this.#endpoints.store.list()) {
      if (e.metadata.annotations?.[ANNOTATION_LEADER_ELECTION_RECORD] !== undefined) continue;
      this.#worker.add(metaNamespaceKey(e));
    }
    await this.#worker.run(this.#opts.workers ?? 5, (key) => this.syncService(key), logRetryError(this.#ctx.logger, 'dropping service out of the queue', 'error syncing endpoints for service, retrying'));
  }

  async stop(): Promise<void> {
    this.#worker.stop();
  }

  /** syncService: one pass for one Service key (exposed for tests). */
  async syncService(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const client = this.#ctx.client;
    const ref = { ...resources.endpoints, namespace };
    const svc = this.#services.store.get(key);
    if (!svc) {
      // The Service is gone: so is its Endpoints object.
      try {
        await client.delete({ ...ref, name });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      this.#triggerTimes.deleteService(namespace, name);
      this.#stale.delete(key);
      return;
    }
    if (svc.spec?.type === 'ExternalName') return;
    if (svc.spec?.selector === null || svc.spec?.selector === undefined) return;

    const pods = podsForService(this.#pods.store, svc);
    const triggerTime = this.#triggerTimes.compute(svc, pods);
    const current = this.#endpoints.store.get(key);
    const staleRV = this.#stale.get(key);
    if (staleRV !== undefined) {
      if ((current?.metadata.resourceVersion ?? '') === staleRV) throw new StaleInformerCacheError('Endpoints');
      this.#stale.delete(key);
    }
    const plan = reconcileEndpoints({ service: svc, pods, current, triggerTime });
    if (plan.action === 'none') return;
    try {
      if (plan.action === 'create') {
        await client.create<Endpoints>(ref, plan.endpoints);
        if (!this.#endpoints.store.get(key)) this.#stale.set(key, '');
      } else {
        const updated = await client.update<Endpoints>({ ...ref, name }, plan.endpoints);
        if (updated.metadata.resourceVersion !== current!.metadata.resourceVersion) this.#stale.set(key, current!.metadata.resourceVersion ?? '');
      }
    } catch (err) {
      // Creates in a terminating namespace keep failing: drop the work.
      if (plan.action === 'create' && isForbidden(err) && isNamespaceTerminatingError(err)) return;
      const target = refTo(plan.endpoints, 'Endpoints');
      if (plan.action === 'create') {
        void this.#recorder.event(target, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${key}: ${errorMessage(err)}`);
      } else {
        void this.#recorder.event(target, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${key}: ${errorMessage(err)}`);
      }
      throw err;
    }
  }
}
