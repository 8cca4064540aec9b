// Server-side printing: meta.k8s.io/v1 Tables for `kubectl get` (see research/api.md §5d).
export type { Printer, TableColumnDefinition, TableRowCondition } from './types.js';
export { humanDuration, translateTimestampSince } from './duration.js';
export { printerFor, defaultPrinter } from './registry.js';
export { buildTable, includeObjectPolicies } from './table.js';
export type { BuildTableOptions, IncludeObjectPolicy, Table, TableRow } from './table.js';
