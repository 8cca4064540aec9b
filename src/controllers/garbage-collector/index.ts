// The garbage collector, and the discovery helper the namespace controller shares.
export { GarbageCollector, type GarbageCollectorOptions } from './controller.js';
export { discoverResources, parseApiVersion, type DiscoveredResource } from './discovery.js';
export { DependencyGraph, FINALIZER_FOREGROUND, FINALIZER_ORPHAN, nodeFor, type GraphNode } from './graph.js';
