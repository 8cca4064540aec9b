// POST (create), PUT (update) and DELETE of resources.
import { apiErrors } from '../../api/errors.js';
import type { KubeObject } from '../../api/meta.js';
import { decodeObject } from '../decode.js';
import { checkUnknownFields } from '../field-validation.js';
import { header, readBody, writeJSON } from '../http.js';
import { recordManagedFields } from '../registry/managed-fields.js';
import { buildPredicate } from '../registry/predicate.js';
import type { DeleteOptions } from '../registry/store.js';
import { requestContext, respondObject, type ResourceCall } from './context.js';

export async function handleCreate(call: ResourceCall): Promise<void> {
  const ctx = requestContext(call);
  const body = await readBody(call.req);
  const contentType = header(call.req, 'content-type');
  const parsed = checkUnknownFields(call, body, contentType);
  const obj = decodeObject(body, contentType, call.store.def, call.store.def, parsed);
  recordManagedFields(call.store.def, undefined, obj, ctx, '');
  const created = await call.store.create(call.info.namespace, obj, ctx);
  respondObject(call, 201, created);
}

export async function handleUpdate(call: ResourceCall): Promise<void> {
  const ctx = requestContext(call);
  const body = await readBody(call.req);
  const contentType = header(call.req, 'content-type');
  const parsed = checkUnknownFields(call, body, contentType);
  const obj = decodeObject(body, contentType, call.store.def, call.store.def, parsed);
  const sub = call.info.subresource;
  const { object, created } = await call.store.guaranteedUpdate(
    call.info.namespace,
    call.info.name,
    ctx,
    (current) => {
      const next = structuredClone(obj);
      recordManagedFields(call.store.def, current, next, ctx, sub);
      return next;
    },
    { subresource: sub || undefined, allowCreate: call.store.strategy.allowCreateOnUpdate },
  );
  respondObject(call, created ? 201 : 200, object);
}

/** DeleteOptions come in the body (kubectl) or as query parameters (curl users). */
async function deleteOptions(call: ResourceCall): Promise<DeleteOptions> {
  const body = await readBody(call.req);
  let opts: DeleteOptions & { kind?: string; dryRun?: string[] } = {};
  if (body.length > 0) {
    try {
      opts = JSON.parse(body.toString('utf8')) as typeof opts;
    } catch (err) {
      throw apiErrors.badRequest(`DeleteOptions in version "v1" cannot be handled as a DeleteOptions: ${(err as Error).message}`);
    }
  }
  const q = call.req.query;
  const grace = q.get('gracePeriodSeconds');
  if (grace !== null) opts.gracePeriodSeconds = Number(grace);
  const policy = q.get('propagationPolicy');
  if (policy !== null) opts.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  if (opts.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)) {
    throw apiErrors.invalid('meta.k8s.io', 'DeleteOptions', '', []);
  }
  if (opts.dryRun?.length) call.req.query.set('dryRun', 'All');
  return opts;
}

export async function handleDelete(call: ResourceCall): Promise<void> {
  const opts = await deleteOptions(call);
  const ctx = requestContext(call);
  const result = await call.store.delete(call.info.namespace, call.info.name, opts, ctx);
  if (!result.deleted || call.store.strategy.returnDeletedObject) {
    respondObject(call, 200, result.object);
    return;
  }
  writeJSON(call.req, 200, successStatus(call, result.object));
}

function successStatus(call: ResourceCall, obj: KubeObject) {
  const details: Record<string, unknown> = { name: obj.metadata.name, kind: call.store.def.resource, uid: obj.metadata.uid };
  if (call.store.def.group) details.group = call.store.def.group;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

export async function handleDeleteCollection(call: ResourceCall): Promise<void> {
  const opts = await deleteOptions(call);
  const ctx = requestContext(call);
  const predicate = buildPredicate(call.store.def, call.req.query);
  const list = await call.store.list(call.info.namespace, { predicate });
  const items: KubeObject[] = [];
  for (const o of list.items) {
    try {
      const r = await call.store.delete(o.metadata.namespace ?? '', o.metadata.name!, opts, ctx);
      items.push(r.object);
    } catch (err) {
      // Already gone is fine: someone else deleted it between list and delete.
      if ((err as { code?: number }).code !== 404) throw err;
    }
  }
  const def = call.store.def;
  writeJSON(call.req, 200, {
    kind: def.listKind,
    apiVersion: def.group ? `${def.group}/${def.version}` : def.version,
    metadata: { resourceVersion: list.resourceVersion },
    items,
  });
}
