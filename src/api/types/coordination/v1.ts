// coordination.k8s.io/v1 Lease (k8s.io/api coordination/v1 types.go) as JSON: node heartbeats
// (kube-node-lease) and leader election.
import type { KubernetesObject, MicroTime } from '../meta/v1.js';

export type CoordinatedLeaseStrategy = 'OldestEmulationVersion' | (string & {});

export interface LeaseSpec {
  /** The node name for node leases; the candidate identity for leader election. */
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: MicroTime | null;
  /** Moves on every heartbeat; the node-lifecycle controller watches it. */
  renewTime?: MicroTime | null;
  leaseTransitions?: number;
  strategy?: CoordinatedLeaseStrategy;
  preferredHolder?: string;
}

export interface Lease extends KubernetesObject {
  spec?: LeaseSpec;
}

/** Where node heartbeat Leases live (one per node, named after it). */
export const NAMESPACE_NODE_LEASE = 'kube-node-lease';
