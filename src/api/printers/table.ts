// Assembles a meta.k8s.io/v1 Table the way kube-apiserver's asTable (handlers/response.go) does.
import type { Printer, TableColumnDefinition, TableRowCondition } from './types.js';

export const includeObjectPolicies = ['None', 'Metadata', 'Object'] as const;
export type IncludeObjectPolicy = (typeof includeObjectPolicies)[number];

export interface BuildTableOptions {
  now: Date;
  includeObject: IncludeObjectPolicy;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

// Type aliases (not interfaces) so callers may treat a Table as a plain JSON record.
export type TableRow = {
  cells: unknown[];
  conditions?: TableRowCondition[];
  /** null for includeObject=None, as Go's empty RawExtension marshals. */
  object: unknown;
};

export type Table = {
  kind: 'Table';
  /** We build v1; the handler may relabel for clients that asked for meta.k8s.io/v1beta1. */
  apiVersion: 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  /** null when headers are suppressed (watch events after the first), like Go's nil slice. */
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function rowObject(obj: any, policy: IncludeObjectPolicy): unknown {
  switch (policy) {
    case 'None':
      return null;
    case 'Object':
      return obj;
    case 'Metadata':
      // meta.AsPartialObjectMetadata copies every ObjectMeta field, managedFields included.
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj?.metadata ?? {} };
  }
}

/**
 * One row per object, every column (wide ones too: kubectl filters by priority). For a list pass
 * the list's resourceVersion/continue/remainingItemCount; for a single object or a watch event
 * pass the object's resourceVersion.
 */
export function buildTable(
  printer: Printer,
  objects: readonly unknown[],
  opts: BuildTableOptions,
  withColumnDefinitions = true,
): Table {
  const metadata: Table['metadata'] = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount != null) metadata.remainingItemCount = opts.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: withColumnDefinitions ? printer.columns.map((c) => ({ ...c })) : null,
    rows: objects.map((obj) => {
      const row: TableRow = { cells: printer.cells(obj, opts.now), object: rowObject(obj, opts.includeObject) };
      const conditions = printer.conditions?.(obj);
      if (conditions && conditions.length > 0) {
        // Keep JSON key order as Go emits it: cells, conditions, object.
        return { cells: row.cells, conditions, object: row.object };
      }
      return row;
    }),
  };
}
