// printNode from pkg/printers/internalversion/printers.go.
import * as d from './descriptions.js';
import { translateTimestampSince } from './duration.js';
import { byteCompare } from './labels.js';
import { column, type Printer } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

const LABEL_NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_LABEL_ROLE = 'kubernetes.io/role';

/** Ready/NotReady from the (last) Ready condition, else Unknown; plus SchedulingDisabled. */
export function nodeStatus(node: Obj): string {
  let ready: Obj;
  // Upstream builds a map by type, so the last Ready condition wins.
  for (const c of node?.status?.conditions ?? []) if (c?.type === 'Ready') ready = c;
  const status: string[] = [];
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (node?.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** findNodeRoles: node-role.kubernetes.io/<role> keys and kubernetes.io/role values, sorted. */
export function nodeRoles(node: Obj): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries<string>(node?.metadata?.labels ?? {})) {
    if (k.startsWith(LABEL_NODE_ROLE_PREFIX)) {
      const role = k.slice(LABEL_NODE_ROLE_PREFIX.length);
      if (role.length > 0) roles.add(role);
    } else if (k === NODE_LABEL_ROLE && v !== '') {
      roles.add(v);
    }
  }
  const joined = [...roles].sort(byteCompare).join(',');
  return joined.length === 0 ? '<none>' : joined;
}

function firstAddress(node: Obj, type: string): string {
  const a = (node?.status?.addresses ?? []).find((x: Obj) => x?.type === type);
  return a ? a.address : '<none>';
}

export const nodePrinter: Printer = {
  columns: [
    column('Name', 'string', d.metaName, { format: 'name' }),
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    column('Age', 'string', d.metaCreationTimestamp),
    column('Version', 'string', d.nodeInfoKubeletVersion),
    column('Internal-IP', 'string', d.nodeStatusAddresses, { priority: 1 }),
    column('External-IP', 'string', d.nodeStatusAddresses, { priority: 1 }),
    column('OS-Image', 'string', d.nodeInfoOSImage, { priority: 1 }),
    column('Kernel-Version', 'string', d.nodeInfoKernelVersion, { priority: 1 }),
    column('Container-Runtime', 'string', d.nodeInfoContainerRuntimeVersion, { priority: 1 }),
  ],
  cells(node: Obj, now: Date): unknown[] {
    const info = node?.status?.nodeInfo ?? {};
    return [
      node?.metadata?.name ?? '',
      nodeStatus(node),
      nodeRoles(node),
      translateTimestampSince(node?.metadata?.creationTimestamp, now),
      info.kubeletVersion ?? '',
      firstAddress(node, 'InternalIP'),
      firstAddress(node, 'ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ];
  },
};
