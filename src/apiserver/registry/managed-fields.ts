// Glue between the handlers and the pure field manager (api/apply): every write records who
// owns which fields in metadata.managedFields; apply requests merge under ownership rules.
import { conflictError, schemaFor, serverSideApply, trackUpdate } from '../../api/apply/index.js';
import type { KubeObject, ManagedFieldsEntry } from '../../api/meta.js';
import { checkTypes } from '../decode.js';
import { apiVersionOf, type ResourceDef } from '../resources.js';
import { pruneUnknownFields } from '../schema/known-fields.js';
import type { RequestContext, Strategy } from './strategy.js';

/** Sets next.metadata.managedFields for a create/update/patch by ctx.fieldManager. */
export function recordManagedFields(def: ResourceDef, current: KubeObject | undefined, next: KubeObject, ctx: RequestContext, subresource: string): void {
  const apiVersion = apiVersionOf(def);
  // A client that sends managedFields on update replaces them (upstream allows resetting with []).
  if (current && next.metadata.managedFields === undefined) next.metadata.managedFields = current.metadata.managedFields;
  const fields = trackUpdate(current, next, {
    manager: ctx.fieldManager,
    operation: 'Update',
    apiVersion,
    subresource: subresource || undefined,
    schema: schemaFor(apiVersion, def.kind),
    now: ctx.now,
  });
  if (fields.length) next.metadata.managedFields = fields as ManagedFieldsEntry[];
  else delete next.metadata.managedFields;
}

/**
 * Server-side apply of `applied` onto `current` (undefined: create). Throws the upstream 409 on
 * conflicts unless forced. The merged object gets the strategy's defaults, as upstream's
 * structured-merge manager runs the scheme defaulter on what it merged.
 */
export function applyServerSide(
  strategy: Pick<Strategy, 'def' | 'applyDefaults'>,
  current: KubeObject | undefined,
  applied: KubeObject,
  ctx: RequestContext,
  force: boolean,
  subresource: string,
): KubeObject {
  const def = strategy.def;
  const apiVersion = apiVersionOf(def);
  // Fields the Go type lacks are not part of the configuration (they were reported already by
  // fieldValidation): they own nothing and are not merged.
  pruneUnknownFields(def, applied as unknown as Record<string, unknown>);
  const result = serverSideApply(current, applied, {
    manager: ctx.fieldManager,
    force,
    apiVersion,
    schema: schemaFor(apiVersion, def.kind),
    now: ctx.now,
    subresource: subresource || undefined,
  });
  if ('conflicts' in result) {
    throw conflictError(def.group, def.kind, applied.metadata?.name ?? '', result.conflicts);
  }
  const merged = result.object as KubeObject;
  // A configuration value of the wrong type (ports: {…}, port: "80") fails here as it fails to
  // decode into the Go struct, before any default or validation looks at it.
  checkTypes(def, merged);
  // As the decoder, which reads a missing or null metadata as an empty ObjectMeta.
  if (merged.metadata === undefined || merged.metadata === null) merged.metadata = {};
  strategy.applyDefaults(merged);
  merged.metadata.managedFields = result.managedFields as ManagedFieldsEntry[];
  // Apply is not pinned to a resourceVersion unless the configuration names one.
  if (applied.metadata?.resourceVersion === undefined) delete merged.metadata.resourceVersion;
  return merged;
}
