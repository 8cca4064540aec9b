// Opens the persisted ClusterIP and NodePort allocators and exposes them to the Service
// registry as one AllocationTxn per write.
import {
  AllocationTransaction,
  ClusterIPRange,
  NodePortRange,
  PersistedAllocator,
  parseServiceClusterIPRanges,
  secondaryServiceIPsKey,
  serviceIPsKey,
  serviceNodePortsKey,
} from '../../../allocators/index.js';
import { DEFAULT_NODE_PORT_RANGE, DEFAULT_SERVICE_CIDR } from '../../../api/defaults/cluster.js';
import type { Storage } from '../../../storage/types.js';
import type { ServiceAllocation } from './strategy.js';
import type { IPFamily } from '../../../api/types/core/v1.js';
import type { AllocationTxn } from './types.js';

export interface ServiceAllocators extends ServiceAllocation {
  readonly ipRanges: ReadonlyMap<IPFamily, PersistedAllocator<string, ClusterIPRange>>;
  readonly nodePorts: PersistedAllocator<number, NodePortRange>;
  /** The first IP of the primary range: the `kubernetes` Service's ClusterIP. */
  readonly kubernetesServiceIP: string;
  readonly primaryCIDR: string;
}

export async function openServiceAllocators(
  storage: Storage,
  opts: { serviceClusterIPRange?: string; serviceNodePortRange?: string } = {},
): Promise<ServiceAllocators> {
  const cidrs = parseServiceClusterIPRanges(opts.serviceClusterIPRange ?? DEFAULT_SERVICE_CIDR);
  const ipRanges = new Map<IPFamily, PersistedAllocator<string, ClusterIPRange>>();
  const families: IPFamily[] = [];
  for (const [i, cidr] of cidrs.entries()) {
    const range = new ClusterIPRange(cidr);
    const alloc = await PersistedAllocator.open(storage, i === 0 ? serviceIPsKey : secondaryServiceIPsKey, range);
    ipRanges.set(range.family, alloc);
    families.push(range.family);
  }
  const portRange = new NodePortRange(opts.serviceNodePortRange ?? DEFAULT_NODE_PORT_RANGE);
  const nodePorts = await PersistedAllocator.open(storage, serviceNodePortsKey, portRange);
  const primaryRange = new ClusterIPRange(cidrs[0]!);

  const ipAllocator = (family: IPFamily) => {
    const a = ipRanges.get(family);
    if (!a) throw new Error(`${family} is not configured on this cluster`);
    return a;
  };
  return {
    ipConfig: { families },
    ipRanges,
    nodePorts,
    primaryCIDR: cidrs[0]!,
    kubernetesServiceIP: primaryRange.ipAt(0),
    begin(dryRun: boolean): AllocationTxn {
      const txn = new AllocationTransaction({ dryRun });
      return {
        dryRun,
        allocateIP: (family, ip) => txn.allocate(ipAllocator(family), ip),
        allocateNextIP: (family) => txn.allocateNext(ipAllocator(family)),
        releaseIPDeferred: (family, ip) => {
          const a = ipRanges.get(family);
          // A family no longer configured has nothing to release, as upstream logs and skips.
          if (a) txn.releaseOnCommit(a, ip);
        },
        allocatePort: (port) => txn.allocate(nodePorts, port),
        allocateNextPort: () => txn.allocateNext(nodePorts),
        releasePortDeferred: (port) => txn.releaseOnCommit(nodePorts, port),
        commit: () => txn.commit(),
        revert: () => txn.revert(),
      };
    },
  };
}
