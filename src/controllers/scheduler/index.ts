// The scheduler: binds Pods to Nodes.
export { DEFAULT_SCHEDULER_NAME, Scheduler, type SchedulerOptions } from './scheduler.js';
export {
  effectiveTaints,
  filterNode,
  fitErrorMessage,
  matchesNodeAffinity,
  NO_NODES_AVAILABLE,
  toleratesTaint,
} from './filters.js';
export { pickNode } from './score.js';
