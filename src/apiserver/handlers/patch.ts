// PATCH in its four content types: JSON patch, merge patch, strategic merge patch and
// server-side apply. The patch is applied to the current object inside the store's
// read-modify-write loop, so concurrent writers retry instead of losing updates.
import { apiErrors } from '../../api/errors.js';
import type { KubeObject } from '../../api/meta.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, patchMetaFor } from '../../api/patch/index.js';
import { decodeObject, mediaType, parseJSONBody, parseYAMLBody } from '../decode.js';
import { checkUnknownFieldsInObject } from '../field-validation.js';
import { header, readBody } from '../http.js';
import { applyServerSide, recordManagedFields } from '../registry/managed-fields.js';
import { apiVersionOf } from '../resources.js';
import { requestContext, respondObject, type ResourceCall } from './context.js';

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
const APPLY_PATCH_YAML = 'application/apply-patch+yaml';

export async function handlePatch(call: ResourceCall): Promise<void> {
  const contentType = header(call.req, 'content-type');
  const type = mediaType(contentType);
  if (![JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH_YAML].includes(type)) {
    throw apiErrors.unsupportedMediaType(contentType);
  }
  const ctx = requestContext(call);
  const body = await readBody(call.req);
  const def = call.store.def;
  const sub = call.info.subresource;
  const q = call.req.query;

  if (type === APPLY_PATCH_YAML) {
    if (!q.get('fieldManager')) {
      throw apiErrors.badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    }
    const applied = parseYAMLBody(body, 'error decoding YAML');
    if (!applied || typeof applied !== 'object' || Array.isArray(applied)) {
      throw apiErrors.badRequest('error decoding YAML: the apply configuration must be an object');
    }
    const cfg = applied as KubeObject;
    if (cfg.apiVersion !== apiVersionOf(def) || cfg.kind !== def.kind) {
      throw apiErrors.badRequest(
        `the API version in the data (${String(cfg.apiVersion)}) does not match the expected API version (${apiVersionOf(def)})`,
      );
    }
    checkUnknownFieldsInObject(call, cfg);
    const force = q.get('force') === 'true';
    const { object, created } = await call.store.guaranteedUpdate(
      call.info.namespace,
      call.info.name,
      ctx,
      (current) => applyServerSide(call.store.strategy, current, cfg, ctx, force, sub),
      { subresource: sub || undefined, allowCreate: true },
    );
    respondObject(call, created ? 201 : 200, object);
    return;
  }

  const patch = parseJSONBody(body, 'error decoding patch');
  const { object } = await call.store.guaranteedUpdate(
    call.info.namespace,
    call.info.name,
    ctx,
    (current) => {
      if (!current) throw apiErrors.notFound(call.store.groupResource, call.info.name);
      let patched: unknown;
      if (type === JSON_PATCH) patched = applyJsonPatch(current, patch);
      else if (type === MERGE_PATCH) patched = applyMergePatch(current, patch);
      else patched = applyStrategicMergePatch(current, patch, patchMetaFor(apiVersionOf(def), def.kind));
      if (patched && typeof patched === 'object' && !Array.isArray(patched)) checkUnknownFieldsInObject(call, patched as KubeObject);
      // Re-decode so defaults apply to what the patch added, as the upstream codec does.
      const next = decodeObject(Buffer.from(JSON.stringify(patched)), 'application/json', def);
      if (!next.metadata.resourceVersion) next.metadata.resourceVersion = undefined;
      // Patches without a resourceVersion are not pinned: the loop retries on conflict.
      if ((patch as { metadata?: { resourceVersion?: string } })?.metadata?.resourceVersion === undefined) {
        delete next.metadata.resourceVersion;
      }
      recordManagedFields(def, current, next, ctx, sub);
      return next;
    },
    { subresource: sub || undefined },
  );
  respondObject(call, 200, object);
}
