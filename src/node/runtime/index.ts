// The node runtime: Pods as processes in network namespaces (see README.md).
export { NodeRuntime } from './runtime.js';
export type { ContainerLookup } from './runtime.js';
export { PodWorker } from './pod-worker.js';
export type { ContainerProcessInfo, PodWorkerDeps } from './pod-worker.js';
export { AttachedNodeNetwork, nodeViewOf } from './pod-network.js';
export type { NodePodNetwork, PodSandbox } from './pod-network.js';
export { enterContainerArgv, launcherArgv } from './container-process.js';
export { execInContainer } from './handlers.js';
export { CrashLoopBackoff, formatDuration } from './backoff.js';
export { makeEnvironmentVariables, serviceEnvVars, serviceEnvVarMap, expandCommandAndArgs, fieldRefValue } from './env.js';
export { expand, mappingFuncFor } from './expansion.js';
export { formatResolvConf, managedHostsFile, parseResolvConf, podDNSConfig, podHostnameAndDomain } from './dns-config.js';
export { CriLogWriter, parseCriLog, readCriLog, rfc3339Nano } from './cri-log.js';
export { directProber, HelperProber } from './net-prober.js';
export type { NetProber, ProbeResult } from './net-prober.js';
export { hostPortMappings, hostPortRuleset } from './host-ports.js';
export { buildPodStatus, podPhase } from './pod-status.js';
export type * from './types.js';
