// apps/v1 Deployment and ReplicaSet (k8s.io/api apps/v1 types.go) as JSON.
import type { KubernetesObject, LabelSelector, Time } from '../meta/v1.js';
import type { ConditionStatusValue, PodTemplateSpec } from '../core/pod.js';
import type { IntOrString } from '../core/service.js';

export const DEPLOYMENT_STRATEGY_TYPES = ['Recreate', 'RollingUpdate'] as const;
export type DeploymentStrategyType = (typeof DEPLOYMENT_STRATEGY_TYPES)[number];

export interface RollingUpdateDeployment {
  /** Absolute or percentage ("25%", the default); rounded down. */
  maxUnavailable?: IntOrString;
  /** Absolute or percentage ("25%", the default); rounded up. */
  maxSurge?: IntOrString;
}

export interface DeploymentStrategy {
  type?: DeploymentStrategyType;
  rollingUpdate?: RollingUpdateDeployment;
}

export interface DeploymentSpec {
  replicas?: number;
  /** Required; immutable in apps/v1 and must match template.metadata.labels. */
  selector: LabelSelector;
  template: PodTemplateSpec;
  strategy?: DeploymentStrategy;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
}

/** Available, Progressing, ReplicaFailure. */
export type DeploymentConditionType = 'Available' | 'Progressing' | 'ReplicaFailure' | (string & {});

export interface DeploymentCondition {
  type: DeploymentConditionType;
  status: ConditionStatusValue;
  lastUpdateTime?: Time;
  lastTransitionTime?: Time;
  reason?: string;
  message?: string;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  terminatingReplicas?: number;
  conditions?: DeploymentCondition[];
  /** Salts the pod-template-hash when two templates hash alike. */
  collisionCount?: number;
}

export interface Deployment extends KubernetesObject {
  spec?: DeploymentSpec;
  status?: DeploymentStatus;
}

export interface ReplicaSetSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector: LabelSelector;
  template?: PodTemplateSpec;
}

export type ReplicaSetConditionType = 'ReplicaFailure' | (string & {});

export interface ReplicaSetCondition {
  type: ReplicaSetConditionType;
  status: ConditionStatusValue;
  lastTransitionTime?: Time;
  reason?: string;
  message?: string;
}

export interface ReplicaSetStatus {
  /** Required upstream (no omitempty): the number of non-terminating Pods it owns. */
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  terminatingReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
}

export interface ReplicaSet extends KubernetesObject {
  spec?: ReplicaSetSpec;
  status?: ReplicaSetStatus;
}

/** The label Deployments add to their ReplicaSets and Pods to tell template revisions apart. */
export const DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY = 'pod-template-hash';
