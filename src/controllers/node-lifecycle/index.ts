// The node lifecycle controller: Node health from Leases, condition taints, MarkPodsNotReady.
export { NODE_CONTROLLER_COMPONENT, NODE_LEASE_NAMESPACE, NodeLifecycleController, type NodeLifecycleControllerOptions } from './controller.js';
export { desiredTaints, markNodeUnknown, MONITORED_CONDITIONS } from './health.js';
