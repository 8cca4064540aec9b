// Public entry of the node's streaming endpoints (logs, exec, port-forward tunnels).
export { NodeStreamingServer, EXEC_PROTOCOL } from './server.js';
export type { NodeStreamingOptions } from './server.js';
export { ContainerStateError } from './runtime.js';
export type { ExecTarget, LogTarget, PodSandbox, StreamingRuntime } from './runtime.js';
export { containerLogInstance } from './container-status.js';
export type { LogInstance, PodStatusLike } from './container-status.js';
export { formatCriLine, parseCriLine, formatTimeNanos, parseTimeNanos } from '../runtime/cri-log.js';
export type { CriLogEntry } from '../runtime/cri-log.js';
export { NetnsDialer, DialError } from './netns-dialer.js';
export { TUNNEL_PROTOCOL } from './port-forward.js';
export { enterArgv } from './exec.js';
export { nodeStreamingHandlers, streamingRuntimeOf } from './agent-handlers.js';
export type { NodeStreamingHandlers } from './agent-handlers.js';
