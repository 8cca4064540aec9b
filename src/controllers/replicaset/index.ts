// The ReplicaSet controller and the Pod helpers the other workload controllers share.
export { ReplicaSetController, REPLICASET_COMPONENT, type ReplicaSetControllerOptions } from './controller.js';
export { controllerOf, isPodActive, isPodAvailable, isPodReady, newControllerRef, objectRef, podCondition } from './pod-util.js';
export { getPodsToDelete } from './rank.js';
export { calculateReplicaSetStatus, claimPods, podFromTemplate, replicaSetSelector, slowStartBatches } from './reconcile.js';
export type { ContainerStatus, NodeSelector, NodeSelectorRequirement, Pod, PodCondition, PodTemplateSpec, ReplicaSet, ReplicaSetStatus, Toleration } from './types.js';
