// The Endpoints controller (core/v1 Endpoints for Services with a selector).
export { EndpointsController, type EndpointsControllerOptions } from './controller.js';
export { desiredSubsets, MAX_ENDPOINTS_CAPACITY, podToEndpointAddress, reconcileEndpoints, truncateSubsets, type EndpointsPlan, type EndpointsReconcileInput } from './reconcile.js';
export { compareAddresses, repackSubsets, sortSubsets, stableJSON } from './repack.js';
