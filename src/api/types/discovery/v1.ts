// discovery.k8s.io/v1 EndpointSlice (k8s.io/api discovery/v1 types.go) as JSON.
import type { KubernetesObject } from '../meta/v1.js';
import type { ObjectReference } from '../core/misc.js';
import type { Protocol } from '../core/service.js';

export const ADDRESS_TYPES = ['IPv4', 'IPv6', 'FQDN'] as const;
/** One family per slice: a dual-stack Service has IPv4 and IPv6 slices. FQDN is deprecated. */
export type AddressType = (typeof ADDRESS_TYPES)[number];

/** Nil ready and serving are read as true, nil terminating as false (as kube-proxy reads them). */
export interface EndpointConditions {
  /** Serving and not terminating: the endpoint takes new connections. */
  ready?: boolean;
  /** Passing readiness, regardless of termination (lets proxies fall back to terminating endpoints). */
  serving?: boolean;
  terminating?: boolean;
}

export interface ForZone {
  name: string;
}

export interface ForNode {
  name: string;
}

/** Topology-aware routing: which zones (or nodes) should use this endpoint. */
export interface EndpointHints {
  forZones?: ForZone[];
  forNodes?: ForNode[];
}

export interface Endpoint {
  /** 1–100 addresses of the slice's addressType; consumers treat them as fungible, most use the first. */
  addresses: string[];
  conditions?: EndpointConditions;
  hostname?: string;
  targetRef?: ObjectReference;
  /** Deprecated topology map (v1beta1); never set in v1. */
  deprecatedTopology?: Record<string, string>;
  nodeName?: string;
  zone?: string;
  hints?: EndpointHints;
}

/** discovery/v1 EndpointPort: every field optional; a nil port means "all ports". */
export interface EndpointPort {
  name?: string;
  protocol?: Protocol;
  port?: number;
  appProtocol?: string;
}

export interface EndpointSlice extends KubernetesObject {
  addressType: AddressType;
  /** No omitempty upstream: a slice with no endpoints marshals `"endpoints": null`. */
  endpoints: Endpoint[] | null;
  /** Empty means no ports are exposed; a port with nil port means all. */
  ports?: EndpointPort[] | null;
}

// Well-known labels (discovery/v1 well_known_labels.go, core/v1 well_known_labels.go).
/** The Service an EndpointSlice belongs to. */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
/** Which controller manages the slice; the EndpointSlice controller only touches its own. */
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
/** On Endpoints: "true" stops the mirroring controller from mirroring it. */
export const LABEL_SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
/** Present (empty value) on slices of Services without a ClusterIP. */
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';
export const ENDPOINTSLICE_CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io';
