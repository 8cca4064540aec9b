// GET of one object and LIST of a collection.
import { apiErrors } from '../../api/errors.js';
import { apiVersionOf } from '../resources.js';
import { writeJSON } from '../http.js';
import { buildPredicate } from '../registry/predicate.js';
import { respondObject, tableFor, wantsTable, type ResourceCall } from './context.js';

export async function handleGet(call: ResourceCall): Promise<void> {
  const obj = await call.store.get(call.info.namespace, call.info.name);
  respondObject(call, 200, obj);
}

export function parseLimit(q: URLSearchParams): number | undefined {
  const raw = q.get('limit');
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw apiErrors.badRequest(`limit: Invalid value: ${JSON.stringify(raw)}: must be a non-negative integer`);
  return n || undefined;
}

export async function handleList(call: ResourceCall): Promise<void> {
  const q = call.req.query;
  const predicate = buildPredicate(call.store.def, q);
  const continueToken = q.get('continue') || undefined;
  const rv = q.get('resourceVersion');
  if (continueToken && rv && rv !== '0') {
    throw apiErrors.badRequest('specifying resource version is not allowed when using continue');
  }
  if (predicate.empty && !wantsTable(call)) {
    const raw = await call.store.listJSONItems(call.info.namespace, { limit: parseLimit(q), continueToken });
    const meta: Record<string, unknown> = { resourceVersion: raw.resourceVersion };
    if (raw.continueToken) meta.continue = raw.continueToken;
    if (raw.remainingItemCount !== undefined) meta.remainingItemCount = raw.remainingItemCount;
    const def = call.store.def;
    const head = JSON.stringify({ kind: def.listKind, apiVersion: apiVersionOf(def), metadata: meta });
    writeJSON(call.req, 200, `${head.slice(0, -1)},"items":[${raw.items.join(',')}]}`);
    return;
  }
  const result = await call.store.list(call.info.namespace, { predicate, limit: parseLimit(q), continueToken });
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
