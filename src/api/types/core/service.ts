// core/v1 Service (k8s.io/api core/v1 types.go) as JSON, with the enum-like values as `as const`
// unions. Optional exactly where upstream is `omitempty` or a pointer.
import type { Condition, KubernetesObject } from '../meta/v1.js';

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
/** Defaults to TCP on Service, container and endpoint ports. */
export type Protocol = (typeof PROTOCOLS)[number];

export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;
/** Each type includes the ones before it (LoadBalancer ⊃ NodePort ⊃ ClusterIP); ExternalName is a DNS CNAME only. */
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const SERVICE_AFFINITIES = ['ClientIP', 'None'] as const;
export type ServiceAffinity = (typeof SERVICE_AFFINITIES)[number];

export const SERVICE_EXTERNAL_TRAFFIC_POLICIES = ['Cluster', 'Local'] as const;
/** Local keeps the client source IP and only uses endpoints on the receiving node (NodePort/LB/externalIPs). */
export type ServiceExternalTrafficPolicy = (typeof SERVICE_EXTERNAL_TRAFFIC_POLICIES)[number];

export const SERVICE_INTERNAL_TRAFFIC_POLICIES = ['Cluster', 'Local'] as const;
/** Local routes traffic from inside the cluster only to endpoints on the client's own node. */
export type ServiceInternalTrafficPolicy = (typeof SERVICE_INTERNAL_TRAFFIC_POLICIES)[number];

export const IP_FAMILIES = ['IPv4', 'IPv6'] as const;
export type IPFamily = (typeof IP_FAMILIES)[number];

export const IP_FAMILY_POLICIES = ['SingleStack', 'PreferDualStack', 'RequireDualStack'] as const;
export type IPFamilyPolicy = (typeof IP_FAMILY_POLICIES)[number];

export const LOAD_BALANCER_IP_MODES = ['VIP', 'Proxy'] as const;
/** VIP: nodes deliver traffic for the ingress IP themselves; Proxy: the load balancer rewrites the destination. */
export type LoadBalancerIPMode = (typeof LOAD_BALANCER_IP_MODES)[number];

/** "PreferClose" (deprecated alias of PreferSameZone), "PreferSameZone", "PreferSameNode". */
export type ServiceTrafficDistribution = 'PreferClose' | 'PreferSameZone' | 'PreferSameNode' | (string & {});

/** clusterIP "None" makes a headless Service: DNS returns the endpoints, kube-proxy ignores it. */
export const CLUSTER_IP_NONE = 'None';

/** An int32 or a string (intstr.IntOrString): a port number or an IANA_SVC_NAME naming a container port. */
export type IntOrString = number | string;

export interface ServicePort {
  /** Required (DNS label, unique) when there is more than one port. */
  name?: string;
  protocol?: Protocol;
  appProtocol?: string;
  port: number;
  /** Defaults to `port`; a name is looked up among each Pod's container ports. */
  targetPort?: IntOrString;
  /** Allocated from the NodePort range for NodePort/LoadBalancer Services when 0 or unset. */
  nodePort?: number;
}

export interface ClientIPConfig {
  /** 1–86400, default 10800 (3 hours). */
  timeoutSeconds?: number;
}

export interface SessionAffinityConfig {
  clientIP?: ClientIPConfig;
}

export interface PortStatus {
  port: number;
  protocol: Protocol;
  error?: string;
}

export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
  ipMode?: LoadBalancerIPMode;
  ports?: PortStatus[];
}

export interface LoadBalancerStatus {
  ingress?: LoadBalancerIngress[];
}

export interface ServiceSpec {
  ports?: ServicePort[] | null;
  /** A nil selector means the endpoints are managed by someone else (no EndpointSlice controller). */
  selector?: Record<string, string> | null;
  /** The primary family's ClusterIP; always equal to clusterIPs[0] once defaulted. */
  clusterIP?: string;
  clusterIPs?: string[] | null;
  type?: ServiceType;
  externalIPs?: string[];
  sessionAffinity?: ServiceAffinity;
  /** Deprecated: use a loadBalancerClass implementation's own field or annotation. */
  loadBalancerIP?: string;
  loadBalancerSourceRanges?: string[];
  externalName?: string;
  externalTrafficPolicy?: ServiceExternalTrafficPolicy;
  /** Allocated for LoadBalancer Services with externalTrafficPolicy Local. */
  healthCheckNodePort?: number;
  publishNotReadyAddresses?: boolean;
  sessionAffinityConfig?: SessionAffinityConfig;
  ipFamilies?: IPFamily[] | null;
  ipFamilyPolicy?: IPFamilyPolicy;
  allocateLoadBalancerNodePorts?: boolean;
  loadBalancerClass?: string;
  internalTrafficPolicy?: ServiceInternalTrafficPolicy;
  trafficDistribution?: ServiceTrafficDistribution;
}

export interface ServiceStatus {
  loadBalancer?: LoadBalancerStatus;
  /** metav1.Condition entries (e.g. set by load-balancer controllers). */
  conditions?: Condition[];
}

export interface Service extends KubernetesObject {
  spec?: ServiceSpec;
  status?: ServiceStatus;
}

// Well-known Service annotations (core/v1 annotation_key_constants.go).
/** "Auto" turns on topology-aware routing hints in the Service's EndpointSlices. */
export const ANNOTATION_TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
/** The deprecated spelling of ANNOTATION_TOPOLOGY_MODE, still honoured. */
export const ANNOTATION_TOPOLOGY_AWARE_HINTS = 'service.kubernetes.io/topology-aware-hints';
