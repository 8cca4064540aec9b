// Apply conflicts and the 409 that reports them, rendered as
// k8s.io/apimachinery/pkg/util/managedfields/internal/conflict.go (NewConflictError) and
// errors.NewApplyConflict do: kubectl recognises it and prints its --force-conflicts advice.
import { StatusError } from '../errors.js';
import type { StatusCause } from '../errors.js';
import type { ConflictSets } from './field-manager.js';
import type { Managed, ManagedFieldsOperation } from './managed-fields.js';
import { pathToString } from './path-element.js';

export interface Conflict {
  /** The other manager's name. */
  readonly manager: string;
  readonly operation: ManagedFieldsOperation;
  readonly apiVersion: string;
  readonly subresource?: string;
  /** The path as upstream prints it, e.g. `.spec.replicas` or `.spec.ports[port=80,protocol="TCP"].targetPort`. */
  readonly field: string;
}

/** Flattens conflict sets, ordered by manager identifier and then by upstream's Set.Iterate order. */
export function conflictsFrom(sets: ConflictSets, managed: Managed): Conflict[] {
  const out: Conflict[] = [];
  for (const id of [...sets.keys()].sort()) {
    const info = managed.get(id)?.info;
    if (!info) continue;
    for (const p of sets.get(id)!.paths()) {
      out.push({
        manager: info.manager,
        operation: info.operation,
        apiVersion: info.apiVersion,
        ...(info.subresource ? { subresource: info.subresource } : {}),
        field: pathToString(p),
      });
    }
  }
  return out;
}

/** printManager: `"kubectl"`, or `"kubectl-scale" with subresource "scale" using apps/v1` for updaters. */
function printManager(c: Conflict): string {
  let s = JSON.stringify(c.manager);
  if (c.subresource) s = `${s} with subresource ${JSON.stringify(c.subresource)}`;
  return c.operation === 'Update' ? `${s} using ${c.apiVersion}` : s;
}

function groupKey(c: Conflict): string {
  // Upstream groups by the manager identifier JSON and sorts those strings.
  const o: Record<string, string> = { manager: c.manager, operation: c.operation };
  if (c.operation !== 'Apply' && c.apiVersion) o['apiVersion'] = c.apiVersion;
  if (c.subresource) o['subresource'] = c.subresource;
  return JSON.stringify(o);
}

export function conflictMessage(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    return `Apply failed with 1 conflict: conflict with ${printManager(c)}: ${c.field}`;
  }
  const groups = new Map<string, Conflict[]>();
  for (const c of conflicts) {
    const k = groupKey(c);
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  const lines: string[] = [];
  for (const k of [...groups.keys()].sort()) {
    const g = groups.get(k)!;
    lines.push(`conflicts with ${printManager(g[0]!)}:`);
    for (const c of g) lines.push(`- ${c.field}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/**
 * The 409 Conflict for an apply. Upstream's NewApplyConflict carries only the causes in details
 * (no name, group or kind), so those arguments are accepted for the caller's convenience but not
 * rendered.
 */
export function conflictError(_group: string, _kind: string, _name: string, conflicts: readonly Conflict[]): StatusError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c)}`,
    field: c.field,
  }));
  return new StatusError(409, 'Conflict', conflictMessage(conflicts), { causes });
}
