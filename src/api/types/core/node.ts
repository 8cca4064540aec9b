// core/v1 Node (k8s.io/api core/v1 types.go) as JSON: what the node agent reports and the
// scheduler, node-lifecycle controller and proxy read.
import type { KubernetesObject, Time } from '../meta/v1.js';
import type { ConditionStatusValue, TaintEffect } from './pod.js';

export const NODE_ADDRESS_TYPES = ['Hostname', 'InternalIP', 'ExternalIP', 'InternalDNS', 'ExternalDNS'] as const;
/** InternalIP is the address kube-proxy and NodePort traffic use for the node. */
export type NodeAddressType = (typeof NODE_ADDRESS_TYPES)[number];

/** Ready is the one the node-lifecycle controller and EndpointSlice topology care about. */
export type NodeConditionType = 'Ready' | 'MemoryPressure' | 'DiskPressure' | 'PIDPressure' | 'NetworkUnavailable' | (string & {});

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
  timeAdded?: Time | null;
}

export interface NodeSpec {
  /** The primary family's range of Pod IPs assigned to this node; podCIDRs[0] when both are set. */
  podCIDR?: string;
  podCIDRs?: string[];
  providerID?: string;
  unschedulable?: boolean;
  taints?: Taint[];
}

export interface NodeAddress {
  type: NodeAddressType;
  address: string;
}

export interface NodeCondition {
  type: NodeConditionType;
  status: ConditionStatusValue;
  lastHeartbeatTime?: Time | null;
  lastTransitionTime?: Time | null;
  reason?: string;
  message?: string;
}

export interface NodeSystemInfo {
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  containerRuntimeVersion: string;
  kubeletVersion: string;
  /** Deprecated; kube-proxy reports nothing reliable here. */
  kubeProxyVersion?: string;
  operatingSystem: string;
  architecture: string;
}

export interface DaemonEndpoint {
  Port: number;
}

export interface NodeDaemonEndpoints {
  kubeletEndpoint?: DaemonEndpoint;
}

export type NodePhase = 'Pending' | 'Running' | 'Terminated';

export interface NodeStatus {
  capacity?: Record<string, string>;
  allocatable?: Record<string, string>;
  /** Deprecated, never set. */
  phase?: NodePhase;
  conditions?: NodeCondition[];
  addresses?: NodeAddress[];
  daemonEndpoints?: NodeDaemonEndpoints;
  nodeInfo?: NodeSystemInfo;
}

export interface Node extends KubernetesObject {
  spec?: NodeSpec;
  status?: NodeStatus;
}

// Well-known Node labels and taints (core/v1 well_known_labels.go, well_known_taints.go).
/** The Node's zone; EndpointSlice endpoints copy it into `zone`. */
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';
/** The Node's Ready condition is False. */
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
/** The Node's Ready condition is Unknown (the node controller lost its heartbeat). */
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** spec.unschedulable is true (kubectl cordon). */
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
