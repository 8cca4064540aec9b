// The EndpointSlice controller (pkg/controller/endpointslice): keeps the EndpointSlices of every
// Service with a selector in step with the Pods it selects. Handlers only enqueue Service keys;
// a worker computes the plan (reconcile.ts) from the caches and writes it.
import {
  ItemExponentialFailureRateLimiter,
  metaNamespaceKey,
  NAMESPACE_INDEX,
  RateLimitingQueue,
  resources,
  runWorkers,
  SERVICE_NAME_INDEX,
  serviceNameIndexFunc,
  splitMetaNamespaceKey,
  type Clock,
  type EventRecorder,
  type SharedInformer,
} from '../../client/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { SliceWriter } from './slice-writer.js';
import type { EndpointSlice, Node, Pod, Service } from './api-types.js';
import { ENDPOINTSLICE_CONTROLLER_NAME, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, LABEL_TOPOLOGY_ZONE } from './api-types.js';
import { ensureIndex, errorMessage, podsForService, refTo, servicesSelecting, StaleInformerCacheError } from './controller-util.js';
import { servicesToUpdateOnPodChange } from './pod-util.js';
import { aggregateMessage, DEFAULT_MAX_ENDPOINTS_PER_SLICE, reconcileEndpointSlices, type SlicePlan } from './reconcile.js';
import { EndpointSliceTracker } from './slice-tracker.js';
import { TriggerTimeTracker } from './trigger-time.js';

export interface EndpointSliceControllerOptions {
  /** --max-endpoints-per-slice: 1..1000, default 100. */
  readonly maxEndpointsPerSlice?: number;
  /** --concurrent-service-endpoint-syncs: default 5. */
  readonly workers?: number;
  /** --endpoint-updates-batch-period: Pod-triggered syncs wait this long (default 0). */
  readonly endpointUpdatesBatchPeriodMs?: number;
  /** First retry delay after a failed sync, doubling per failure (default 1 s, max 1000 s). */
  readonly syncBackoffMs?: number;
  readonly maxSyncBackoffMs?: number;
  /** Retries before a Service is dropped from the queue (default 15). */
  readonly maxRetries?: number;
  readonly clock?: Clock;
}

/** Slice changes made by others are looked at no sooner than this (endpointSliceChangeMinSyncDelay). */
const SLICE_CHANGE_MIN_SYNC_DELAY_MS = 1000;

