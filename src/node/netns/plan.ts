// The iproute2 commands that build the topology, as pure functions of the address plan, so the
// shape is testable without root. Each returns the `ip -batch` lines for one namespace.
//
//   underlay ns: br0 172.18.0.1/16 ── veth-n<i> ══ eth0 (node i: 172.18.0.(10+i)/16, lo 10.244.i.1/32)
//   node i ns:   veth<hash> ══ eth0 (pod: 10.244.i.x/32, default via 10.244.i.1)
//
// Nodes route each other's pod /24 via the other node's IP on the shared L2 bridge, so Pod-to-Pod
// traffic is routed, never NATed, and the source Pod IP survives (as the Kubernetes network model
// requires). The underlay routes the pod /24s too, so replies from the control-plane address find
// their way back to Pods.
import {
  controlPlaneAddress,
  nodeAddress,
  nodeNetworkPrefix,
  podCidrOf,
  podGatewayOf,
  serviceCidr,
} from './addressing.js';
import { underlayVethName } from './names.js';

export const bridgeName = 'br0';
export const nodeInterface = 'eth0';
export const podInterface = 'eth0';

/** Inside the underlay namespace: the bridge and the control-plane address. */
export function underlayLines(): string[] {
  return [
    'link set lo up',
    `link add ${bridgeName} type bridge`,
    `addr add ${controlPlaneAddress}/${nodeNetworkPrefix} dev ${bridgeName}`,
    `link set ${bridgeName} up`,
  ];
}

/** Inside the underlay: node `index`'s veth pair (its far end lands in the node as eth0). */
export function underlayNodeLines(index: number, nodeNamespace: string): string[] {
  const veth = underlayVethName(index);
  return [
    `link add ${veth} type veth peer name ${nodeInterface} netns ${nodeNamespace}`,
    `link set ${veth} master ${bridgeName}`,
    `link set ${veth} up`,
    podCidrRouteLine(index, bridgeName),
  ];
}

/** Inside node `index`: addresses, the Service CIDR route and routes to the other nodes' Pods. */
export function nodeLines(index: number, otherIndexes: readonly number[]): string[] {
  const address = nodeAddress(index);
  return [
    'link set lo up',
    `addr add ${address}/${nodeNetworkPrefix} dev ${nodeInterface}`,
    `link set ${nodeInterface} up`,
    // The Pods' gateway is an address of the node itself. On lo it exists once however many Pods
    // there are, and the node answers ARP for it on every Pod veth (arp_ignore=0).
    `addr add ${podGatewayOf(index)}/32 dev lo`,
    // Without a route, connect() to a Service VIP from the node fails with ENETUNREACH before the
    // nat OUTPUT hook could DNAT it. A link route out eth0 (not a blackhole) gives the packet a
    // path, and the proxy's DNAT then reroutes it to the chosen endpoint.
    `route replace ${serviceCidr} dev ${nodeInterface} src ${address}`,
    ...otherIndexes.map((other) => podCidrRouteLine(other, nodeInterface)),
  ];
}

/** The route to node `index`'s pod /24 through that node's address. */
export function podCidrRouteLine(index: number, dev: string): string {
  return `route replace ${podCidrOf(index)} via ${nodeAddress(index)} dev ${dev}`;
}

export function podCidrRouteDeleteLine(index: number): string {
  return `route del ${podCidrOf(index)}`;
}

/** Inside the node: the Pod's veth pair and the host route to the Pod IP. */
export function nodePodLines(hostVeth: string, podNamespace: string, podIp: string): string[] {
  return [
    `link add ${hostVeth} type veth peer name ${podInterface} netns ${podNamespace}`,
    `link set ${hostVeth} up`,
    `route replace ${podIp}/32 dev ${hostVeth} scope link`,
  ];
}

/** Inside the Pod: its /32 and a default route through the node's gateway address. */
export function podLines(nodeIndex: number, podIp: string): string[] {
  const gateway = podGatewayOf(nodeIndex);
  return [
    'link set lo up',
    `addr add ${podIp}/32 dev ${podInterface}`,
    `link set ${podInterface} up`,
    // A /32 has no on-link subnet, so the gateway needs its own link-scope route first.
    `route add ${gateway} dev ${podInterface} scope link`,
    `route add default via ${gateway} dev ${podInterface}`,
  ];
}

/**
 * Node sysctls, set before any device exists so new devices take the `default` values. IPv4
 * settings of a new namespace are copied from the host's (net.core.devconf_inherit_init_net=0),
 * so rp_filter is pinned here rather than depending on the machine.
 */
export const nodeSysctls = {
  'net.ipv4.ip_forward': 1,
  'net.ipv4.conf.all.rp_filter': 0,
  'net.ipv4.conf.default.rp_filter': 0,
} as const;
