// The EndpointSlice mirroring controller (pkg/controller/endpointslicemirroring): for a Service
// without a selector, whose endpoints someone writes by hand as a core/v1 Endpoints object, it
// writes matching EndpointSlices so slice consumers (kube-proxy, DNS) see them too. Endpoints
// labelled `endpointslice.kubernetes.io/skip-mirror: "true"` (the `kubernetes` one: the API
// server writes that slice itself) or carrying a leader-election annotation are not mirrored.
import { isManagedBy } from '../../api/endpointslice.js';
import type { Endpoints, Service } from '../../api/types/core/index.js';
import { ANNOTATION_LEADER_ELECTION_RECORD } from '../../api/types/core/index.js';
import type { EndpointSlice } from '../../api/types/discovery/index.js';
import { LABEL_SKIP_MIRROR, MIRRORING_CONTROLLER_NAME } from '../../api/types/discovery/index.js';
import { resources, SERVICE_NAME_INDEX, serviceNameIndexFunc, splitMetaNamespaceKey, type EventRecorder, type SharedInformer } from '../../client/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { EndpointSliceTracker, ensureIndex, KeyedWorker, retryingWorker, logRetryError, managedSliceHandler, refTo, serviceKeyOfSlice, SliceWriter, StaleInformerCacheError } from '../shared/index.js';
import type { SyncRetryOptions } from '../shared/index.js';
import { DEFAULT_MAX_ENDPOINTS_PER_SUBSET, reconcileMirroredSlices } from './reconcile.js';

/** Retry back-off by default: 1 s doubling up to 100 s; a key is dropped after 15 failures. */
export interface EndpointSliceMirroringControllerOptions extends SyncRetryOptions {
  /** --mirroring-max-endpoints-per-subset: default 1000. */
  readonly maxEndpointsPerSubset?: number;
  /** --mirroring-concurrent-service-endpoint-syncs: default 5. */
  readonly workers?: number;
  /** --mirroring-endpointslice-updates-batch-period (default 0). */
  readonly endpointUpdatesBatchPeriodMs?: number;
}

/** shouldMirror: not opted out, and not a leader-election lock. */
export function shouldMirror(ep: Endpoints | undefined): boolean {
  return !!ep && ep.metadata.labels?.[LABEL_SKIP_MIRROR] !== 'true' && ep.metadata.annotations?.[ANNOTATION_LEADER_ELECTION_RECORD] === undefined;
}

export class EndpointSliceMirroringController implements Controller {
  readonly name = 'endpointslicemirroring';
  readonly #opts: EndpointSliceMirroringControllerOptions;
  readonly #tracker = new EndpointSliceTracker((s) => serviceKeyOfSlice(s));
  #writer!: SliceWriter;
  readonly #worker: KeyedWorker;
  #ctx!: ControllerContext;
  #recorder!: EventRecorder;
  #services!: SharedInformer<Service>;
  #endpoints!: SharedInformer<Endpoints>;
  #slices!: SharedInformer<EndpointSlice>;

  constructor(opts: EndpointSliceMirroringControllerOptions = {}) {
    this.#opts = opts;
    this.#worker = retryingWorker('endpoint_slice_mirroring', opts, { backoffMs: 1000, maxBackoffMs: 100_000 });
  }

  init(ctx: ControllerContext): void {
    this.#ctx = ctx;
    this.#writer = new SliceWriter(ctx.client, this.#tracker);
    this.#recorder = ctx.recorder('endpoint-slice-mirroring-controller');
    this.#services = ctx.informers.informerFor<Service>(resources.services);
    this.#endpoints = ctx.informers.informerFor<Endpoints>(resources.endpoints);
    this.#slices = ctx.informers.informerFor<EndpointSlice>(resources.endpointslices);
    ensureIndex(this.#slices, SERVICE_NAME_INDEX, serviceNameIndexFunc);

    this.#worker.enqueueOnEvents(this.#services);
    this.#endpoints.addEventHandler({
      onAdd: (e) => {
        if (shouldMirror(e)) this.#worker.enqueue(e);
      },
      onUpdate: (o, n) => {
        if (shouldMirror(o) || shouldMirror(n)) this.#worker.enqueue(n);
      },
      onDelete: (e) => {
        if (shouldMirror(e)) this.#worker.enqueue(e);
      },
    });
    const queueForSlice = (s: EndpointSlice) => {
      const key = serviceKeyOfSlice(s);
      if (key) this.#worker.addAfter(key, this.#opts.endpointUpdatesBatchPeriodMs ?? 0);
    };
    this.#slices.addEventHandler(managedSliceHandler({ controllerName: MIRRORING_CONTROLLER_NAME, tracker: this.#tracker, queueForSlice, managedChangeQueues: 'both' }));
  }

  async run(): Promise<void> {
    await this.#worker.run(this.#opts.workers ?? 5, (key) => this.syncEndpoints(key), logRetryError(this.#ctx.logger, 'dropping endpoints out of the queue', 'error mirroring endpoints, retrying'));
  }

  async stop(): Promise<void> {
    this.#worker.stop();
  }

  #managed(s: EndpointSlice): boolean {
    return isManagedBy(s, MIRRORING_CONTROLLER_NAME);
  }

  /** syncEndpoints: one pass for one Service/Endpoints key (exposed for tests). */
  async syncEndpoints(key: string): Promise<void> {
    const svc = this.#services.store.get(key);
    // Upstream leaves mirrored slices of a deleted Service to the garbage collector (they are
    // owned by the Endpoints); svcnet deletes them so endpoints never outlive their Service.
    if (!svc) return this.#deleteMirroredSlices(key);
    if (svc.spec?.type === 'ExternalName') return;
    if (svc.spec?.selector !== null && svc.spec?.selector !== undefined) return this.#deleteMirroredSlices(key);
    const endpoints = this.#endpoints.store.get(key);
    if (!endpoints || !shouldMirror(endpoints)) return this.#deleteMirroredSlices(key);

    const slices = this.#mirrored(key);
    if (this.#tracker.staleSlices(key, slices)) throw new StaleInformerCacheError('EndpointSlice');
    const max = this.#opts.maxEndpointsPerSubset ?? DEFAULT_MAX_ENDPOINTS_PER_SUBSET;
    const plan = reconcileMirroredSlices({ endpoints, existingSlices: slices, maxEndpointsPerSubset: max });
    const target = refTo(endpoints, 'Endpoints');
    if (plan.invalidAddresses > 0) {
      void this.#recorder.event(target, 'Warning', 'InvalidIPAddress', `Skipped ${plan.invalidAddresses} invalid IP addresses when mirroring to EndpointSlices`);
    }
    if (plan.skippedAddresses > plan.invalidAddresses) {
      void this.#recorder.event(
        target,
        'Warning',
        'TooManyAddressesToMirror',
        `A max of ${max} addresses can be mirrored to EndpointSlices per Endpoints subset. ${plan.skippedAddresses} addresses were skipped`,
      );
    }
    await this.#writer.apply(splitMetaNamespaceKey(key).namespace, `Endpoints ${key}`, plan);
  }

  #mirrored(key: string): EndpointSlice[] {
    return this.#slices.store.byIndex(SERVICE_NAME_INDEX, key).filter((s) => this.#managed(s));
  }

  async #deleteMirroredSlices(key: string): Promise<void> {
    for (const slice of this.#mirrored(key)) await this.#writer.delete(slice);
  }
}
