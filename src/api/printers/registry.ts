// Which printer serves which kind; everything else gets apiserver's default table convertor.
import * as d from './descriptions.js';
import { parseTimestamp } from './duration.js';
import { eventPrinter } from './event.js';
import { nodePrinter } from './node.js';
import { podPrinter } from './pod.js';
import { endpointSlicePrinter, endpointsPrinter, servicePrinter } from './service.js';
import { configMapPrinter, leasePrinter, namespacePrinter, serviceAccountPrinter } from './simple.js';
import { column, type Printer } from './types.js';
import { deploymentPrinter, replicaSetPrinter } from './workloads.js';

const printers: ReadonlyMap<string, Printer> = new Map([
  ['/Namespace', namespacePrinter],
  ['/Service', servicePrinter],
  ['/Endpoints', endpointsPrinter],
  ['/Pod', podPrinter],
  ['/Node', nodePrinter],
  ['/Event', eventPrinter],
  ['/ConfigMap', configMapPrinter],
  ['/ServiceAccount', serviceAccountPrinter],
  ['discovery.k8s.io/EndpointSlice', endpointSlicePrinter],
  ['apps/Deployment', deploymentPrinter],
  ['apps/ReplicaSet', replicaSetPrinter],
  ['coordination.k8s.io/Lease', leasePrinter],
]);

/** The printer for a kind; group is "" for core/v1. */
export function printerFor(group: string, kind: string): Printer | undefined {
  return printers.get(`${group}/${kind}`);
}

const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * k8s.io/apiserver/pkg/registry/rest defaultTableConvertor: Name and "Created At", the latter an
 * RFC3339 UTC timestamp (not an age), Go's zero time when unset.
 */
export const defaultPrinter: Printer = {
  columns: [
    column('Name', 'string', d.metaName, { format: 'name' }),
    column('Created At', 'date', d.metaCreationTimestamp),
  ],
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  cells(obj: any): unknown[] {
    const ms = parseTimestamp(obj?.metadata?.creationTimestamp);
    const created = ms === undefined ? GO_ZERO_TIME : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return [obj?.metadata?.name ?? '', created];
  },
};
