// The controllers `svcnet apiserver` (and `svcnet up`) run in-process, by the names
// kube-controller-manager's --controllers flag uses. Only this file knows all of them.
import type { Controller } from '../controllers/types.js';
import { DeploymentController } from '../controllers/deployment/index.js';
import { EndpointsController } from '../controllers/endpoints/index.js';
import { EndpointSliceController } from '../controllers/endpointslice/index.js';
import { EndpointSliceMirroringController } from '../controllers/endpointslice-mirroring/index.js';
import { GarbageCollector } from '../controllers/garbage-collector/index.js';
import { LoadBalancerController } from '../controllers/loadbalancer/index.js';
import { NamespaceController } from '../controllers/namespace/index.js';
import { NodeLifecycleController } from '../controllers/node-lifecycle/index.js';
import { ReplicaSetController } from '../controllers/replicaset/index.js';
import { Scheduler } from '../controllers/scheduler/index.js';

export interface ControllerSettings {
  /** LoadBalancer IP pool (ranges/CIDRs, comma-separated). */
  readonly loadBalancerPool?: string;
}

const FACTORIES: Record<string, (s: ControllerSettings) => Controller> = {
  endpointslice: () => new EndpointSliceController(),
  endpoint: () => new EndpointsController(),
  endpointslicemirroring: () => new EndpointSliceMirroringController(),
  replicaset: () => new ReplicaSetController(),
  deployment: () => new DeploymentController(),
  namespace: () => new NamespaceController(),
  garbagecollector: () => new GarbageCollector(),
  nodelifecycle: () => new NodeLifecycleController(),
  scheduler: () => new Scheduler(),
  'svcnet-lb': (s) => new LoadBalancerController(s.loadBalancerPool ? { pool: s.loadBalancerPool } : {}),
};

export const CONTROLLER_NAMES = Object.keys(FACTORIES);

/**
 * Parses a --controllers value like kube-controller-manager's: `*` (all), names, `-name` to
 * exclude; empty runs none.
 */
export function selectControllers(spec: string, settings: ControllerSettings = {}): Controller[] {
  const parts = spec.split(',').map((p) => p.trim()).filter(Boolean);
  const all = parts.includes('*');
  const chosen = new Set<string>(all ? CONTROLLER_NAMES : []);
  for (const p of parts) {
    if (p === '*') continue;
    const name = p.startsWith('-') ? p.slice(1) : p;
    if (!FACTORIES[name]) {
      throw new Error(`unknown controller ${JSON.stringify(name)}; known: ${CONTROLLER_NAMES.join(', ')}`);
    }
    if (p.startsWith('-')) chosen.delete(name);
    else chosen.add(name);
  }
  return [...chosen].map((n) => FACTORIES[n]!(settings));
}
