// The EndpointSlice controller, and the endpoint helpers the Endpoints and mirroring
// controllers share with it.
export { EndpointSliceController, serviceKeyOfSlice, type EndpointSliceControllerOptions } from './controller.js';
export { aggregateMessage, DEFAULT_MAX_ENDPOINTS_PER_SLICE, reconcileEndpointSlices, type SlicePlan, type SliceReconcileInput } from './reconcile.js';
export { desiredEndpoints, endpointPortsFor, podToEndpoint, type NodeGetter } from './desired.js';
export { EndpointSet, endpointKey, endpointsEqualBeyondHash, portMapKey } from './endpoint-set.js';
export { EndpointSliceTracker } from './slice-tracker.js';
export { TriggerTimeTracker, formatRFC3339Nano } from './trigger-time.js';
export * from './api-types.js';
