// Public entry of the allocators: ClusterIP and NodePort ranges (pure bitmaps), their persisted,
// multi-API-server-safe form (one store key per allocated value), transactions, the repair
// loops and the registry's error shapes.
export { AllocationBitmap, bandOffset, defaultRandom } from './bitmap.js';
export type { RandomSource } from './bitmap.js';
export {
  AllocationError,
  AlreadyAllocatedError,
  InvalidValueError,
  NotInRangeError,
  RangeFullError,
} from './errors.js';
export type { AllocationErrorCode } from './errors.js';
export {
  ClusterIPRange,
  maxServiceCIDRBits,
  parseServiceClusterIPRanges,
  validateMaxCIDRRange,
} from './cluster-ip.js';
export type { ClusterIPRangeOptions } from './cluster-ip.js';
export { NodePortRange, defaultNodePortRange, formatPortRange, parsePortRange } from './node-port.js';
export type { NodePortRangeOptions, PortRange } from './node-port.js';
export type { RangeCore } from './range-core.js';
export { itemKey, itemsPrefix, metaKey } from './allocation-keys.js';
export {
  decodeRangeAllocation,
  encodeRangeAllocation,
  secondaryServiceIPsKey,
  serviceIPsKey,
  serviceNodePortsKey,
} from './range-allocation.js';
export type { RangeAllocation } from './range-allocation.js';
export { PersistedAllocator } from './persisted.js';
export type { AllocatorStats, DryRunOption, StoredValues } from './persisted.js';
export { AllocationTransaction, BoundTransaction } from './transaction.js';
export type { TransactionOptions } from './transaction.js';
export {
  numRepairsBeforeLeakCleanup,
  repairClusterIPs,
  repairNodePorts,
} from './repair.js';
export type {
  ClusterIPAllocator,
  EventRecorder,
  EventType,
  LeakCounters,
  NodePortAllocator,
  RepairResult,
  ServiceSource,
} from './repair.js';
export {
  clusterIPAllocateError,
  clusterIPFieldError,
  healthCheckNodePortError,
  nodePortAllocateError,
  nodePortAllocateNextError,
  nodePortFieldError,
  serviceIPAllocateNextError,
} from './service-errors.js';
