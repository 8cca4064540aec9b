// apps/v1 defaults (pkg/apis/apps/v1/defaults.go); templates get PodSpec defaults only.
import { type Obj, isObj } from '../validation/common.js';
import { setPodSpecDefaults } from './pod.js';

function setTemplateDefaults(spec: Obj): void {
  if (!isObj(spec.template)) spec.template = {};
  if (!isObj(spec.template.spec)) spec.template.spec = {};
  setPodSpecDefaults(spec.template.spec);
}

export function setDeploymentDefaults(d: Obj): void {
  if (!isObj(d.spec)) d.spec = {};
  const spec = d.spec;
  if (typeof spec.replicas !== 'number') spec.replicas = 1;
  if (!isObj(spec.strategy)) spec.strategy = {};
  const strategy = spec.strategy;
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    if (!isObj(strategy.rollingUpdate)) strategy.rollingUpdate = {};
    if (strategy.rollingUpdate.maxUnavailable === undefined || strategy.rollingUpdate.maxUnavailable === null) strategy.rollingUpdate.maxUnavailable = '25%';
    if (strategy.rollingUpdate.maxSurge === undefined || strategy.rollingUpdate.maxSurge === null) strategy.rollingUpdate.maxSurge = '25%';
  }
  if (typeof spec.revisionHistoryLimit !== 'number') spec.revisionHistoryLimit = 10;
  if (typeof spec.progressDeadlineSeconds !== 'number') spec.progressDeadlineSeconds = 600;
  setTemplateDefaults(spec);
}

export function setReplicaSetDefaults(rs: Obj): void {
  if (!isObj(rs.spec)) rs.spec = {};
  if (typeof rs.spec.replicas !== 'number') rs.spec.replicas = 1;
  setTemplateDefaults(rs.spec);
}

/** deploymentStrategy/rsStrategy.PrepareForCreate: empty status, generation 1. */
export function prepareWorkloadForCreate(o: Obj): void {
  o.status = {};
  if (!isObj(o.metadata)) o.metadata = {};
  o.metadata.generation = 1;
}
