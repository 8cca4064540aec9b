// The controllers' shared toolkit. Controllers import from here, from ../types.js and from each
// other's index.ts, never from another controller's internal files.
export { KeyedWorker, logRetryError, logSyncError, retryingWorker, type KeyedWorkerOptions, type SyncErrorHandler, type SyncRetryOptions } from './keyed-worker.js';
export {
  controllerOf,
  ensureIndex,
  newControllerRef,
  objectRef,
  podEndpointsChanged,
  podServicesHandler,
  podsForService,
  resolveControllerRef,
  serviceSelects,
  servicesSelecting,
  servicesToUpdateOnPodChange,
  workloadSelector,
  type WithMeta,
} from './selection.js';
export { errorMessage, isNamespaceTerminatingError, refTo, StaleInformerCacheError } from './errors.js';
export { findPort, shouldPodBeInEndpoints, shouldSetHostname } from './endpoint-pods.js';
export { formatRFC3339Nano, TriggerTimeTracker } from './trigger-time.js';
export { EndpointSliceTracker, sliceVersion } from './slice-tracker.js';
export { SliceWriter, type SliceWrites } from './slice-writer.js';
export { managedSliceHandler, serviceKeyOfSlice, type ManagedSliceHandlerOptions } from './slice-events.js';
