// The EndpointSlice controller, and the endpoint helpers the mirroring controller shares with it.
export { EndpointSliceController, type EndpointSliceControllerOptions } from './controller.js';
export { aggregateMessage, DEFAULT_MAX_ENDPOINTS_PER_SLICE, reconcileEndpointSlices, type SlicePlan, type SliceReconcileInput } from './reconcile.js';
export { desiredEndpoints, endpointPortsFor, podToEndpoint, type NodeGetter } from './desired.js';
export { EndpointSet, endpointKey, endpointsEqualBeyondHash, portMapKey } from './endpoint-set.js';
export { slicePrefix } from './slice-meta.js';
