// Checks, before `svcnet up` starts anything, that this process can build the cluster network.
import { randomBytes } from 'node:crypto';
import { IpTool } from './ip-command.js';
import type { IpToolOptions } from './ip-command.js';
import { namespacePrefix } from './names.js';

export const needsRootMessage = 'svcnet up needs root: network namespaces are created with ip netns (run as root)';

export interface PreflightOptions extends IpToolOptions {
  /** Effective uid; defaults to process.geteuid(). */
  readonly uid?: number;
}

/**
 * Undefined when network namespaces can be made here, else a one-line reason. It really creates
 * and deletes a namespace: root alone is not enough in a container without CAP_SYS_ADMIN or a
 * writable /run.
 */
export async function checkNetnsSupport(options: PreflightOptions = {}): Promise<string | undefined> {
  const uid = options.uid ?? process.geteuid?.();
  if (uid !== 0) return needsRootMessage;
  const ip = new IpTool(options);
  try {
    await ip.listNamespaces();
  } catch (err) {
    const code = (err as { exitCode?: unknown }).exitCode;
    if (code === 'ENOENT') return 'svcnet up needs iproute2: the ip command was not found (install iproute2)';
    return `svcnet up cannot list network namespaces: ${firstLine(err)}`;
  }
  // Not a `svcnet-<cluster>-…` shape any cluster name can produce (cluster names have no dash
  // and the rest of the name is underlay, node-… or pod-…), so cleanupStale never sees it.
  const probe = `${namespacePrefix}preflight-${process.pid}-${randomBytes(3).toString('hex')}`;
  try {
    await ip.addNamespaces([probe]);
  } catch (err) {
    return `svcnet up cannot create network namespaces: ${firstLine(err)}`;
  }
  try {
    await ip.execIn(probe, ['ip', 'link', 'set', 'lo', 'up']);
  } catch (err) {
    return `svcnet up cannot enter network namespaces: ${firstLine(err)}`;
  } finally {
    await ip.deleteNamespaces([probe]).catch(() => {});
  }
  return undefined;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
