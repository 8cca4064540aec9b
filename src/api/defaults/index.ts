// setDefaults(group, version, kind, obj): the versioned defaulting the API server applies when it
// decodes a request body, and prepareForCreate(...) for the registry's PrepareForCreate step.
// Both mutate the object in place (like the Go defaulters) and return it for convenience.
import { type Obj, isObj } from '../validation/common.js';
import { prepareWorkloadForCreate, setDeploymentDefaults, setReplicaSetDefaults } from './apps.js';
import {
  prepareNamespaceForCreate,
  prepareServiceForCreate,
  setConfigMapDefaults,
  setEndpointsDefaults,
  setNamespaceDefaults,
  setNodeDefaults,
} from './core-misc.js';
import { setEndpointSliceDefaults } from './endpoint-slice.js';
import { preparePodForCreate, setPodDefaults } from './pod.js';
import { setServiceDefaults } from './service.js';

type Mutator = (o: Obj) => void;

const gvkKey = (group: string, version: string, kind: string) => (group ? `${group}/${version}/${kind}` : `${version}/${kind}`);

const DEFAULTERS: Record<string, Mutator> = {
  'v1/Pod': setPodDefaults,
  'v1/Service': setServiceDefaults,
  'v1/Namespace': setNamespaceDefaults,
  'v1/Node': setNodeDefaults,
  'v1/Endpoints': setEndpointsDefaults,
  'v1/ConfigMap': setConfigMapDefaults,
  'apps/v1/Deployment': setDeploymentDefaults,
  'apps/v1/ReplicaSet': setReplicaSetDefaults,
  'discovery.k8s.io/v1/EndpointSlice': setEndpointSliceDefaults,
  // ServiceAccount, Event and Lease have no v1 defaults.
};

const PREPARERS: Record<string, Mutator> = {
  'v1/Pod': preparePodForCreate,
  'v1/Namespace': prepareNamespaceForCreate,
  'v1/Service': prepareServiceForCreate,
  'apps/v1/Deployment': prepareWorkloadForCreate,
  'apps/v1/ReplicaSet': prepareWorkloadForCreate,
};

export function setDefaults<T>(group: string, version: string, kind: string, object: T): T {
  const f = DEFAULTERS[gvkKey(group, version, kind)];
  if (f && isObj(object)) f(object);
  return object;
}

/** The strategy's PrepareForCreate (status reset etc.); run after name generation, before validation. */
export function prepareForCreate<T>(group: string, version: string, kind: string, object: T): T {
  const f = PREPARERS[gvkKey(group, version, kind)];
  if (f && isObj(object)) f(object);
  return object;
}

export { admitDefaultTolerationSeconds, admitPodServiceAccount, computePodQOS, preparePodForCreate } from './pod.js';
// Aliases under the names the registry's strategies already import.
export { admitDefaultTolerationSeconds as admitPodDefaultTolerations, computePodQOS as computePodQOSClass } from './pod.js';
export { canonicalizeNamespace } from './core-misc.js';
