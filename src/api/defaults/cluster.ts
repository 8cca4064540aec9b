// The cluster-wide defaults (DESIGN.md "Defaults"), in one place: the address plan and the names
// that the API server, node agents, controllers and DNS must agree on. Flags may override them;
// nothing else should spell these literals.

/** --service-cluster-ip-range (kubeadm's default). */
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
/** The `kubernetes` Service's ClusterIP: the first address of the primary service CIDR. */
export const DEFAULT_KUBERNETES_SERVICE_IP = '10.96.0.1';
/** --cluster-dns: the kube-dns Service's ClusterIP, the 10th address (kubeadm's choice). */
export const DEFAULT_DNS_SERVICE_IP = '10.96.0.10';
/** --cluster-domain: Services are <svc>.<ns>.svc.cluster.local. */
export const CLUSTER_DOMAIN = 'cluster.local';

/** --cluster-cidr: Pod IPs; each node gets one /POD_CIDR_NODE_MASK_SIZE of it. */
export const DEFAULT_POD_CIDR = '10.244.0.0/16';
/** --node-cidr-mask-size: a /24 (254 Pods) per node. */
export const POD_CIDR_NODE_MASK_SIZE = 24;

/** The underlay network the nodes' eth0 share, inside svcnet's private underlay namespace. */
export const NODE_NETWORK_CIDR = '172.18.0.0/16';
/** The control plane's address on the node network: --advertise-address, the `kubernetes` endpoint. */
export const CONTROL_PLANE_ADDRESS = '172.18.0.1';
/** Node i is at NODE_NETWORK_CIDR's network + FIRST_NODE_OFFSET + i. */
export const FIRST_NODE_OFFSET = 10;
/** LoadBalancer IPs: the top of the node network, so they are routable from every node. */
export const DEFAULT_LOAD_BALANCER_POOL = '172.18.255.200-172.18.255.250';

/** --service-node-port-range. */
export const DEFAULT_NODE_PORT_RANGE = '30000-32767';
export const DEFAULT_NODE_PORT_BASE = 30000;
export const DEFAULT_NODE_PORT_SIZE = 2768;

/** --secure-port. */
export const DEFAULT_SECURE_PORT = 6443;
