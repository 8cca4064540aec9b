// The LoadBalancer IP controller (pool allocation into status.loadBalancer.ingress).
export { LB_CONTROLLER_COMPONENT, LoadBalancerController, type LoadBalancerControllerOptions } from './controller.js';
export { DEFAULT_LB_POOL, DEFAULT_LB_POOL_NAME, parsePool, type IPPool } from './pool.js';
export { LB_EVENT_REASONS } from './reconcile.js';
export { LB_IPS_ANNOTATION, METALLB_IPS_ANNOTATIONS } from './service.js';
