// The EndpointSlice mirroring controller (hand-written Endpoints of selector-less Services → slices).
export { EndpointSliceMirroringController, shouldMirror, type EndpointSliceMirroringControllerOptions } from './controller.js';
export { DEFAULT_MAX_ENDPOINTS_PER_SUBSET, newMirroredSlice, reconcileMirroredSlices, type MirrorInput, type MirrorPlan } from './reconcile.js';
