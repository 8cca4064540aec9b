// svcnet's kubelet: the node agent and its kubelet API socket.
export { NodeAgent, nodeLeaseNamespace } from './agent.js';
export type { NodeAgentOptions } from './agent.js';
export { KubeletServer, kubeletSocketPath } from './kubelet-server.js';
export type { KubeletContext, KubeletServerOptions, StreamingHandler, StreamingHandlers } from './kubelet-server.js';
export { containerRuntimeVersion, initialNode, kubeletVersion, machineFacts, nodeStatus } from './node-status.js';
export type { NodeFacts } from './node-status.js';
