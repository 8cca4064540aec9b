// What every resource handler shares: the resolved store, the request context and the
// response writer that honours Table negotiation.
import { apiErrors } from '../../api/errors.js';
import type { KubeObject } from '../../api/meta.js';
import { buildTable, defaultPrinter, printerFor } from '../../api/printers/index.js';
import { managerFromUserAgent } from '../../api/apply/index.js';
import { header, writeJSON, type ApiRequest } from '../http.js';
import { includeObjectPolicy, negotiateTable } from '../negotiation.js';
import type { ResourceRequestInfo } from '../request-info.js';
import type { RegistryStore } from '../registry/store.js';
import type { RequestContext } from '../registry/strategy.js';

export interface ResourceCall {
  readonly req: ApiRequest;
  readonly info: ResourceRequestInfo;
  readonly store: RegistryStore;
  readonly now: () => Date;
}

export function requestContext(call: ResourceCall): RequestContext {
  const q = call.req.query;
  const dryRun = q.getAll('dryRun');
  for (const d of dryRun) {
    if (d !== 'All') throw apiErrors.badRequest(`dryRun: Unsupported value: ${JSON.stringify(d)}: supported values: "All"`);
  }
  const fieldManager = q.get('fieldManager') ?? managerFromUserAgent(header(call.req, 'user-agent'));
  if (fieldManager.length > 128) {
    throw apiErrors.badRequest(`fieldManager: Too long: may not be more than 128 bytes`);
  }
  return {
    now: call.now(),
    dryRun: dryRun.length > 0,
    user: call.req.user,
    fieldManager,
    warnings: call.req.warnings,
  };
}

/** Writes one object, as a one-row Table when the client asked for Tables. */
export function respondObject(call: ResourceCall, code: number, obj: KubeObject): void {
  const table = negotiateTable(header(call.req, 'accept'));
  if (table && call.req.method === 'GET') {
    const printer = printerFor(call.store.def.group, call.store.def.kind) ?? defaultPrinter;
    const t = buildTable(printer, [obj], {
      now: call.now(),
      includeObject: includeObjectPolicy(call.req.query),
      resourceVersion: obj.metadata.resourceVersion,
    }) as unknown as Record<string, unknown>;
    if (table.version === 'v1beta1') t.apiVersion = 'meta.k8s.io/v1beta1';
    writeJSON(call.req, code, t);
    return;
  }
  writeJSON(call.req, code, obj);
}

export function tableFor(call: ResourceCall, objs: KubeObject[], meta: { resourceVersion?: string; continue?: string; remainingItemCount?: number }, withColumns = true) {
  const table = negotiateTable(header(call.req, 'accept'));
  if (!table) return undefined;
  const printer = printerFor(call.store.def.group, call.store.def.kind) ?? defaultPrinter;
  const t = buildTable(
    printer,
    objs,
    { now: call.now(), includeObject: includeObjectPolicy(call.req.query), ...meta },
    withColumns,
  ) as unknown as Record<string, unknown>;
  if (table.version === 'v1beta1') t.apiVersion = 'meta.k8s.io/v1beta1';
  return t;
}

export function wantsTable(call: ResourceCall): boolean {
  return negotiateTable(header(call.req, 'accept')) !== undefined;
}
