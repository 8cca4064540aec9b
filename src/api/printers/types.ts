// Shapes of meta.k8s.io/v1 Table pieces, as kube-apiserver serialises them.

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/**
 * A server-side printer for one kind (pkg/printers/internalversion). The server always prints with
 * Wide=true (pkg/printers/storage TableConvertor), so `cells` returns one cell per column, priority-1
 * columns included; kubectl hides priority>0 columns unless `-o wide`.
 */
export interface Printer {
  readonly columns: readonly TableColumnDefinition[];
  // Objects are versioned JSON as stored (already defaulted), hence `any`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  cells(obj: any, now: Date): unknown[];
  /** Row conditions (only Pods set them: Completed for Succeeded/Failed pods). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  conditions?(obj: any): TableRowCondition[] | undefined;
}

/** Builds a column with Go's zero values for the fields upstream leaves unset. */
export function column(
  name: string,
  type: string,
  description: string,
  opts: { format?: string; priority?: number } = {},
): TableColumnDefinition {
  return { name, type, format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}
