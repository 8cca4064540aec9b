// GET of one object and LIST of a collection.
import { apiErrors } from '../../api/errors.js';
import { apiVersionOf } from '../resources.js';
import { writeJSON } from '../http.js';
import { decodeContinue } from '../registry/continue.js';
import { buildPredicate } from '../registry/predicate.js';
import { decodeListParams, parseResourceVersion, validateListParams, waitUntilFresh, type ListParams } from '../resource-version.js';
import { respondObject, tableFor, wantsTable, type ResourceCall } from './context.js';

export async function handleGet(call: ResourceCall): Promise<void> {
  // A GET with a resourceVersion is served "not older than" it, as from the watch cache.
  const raw = call.req.query.get('resourceVersion') ?? '';
  await waitUntilFresh(call.store, raw, parseResourceVersion(raw));
  const obj = await call.store.get(call.info.namespace, call.info.name);
  respondObject(call, 200, obj);
}

/**
 * The revision a LIST reads at, per the resourceVersion semantics table: unset or "0" is the
 * latest; Exact (or, for compatibility, any non-zero version with a limit, as the etcd3 store
 * does) is that very revision; NotOlderThan (or unset without a limit) is the latest once the
 * store has reached it. A version the store has not reached waits, then 504s.
 */
async function listRevision(call: ResourceCall, p: ListParams): Promise<number | undefined> {
  if (p.continueToken) {
    // As the storage layer: a bad token is reported before a conflicting resourceVersion.
    decodeContinue(p.continueToken, call.store.prefix(call.info.namespace));
    if (p.resourceVersion && p.resourceVersion !== '0') {
      throw apiErrors.badRequest('specifying resource version is not allowed when using continue');
    }
    return undefined;
  }
  const rv = parseResourceVersion(p.resourceVersion);
  if (rv === 0) return undefined;
  await waitUntilFresh(call.store, p.resourceVersion, rv);
  const exact = p.resourceVersionMatch === 'Exact' || (p.resourceVersionMatch === '' && p.limit > 0);
  return exact ? rv : undefined;
}

export async function handleList(call: ResourceCall): Promise<void> {
  const q = call.req.query;
  const params = decodeListParams(q);
  validateListParams(params, q.has('sendInitialEvents'));
  const predicate = buildPredicate(call.store.def, q);
  const revision = await listRevision(call, params);
  const continueToken = params.continueToken || undefined;
  const limit = params.limit || undefined;
  if (predicate.empty && !wantsTable(call)) {
    const raw = await call.store.listJSONItems(call.info.namespace, { limit, continueToken, revision });
    const meta: Record<string, unknown> = { resourceVersion: raw.resourceVersion };
    if (raw.continueToken) meta.continue = raw.continueToken;
    if (raw.remainingItemCount !== undefined) meta.remainingItemCount = raw.remainingItemCount;
    const def = call.store.def;
    const head = JSON.stringify({ kind: def.listKind, apiVersion: apiVersionOf(def), metadata: meta });
    writeJSON(call.req, 200, `${head.slice(0, -1)},"items":[${raw.items.join(',')}]}`);
    return;
  }
  const result = await call.store.list(call.info.namespace, { predicate, limit, continueToken, revision });
  const meta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = { resourceVersion: result.resourceVersion };
  if (result.continueToken) meta.continue = result.continueToken;
  if (result.remainingItemCount !== undefined) meta.remainingItemCount = result.remainingItemCount;
  const table = tableFor(call, result.items, meta);
  if (table) {
    writeJSON(call.req, 200, table);
    return;
  }
  const def = call.store.def;
  writeJSON(call.req, 200, {
    kind: def.listKind,
    apiVersion: apiVersionOf(def),
    metadata: meta,
    items: result.items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest),
  });
}

export { respondObject };
