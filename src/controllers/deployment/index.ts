// The Deployment controller.
export { DeploymentController, DEPLOYMENT_COMPONENT, type DeploymentControllerOptions } from './controller.js';
export { computeHash, fnv32a, safeEncodeString } from './hash.js';
export { DeploymentSync, type DeploymentActions } from './sync.js';
