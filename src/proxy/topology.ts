// CategorizeEndpoints (pkg/proxy/topology.go): which endpoints a node uses for Cluster and for
// Local traffic policy, taking topology hints and terminating endpoints into account.
import type { EndpointInfo } from './model/endpoint.js';
import { usesClusterEndpoints, usesLocalEndpoints, type ServicePortInfo } from './model/service-port.js';

/** v1.LabelTopologyZone. */
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';

export interface CategorizedEndpoints {
  /** Usable endpoints for Cluster policy; undefined if the Service never uses Cluster policy. */
  readonly clusterEndpoints: EndpointInfo[] | undefined;
  /** Usable endpoints for Local policy; undefined if the Service never uses Local policy. */
  readonly localEndpoints: EndpointInfo[] | undefined;
  /** Union of the two: every endpoint this node may send traffic to (gets an endpoint chain). */
  readonly allReachableEndpoints: EndpointInfo[];
  /** Some usable endpoint exists anywhere in the cluster (even if none is reachable from here). */
  readonly hasAnyEndpoints: boolean;
}

export interface TopologyOptions {
  readonly nodeName: string;
  readonly nodeLabels: Readonly<Record<string, string>>;
  /** Feature gate PreferSameTrafficDistribution (GA 1.35): honour node hints. Default true. */
  readonly preferSameNode?: boolean;
}

type TopologyMode = '' | 'PreferSameZone' | 'PreferSameNode';

/**
 * Uses the hints only if every Ready endpoint carries one and at least one is meant for this
 * node (or its zone); otherwise all endpoints, so a missing hint can never black-hole traffic.
 */
function topologyModeFromHints(endpoints: readonly EndpointInfo[], nodeName: string, zone: string, preferSameNode: boolean): TopologyMode {
  let hasReady = false;
  let allNodeHints = true;
  let forNode = false;
  let allZoneHints = true;
  let forZone = false;
  for (const ep of endpoints) {
    if (!ep.ready) continue;
    hasReady = true;
    if (!ep.nodeHints?.size) allNodeHints = false;
    else if (ep.nodeHints.has(nodeName)) forNode = true;
    if (!ep.zoneHints?.size) allZoneHints = false;
    else if (ep.zoneHints.has(zone)) forZone = true;
  }
  if (!hasReady) return '';
  if (preferSameNode && allNodeHints && forNode) return 'PreferSameNode';
  if (allZoneHints && forZone) return 'PreferSameZone';
  return '';
}

function availableForTopology(ep: EndpointInfo, mode: TopologyMode, nodeName: string, zone: string): boolean {
  if (mode === '') return true;
  if (mode === 'PreferSameNode') return ep.nodeHints?.has(nodeName) ?? false;
  return ep.zoneHints?.has(zone) ?? false;
}

export function categorizeEndpoints(
  endpoints: readonly EndpointInfo[],
  svc: ServicePortInfo,
  opts: TopologyOptions,
): CategorizedEndpoints {
  if (endpoints.length === 0) {
    return {
      clusterEndpoints: undefined,
      localEndpoints: undefined,
      allReachableEndpoints: [],
      hasAnyEndpoints: false,
    };
  }
  const { nodeName } = opts;
  const zone = opts.nodeLabels[LABEL_TOPOLOGY_ZONE] ?? '';
  let hasAnyEndpoints = false;
  let mode: TopologyMode = '';
  let clusterEndpoints: EndpointInfo[] | undefined;
  if (usesClusterEndpoints(svc)) {
    mode = topologyModeFromHints(endpoints, nodeName, zone, opts.preferSameNode ?? true);
    clusterEndpoints = endpoints.filter((ep) => ep.ready && availableForTopology(ep, mode, nodeName, zone));
    // No Ready endpoint anywhere (topology was already dropped if none matched): fall back to
    // serving-and-terminating ones (KEP-1669), ignoring topology.
    if (clusterEndpoints.length === 0) clusterEndpoints = endpoints.filter((ep) => ep.serving && ep.terminating);
    if (clusterEndpoints.length > 0) hasAnyEndpoints = true;
  }
  if (!usesLocalEndpoints(svc)) {
    return { clusterEndpoints, localEndpoints: undefined, allReachableEndpoints: clusterEndpoints ?? [], hasAnyEndpoints };
  }

  let hasLocalReady = false;
  let hasLocalServingTerminating = false;
  for (const ep of endpoints) {
    if (ep.ready) {
      hasAnyEndpoints = true;
      if (ep.isLocal) hasLocalReady = true;
    } else if (ep.serving && ep.terminating) {
      hasAnyEndpoints = true;
      if (ep.isLocal) hasLocalServingTerminating = true;
    }
  }
  let localEndpoints: EndpointInfo[] = [];
  let useServingTerminating = false;
  if (hasLocalReady) {
    localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.ready);
  } else if (hasLocalServingTerminating) {
    useServingTerminating = true;
    localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.serving && ep.terminating);
  }
  if (!usesClusterEndpoints(svc)) {
    return { clusterEndpoints: undefined, localEndpoints, allReachableEndpoints: localEndpoints, hasAnyEndpoints };
  }
  // Without topology and terminating fallback, the cluster list already holds every local one.
  if (mode === '' && !useServingTerminating) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: clusterEndpoints!, hasAnyEndpoints };
  }
  // Merge, keeping the input (sorted) order so rendered rules stay stable.
  const inEither = new Set<string>();
  for (const ep of clusterEndpoints!) inEither.add(ep.endpoint);
  for (const ep of localEndpoints) inEither.add(ep.endpoint);
  const allReachableEndpoints = endpoints.filter((ep) => inEither.has(ep.endpoint));
  return { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints };
}
