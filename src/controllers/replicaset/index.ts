// The ReplicaSet controller.
export { ReplicaSetController, REPLICASET_COMPONENT, type ReplicaSetControllerOptions } from './controller.js';
export { getPodsToDelete } from './rank.js';
export { calculateReplicaSetStatus, claimPods, podFromTemplate, replicaSetSelector, slowStartBatches } from './reconcile.js';
