// Public entry of the network plumbing for `svcnet up`: the only code in svcnet that runs `ip`.
export { ClusterNetwork } from './cluster-network.js';
export type { ClusterNetworkOptions, NodeNetwork, PodNetwork } from './cluster-network.js';
export { checkNetnsSupport, needsRootMessage } from './preflight.js';
export type { PreflightOptions } from './preflight.js';
export { IpTool } from './ip-command.js';
export type { IpToolOptions } from './ip-command.js';
export { CommandError, execFileRunner, nodeSpawner } from './exec.js';
export type { CommandResult, CommandRunner, Spawner } from './exec.js';
export {
  PodAddressPool,
  controlPlaneAddress,
  nodeAddress,
  nodeNetworkCidr,
  podCidrOf,
  podGatewayOf,
  podNetworkCidr,
  serviceCidr,
} from './addressing.js';
export {
  belongsToCluster,
  nodeNamespaceName,
  podNamespaceName,
  underlayNamespace,
  validateClusterName,
} from './names.js';
export { processesInNamespaces } from './processes.js';
