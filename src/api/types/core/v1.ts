// core/v1: the API group "" version v1, split by resource into the sibling files.
export * from './service.js';
export * from './pod.js';
export * from './node.js';
export * from './misc.js';