export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice';
  readonly #opts: EndpointSliceControllerOptions;
  readonly #max: number;
  readonly #tracker = new EndpointSliceTracker((s) => serviceKeyOfSlice(s));
  #writer!: SliceWriter;
  readonly #triggerTimes = new TriggerTimeTracker();
  #ctx!: ControllerContext;
  #queue!: RateLimitingQueue<string>;
  #recorder!: EventRecorder;
  #services!: SharedInformer<Service>;
  #pods!: SharedInformer<Pod>;
  #nodes!: SharedInformer<Node>;
  #slices!: SharedInformer<EndpointSlice>;

  constructor(opts: EndpointSliceControllerOptions = {}) {
    const max = opts.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE;
    if (!Number.isInteger(max) || max < 1 || max > 1000) throw new Error(`maxEndpointsPerSlice must be between 1 and 1000, got ${max}`);
    this.#opts = opts;
    this.#max = max;
  }

  init(ctx: ControllerContext): void {
    this.#ctx = ctx;
    this.#writer = new SliceWriter(ctx.client, this.#tracker);
    this.#recorder = ctx.recorder('endpoint-slice-controller');
    this.#queue = new RateLimitingQueue<string>({
      name: 'endpoint_slice',
      clock: this.#opts.clock,
      rateLimiter: new ItemExponentialFailureRateLimiter<string>(this.#opts.syncBackoffMs ?? 1000, this.#opts.maxSyncBackoffMs ?? 1000_000),
    });
    this.#services = ctx.informers.informerFor<Service>(resources.services);
    this.#pods = ctx.informers.informerFor<Pod>(resources.pods);
    this.#nodes = ctx.informers.informerFor<Node>(resources.nodes);
    this.#slices = ctx.informers.informerFor<EndpointSlice>(resources.endpointslices);
    ensureIndex(this.#slices, SERVICE_NAME_INDEX, serviceNameIndexFunc);

    const enqueue = (s: Service) => this.#queue.add(metaNamespaceKey(s));
    this.#services.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    this.#pods.addEventHandler({
      onAdd: (p) => this.#queuePodServices(servicesSelecting(this.#services.store, p.metadata.namespace ?? '', p.metadata.labels)),
      onUpdate: (o, n) => this.#queuePodServices(servicesToUpdateOnPodChange(this.#services.store.byIndex(NAMESPACE_INDEX, n.metadata.namespace ?? ''), o, n)),
      onDelete: (p) => this.#queuePodServices(servicesSelecting(this.#services.store, p.metadata.namespace ?? '', p.metadata.labels)),
    });
    this.#slices.addEventHandler({
      onAdd: (s) => {
        if (this.#managed(s) && this.#tracker.shouldSync(s)) this.#queueForSlice(s);
      },
      onUpdate: (o, n) => {
        if (o.metadata.labels?.[LABEL_SERVICE_NAME] !== n.metadata.labels?.[LABEL_SERVICE_NAME]) {
          this.#queueForSlice(n);
          this.#queueForSlice(o);
        } else if (this.#managed(o) !== this.#managed(n) || (this.#managed(n) && this.#tracker.shouldSync(n))) {
          this.#queueForSlice(n);
        }
      },
      onDelete: (s) => {
        // Someone else deleted one of our slices: put it back. (Upstream only notices for slices
        // it wrote since it started; any managed slice counts here.)
        if (!this.#managed(s)) return;
        if (!this.#tracker.has(s) || !this.#tracker.handleDeletion(s)) this.#queueForSlice(s);
      },
    });
    // Not upstream (1.32 re-reads Nodes only through retries): a Node appearing, or its zone
    // changing, re-syncs the Services of its Pods at once.
    this.#nodes.addEventHandler({
      onAdd: (n, initial) => {
        if (!initial) this.#queueNodeServices(n.metadata.name!);
      },
      onUpdate: (o, n) => {
        if (o.metadata.labels?.[LABEL_TOPOLOGY_ZONE] !== n.metadata.labels?.[LABEL_TOPOLOGY_ZONE]) this.#queueNodeServices(n.metadata.name!);
      },
    });
  }

  async run(): Promise<void> {
    await runWorkers(this.#queue, this.#opts.workers ?? 5, (key) => this.syncService(key), {
      maxRetries: this.#opts.maxRetries ?? 15,
      onError: (key, err, dropped) => {
        if (dropped) this.#ctx.logger.warn('retrying has been exceeded, dropping the service out of the queue', { key, err: errorMessage(err) });
        else if (!(err instanceof StaleInformerCacheError)) this.#ctx.logger.info('error syncing endpoint slices for service, retrying', { key, err: errorMessage(err) });
      },
    });
  }

  async stop(): Promise<void> {
    this.#queue?.shutDown();
  }

  #managed(s: EndpointSlice): boolean {
    return s.metadata.labels?.[LABEL_MANAGED_BY] === ENDPOINTSLICE_CONTROLLER_NAME;
  }

  #queuePodServices(services: readonly Service[]): void {
    for (const s of services) this.#queue.addAfter(metaNamespaceKey(s), this.#opts.endpointUpdatesBatchPeriodMs ?? 0);
  }

  #queueForSlice(s: EndpointSlice): void {
    const key = serviceKeyOfSlice(s);
    if (key) this.#queue.addAfter(key, SLICE_CHANGE_MIN_SYNC_DELAY_MS + (this.#opts.endpointUpdatesBatchPeriodMs ?? 0));
  }

  #queueNodeServices(nodeName: string): void {
    const keys = new Set<string>();
    for (const pod of this.#pods.store.list()) {
      if (pod.spec?.nodeName !== nodeName) continue;
      for (const s of servicesSelecting(this.#services.store, pod.metadata.namespace ?? '', pod.metadata.labels)) keys.add(metaNamespaceKey(s));
    }
    for (const k of keys) this.#queue.add(k);
  }

  /** syncService: one pass for one Service key (exposed for tests). */
  async syncService(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const svc = this.#services.store.get(key);
    if (!svc) {
      this.#triggerTimes.deleteService(namespace, name);
      await this.#deleteSlicesOfGoneService(key);
      return;
    }
    // ExternalName Services get no endpoints; selector-less ones are managed by hand (mirrored).
    if (svc.spec?.type === 'ExternalName') return;
    if (svc.spec?.selector === null || svc.spec?.selector === undefined) return;

    const pods = podsForService(this.#pods.store, svc);
    const slices = this.#ownSlices(key).filter((s) => !s.metadata.deletionTimestamp);
    if (this.#tracker.staleSlices(key, slices)) throw new StaleInformerCacheError('EndpointSlice');
    // Computed before reconciling so the tracker's state moves on even when nothing is written.
    const triggerTime = this.#triggerTimes.compute(svc, pods);
    const plan = reconcileEndpointSlices({
      service: svc,
      pods,
      existingSlices: slices,
      nodes: (n) => this.#nodes.store.get(n),
      maxEndpointsPerSlice: this.#max,
      triggerTime,
    });
    const errors = [...plan.errors];
    try {
      await this.#writer.apply(svc.metadata.namespace!, `Service ${svc.metadata.namespace}/${svc.metadata.name}`, plan);
    } catch (err) {
      errors.push(errorMessage(err));
    }
    if (errors.length > 0) {
      const message = `Error updating Endpoint Slices for Service ${key}: ${aggregateMessage(errors)}`;
      void this.#recorder.event(refTo(svc, 'Service'), 'Warning', 'FailedToUpdateEndpointSlices', message);
      throw new Error(message);
    }
  }

  #ownSlices(serviceKey: string): EndpointSlice[] {
    return this.#slices.store.byIndex(SERVICE_NAME_INDEX, serviceKey).filter((s) => this.#managed(s));
  }

  // Upstream leaves this to the garbage collector (the slices' ownerReferences); svcnet deletes
  // the slices itself so a deleted Service never leaves endpoints behind.
  async #deleteSlicesOfGoneService(key: string): Promise<void> {
    this.#tracker.deleteService(key);
    for (const slice of this.#ownSlices(key)) {
      if (slice.metadata.deletionTimestamp) continue;
      await this.#writer.delete(slice);
    }
  }
}

/** ServiceControllerKey: `<namespace>/<service-name label>`, undefined without the label. */
export function serviceKeyOfSlice(s: EndpointSlice): string | undefined {
  const name = s.metadata.labels?.[LABEL_SERVICE_NAME];
  return name ? `${s.metadata.namespace}/${name}` : undefined;
}
