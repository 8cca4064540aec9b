// core/v1 Namespace, Endpoints, ConfigMap, Event, ObjectReference and Binding (k8s.io/api core/v1
// types.go) as JSON.
import type { KubernetesObject, MicroTime, Time } from '../meta/v1.js';
import type { ConditionStatusValue } from './pod.js';
import type { Protocol } from './service.js';

/** A reference to any object; every field is optional upstream (Events' involvedObject, targetRef). */
export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  /** e.g. "spec.containers{web}" for an Event about one container. */
  fieldPath?: string;
}

export interface LocalObjectReference {
  name?: string;
}

export const NAMESPACE_PHASES = ['Active', 'Terminating'] as const;
/** Terminating: deletion has begun; creates in the namespace are refused (NamespaceTerminating). */
export type NamespacePhase = (typeof NAMESPACE_PHASES)[number];

export interface NamespaceCondition {
  type: string;
  status: ConditionStatusValue;
  lastTransitionTime?: Time | null;
  reason?: string;
  message?: string;
}

export interface NamespaceSpec {
  /** "kubernetes" until the namespace controller has emptied the namespace. */
  finalizers?: string[];
}

export interface NamespaceStatus {
  phase?: NamespacePhase;
  conditions?: NamespaceCondition[];
}

export interface Namespace extends KubernetesObject {
  spec?: NamespaceSpec;
  status?: NamespaceStatus;
}

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: ObjectReference;
}

/** core/v1 EndpointPort: name may be omitted only when there is one port. */
export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: Protocol;
  appProtocol?: string;
}

/** The cross product of addresses × ports; notReadyAddresses are listed but not load-balanced to. */
export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

/** The legacy (pre-EndpointSlice) endpoints of a Service, same name as the Service. */
export interface Endpoints extends KubernetesObject {
  subsets?: EndpointSubset[] | null;
}

export interface ConfigMap extends KubernetesObject {
  immutable?: boolean;
  data?: Record<string, string>;
  /** Values are base64 in JSON. */
  binaryData?: Record<string, string>;
}

export interface EventSource {
  component?: string;
  host?: string;
}

export interface EventSeries {
  count?: number;
  lastObservedTime?: MicroTime;
}

export type EventType = 'Normal' | 'Warning';

/** core/v1 Event, as `kubectl get events` and `kubectl describe` read it. */
export interface Event extends KubernetesObject {
  involvedObject: ObjectReference;
  reason?: string;
  message?: string;
  source?: EventSource;
  firstTimestamp?: Time | null;
  lastTimestamp?: Time | null;
  count?: number;
  type?: EventType;
  eventTime?: MicroTime | null;
  series?: EventSeries;
  action?: string;
  related?: ObjectReference;
  reportingComponent?: string;
  reportingInstance?: string;
}

/** pods/binding: what the scheduler POSTs to place a Pod on target (a Node). */
export interface Binding extends KubernetesObject {
  target: ObjectReference;
}

/** The query of GET pods/{name}/log (and of the kubelet's /containerLogs), as k8s.io/api names it. */
export interface PodLogOptions {
  container?: string;
  follow?: boolean;
  previous?: boolean;
  sinceSeconds?: number;
  /** RFC 3339; at most one of sinceSeconds and sinceTime. */
  sinceTime?: Time;
  timestamps?: boolean;
  tailLines?: number;
  limitBytes?: number;
  insecureSkipTLSVerifyBackend?: boolean;
}

// Well-known Endpoints annotations (core/v1 annotation_key_constants.go).
/** The earliest not-yet-written change (Pod or Service) behind an Endpoints/EndpointSlice write. */
export const ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
/** "truncated" on an Endpoints object cut down to MaxEndpointsPerSubset addresses. */
export const ANNOTATION_ENDPOINTS_OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
/** v1.LastAppliedConfigAnnotation: what `kubectl apply` last wrote. */
export const ANNOTATION_LAST_APPLIED_CONFIG = 'kubectl.kubernetes.io/last-applied-configuration';
/**
 * client-go resourcelock.LeaderElectionRecordAnnotationKey: an Endpoints (or ConfigMap) used as
 * a leader-election lock carries it; the endpoint controllers leave such objects alone.
 */
export const ANNOTATION_LEADER_ELECTION_RECORD = 'control-plane.alpha.kubernetes.io/leader';
