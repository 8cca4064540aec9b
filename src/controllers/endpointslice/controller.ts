// The EndpointSlice controller (pkg/controller/endpointslice): keeps the EndpointSlices of every
// Service with a selector in step with the Pods it selects. Handlers only enqueue Service keys;
// a worker computes the plan (reconcile.ts) from the caches and writes it.
import { metaNamespaceKey, resources, SERVICE_NAME_INDEX, serviceNameIndexFunc, splitMetaNamespaceKey, type EventRecorder, type SharedInformer } from '../../client/index.js';
import { isManagedBy } from '../../api/endpointslice.js';
import type { Node, Pod, Service } from '../../api/types/core/index.js';
import { LABEL_TOPOLOGY_ZONE } from '../../api/types/core/index.js';
import type { EndpointSlice } from '../../api/types/discovery/index.js';
import { ENDPOINTSLICE_CONTROLLER_NAME } from '../../api/types/discovery/index.js';
import type { Controller, ControllerContext } from '../types.js';
import {
  EndpointSliceTracker,
  ensureIndex,
  errorMessage,
  KeyedWorker,
  retryingWorker,
  logRetryError,
  managedSliceHandler,
  podServicesHandler,
  podsForService,
  refTo,
  serviceKeyOfSlice,
  servicesSelecting,
  SliceWriter,
  StaleInformerCacheError,
  TriggerTimeTracker,
} from '../shared/index.js';
import type { SyncRetryOptions } from '../shared/index.js';
import { aggregateMessage, DEFAULT_MAX_ENDPOINTS_PER_SLICE, reconcileEndpointSlices } from './reconcile.js';

/** Retry back-off by default: 1 s doubling up to 1000 s; a key is dropped after 15 failures. */
export interface EndpointSliceControllerOptions extends SyncRetryOptions {
  /** --max-endpoints-per-slice: 1..1000, default 100. */
  readonly maxEndpointsPerSlice?: number;
  /** --concurrent-service-endpoint-syncs: default 5. */
  readonly workers?: number;
  /** --endpoint-updates-batch-period: Pod-triggered syncs wait this long (default 0). */
  readonly endpointUpdatesBatchPeriodMs?: number;
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
  readonly #worker: KeyedWorker;
  #ctx!: ControllerContext;
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
    this.#worker = retryingWorker('endpoint_slice', opts, { backoffMs: 1000, maxBackoffMs: 1000_000 });
  }

  init(ctx: ControllerContext): void {
    this.#ctx = ctx;
    this.#writer = new SliceWriter(ctx.client, this.#tracker);
    this.#recorder = ctx.recorder('endpoint-slice-controller');
    this.#services = ctx.informers.informerFor<Service>(resources.services);
    this.#pods = ctx.informers.informerFor<Pod>(resources.pods);
    this.#nodes = ctx.informers.informerFor<Node>(resources.nodes);
    this.#slices = ctx.informers.informerFor<EndpointSlice>(resources.endpointslices);
    ensureIndex(this.#slices, SERVICE_NAME_INDEX, serviceNameIndexFunc);

    this.#worker.enqueueOnEvents(this.#services);
    this.#pods.addEventHandler(podServicesHandler(this.#services.store, (services) => this.#queuePodServices(services)));
    this.#slices.addEventHandler(
      managedSliceHandler({ controllerName: ENDPOINTSLICE_CONTROLLER_NAME, tracker: this.#tracker, queueForSlice: (s) => this.#queueForSlice(s), managedChangeQueues: 'new' }),
    );
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
    await this.#worker.run(this.#opts.workers ?? 5, (key) => this.syncService(key), logRetryError(this.#ctx.logger, 'retrying has been exceeded, dropping the service out of the queue', 'error syncing endpoint slices for service, retrying'));
  }

  async stop(): Promise<void> {
    this.#worker.stop();
  }

  #managed(s: EndpointSlice): boolean {
    return isManagedBy(s, ENDPOINTSLICE_CONTROLLER_NAME);
  }

  #queuePodServices(services: readonly Service[]): void {
    for (const s of services) this.#worker.addAfter(metaNamespaceKey(s), this.#opts.endpointUpdatesBatchPeriodMs ?? 0);
  }

  #queueForSlice(s: EndpointSlice): void {
    const key = serviceKeyOfSlice(s);
    if (key) this.#worker.addAfter(key, SLICE_CHANGE_MIN_SYNC_DELAY_MS + (this.#opts.endpointUpdatesBatchPeriodMs ?? 0));
  }

  #queueNodeServices(nodeName: string): void {
    const keys = new Set<string>();
    for (const pod of this.#pods.store.list()) {
      if (pod.spec?.nodeName !== nodeName) continue;
      for (const s of servicesSelecting(this.#services.store, pod.metadata.namespace ?? '', pod.metadata.labels)) keys.add(metaNamespaceKey(s));
    }
    for (const k of keys) this.#worker.add(k);
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
