// printDeployment and printReplicaSet from pkg/printers/internalversion/printers.go.
import * as d from './descriptions.js';
import { translateTimestampSince } from './duration.js';
import { formatLabelSelector, labelSelectorString, layoutContainerCells } from './labels.js';
import { column, type Printer } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

// Stored objects are defaulted (replicas nil -> 1), which is what the internal printer sees.
function desiredReplicas(obj: Obj): number {
  return obj?.spec?.replicas ?? 1;
}

export const deploymentPrinter: Printer = {
  columns: [
    column('Name', 'string', d.metaName, { format: 'name' }),
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', d.deploymentStatusUpdatedReplicas),
    column('Available', 'string', d.deploymentStatusAvailableReplicas),
    column('Age', 'string', d.metaCreationTimestamp),
    column('Containers', 'string', d.containersInTemplate, { priority: 1 }),
    column('Images', 'string', d.imagesInTemplate, { priority: 1 }),
    column('Selector', 'string', d.deploymentSpecSelector, { priority: 1 }),
  ],
  cells(dep: Obj, now: Date): unknown[] {
    const status = dep?.status ?? {};
    const [containers, images] = layoutContainerCells(dep?.spec?.template?.spec?.containers);
    // Unlike ReplicaSet, Deployment prints selector.String() directly: "" when empty.
    const selector = labelSelectorString(dep?.spec?.selector) ?? '<invalid>';
    return [
      dep?.metadata?.name ?? '',
      `${status.readyReplicas ?? 0}/${desiredReplicas(dep)}`,
      status.updatedReplicas ?? 0,
      status.availableReplicas ?? 0,
      translateTimestampSince(dep?.metadata?.creationTimestamp, now),
      containers,
      images,
      selector,
    ];
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    column('Name', 'string', d.metaName, { format: 'name' }),
    column('Desired', 'integer', d.replicaSetSpecReplicas),
    column('Current', 'integer', d.replicaSetStatusReplicas),
    column('Ready', 'integer', d.replicaSetStatusReadyReplicas),
    column('Age', 'string', d.metaCreationTimestamp),
    column('Containers', 'string', d.containersInTemplate, { priority: 1 }),
    column('Images', 'string', d.imagesInTemplate, { priority: 1 }),
    column('Selector', 'string', d.replicaSetSpecSelector, { priority: 1 }),
  ],
  cells(rs: Obj, now: Date): unknown[] {
    const status = rs?.status ?? {};
    const [containers, images] = layoutContainerCells(rs?.spec?.template?.spec?.containers);
    return [
      rs?.metadata?.name ?? '',
      desiredReplicas(rs),
      status.replicas ?? 0,
      status.readyReplicas ?? 0,
      translateTimestampSince(rs?.metadata?.creationTimestamp, now),
      containers,
      images,
      formatLabelSelector(rs?.spec?.selector),
    ];
  },
};
