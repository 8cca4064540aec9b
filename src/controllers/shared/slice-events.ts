// How the EndpointSlice and mirroring controllers react to EndpointSlice events: each manages
// only the slices labelled with its own name, ignores the echo of its own writes (the tracker),
// and re-syncs a Service when someone else changes or deletes one of its slices.
import { isManagedBy, serviceNameOf } from '../../api/endpointslice.js';
import type { EndpointSlice } from '../../api/types/discovery/index.js';
import type { ResourceEventHandler } from '../../client/index.js';
import type { EndpointSliceTracker } from './slice-tracker.js';

/** ServiceControllerKey: `<namespace>/<service-name label>`, undefined without the label. */
export function serviceKeyOfSlice(s: EndpointSlice): string | undefined {
  const name = serviceNameOf(s);
  return name ? `${s.metadata.namespace}/${name}` : undefined;
}

export interface ManagedSliceHandlerOptions {
  /** The managed-by label value of this controller's slices. */
  readonly controllerName: string;
  readonly tracker: EndpointSliceTracker;
  /** Queues the Service the slice belongs to. */
  readonly queueForSlice: (s: EndpointSlice) => void;
  /**
   * On an update that moves the slice in or out of our management: queue the Services of both
   * the old and the new slice (the mirroring controller) or of the new one only (the EndpointSlice
   * controller, which queues both only when the service-name label changed).
   */
  readonly managedChangeQueues: 'both' | 'new';
}

export function managedSliceHandler(opts: ManagedSliceHandlerOptions): ResourceEventHandler<EndpointSlice> {
  const managed = (s: EndpointSlice) => isManagedBy(s, opts.controllerName);
  const { tracker, queueForSlice } = opts;
  return {
    onAdd: (s) => {
      if (managed(s) && tracker.shouldSync(s)) queueForSlice(s);
    },
    onUpdate: (o, n) => {
      const keyChanged = serviceKeyOfSlice(o) !== serviceKeyOfSlice(n);
      const managedChanged = managed(o) !== managed(n);
      if (keyChanged || (managedChanged && opts.managedChangeQueues === 'both')) {
        queueForSlice(n);
        queueForSlice(o);
      } else if (managedChanged || (managed(n) && tracker.shouldSync(n))) {
        queueForSlice(n);
      }
    },
    onDelete: (s) => {
      // Someone else deleted one of our slices: put it back. (Upstream only notices for slices
      // it wrote since it started; any managed slice counts here.)
      if (!managed(s)) return;
      if (!tracker.has(s) || !tracker.handleDeletion(s)) queueForSlice(s);
    },
  };
}
