// Routes a resource request to its handler by verb and subresource.
import { apiErrors, StatusError } from '../api/errors.js';
import type { ApiRequest } from './http.js';
import { checkAcceptable } from './negotiation.js';
import type { ResourceRequestInfo } from './request-info.js';
import type { Registry } from './registry/registry.js';
import { handleGet, handleList } from './handlers/read.js';
import { handleWatch } from './handlers/watch.js';
import { handleCreate, handleDelete, handleDeleteCollection, handleUpdate } from './handlers/write.js';
import { handlePatch } from './handlers/patch.js';
import { handleScale } from './handlers/scale.js';
import { handleBinding } from './handlers/binding.js';
import type { ResourceCall } from './handlers/context.js';
import { header } from './http.js';
import { checkPathSegmentName } from './request-uri.js';

export type SubresourceHandler = (call: ResourceCall) => Promise<void>;

/**
 * Subresources served by other components (logs, proxy …), keyed "resource/subresource"
 * (`pods/log`). Each API server gets its own at construction, so several servers in one process
 * (tests) never see each other's.
 */
export type SubresourceHandlers = ReadonlyMap<string, SubresourceHandler>;

const NO_SUBRESOURCE_HANDLERS: SubresourceHandlers = new Map();

const NOT_FOUND = () => new StatusError(404, 'NotFound', 'the server could not find the requested resource');

export async function routeResource(
  req: ApiRequest,
  info: ResourceRequestInfo,
  registry: Registry,
  now: () => Date,
  subresources: SubresourceHandlers = NO_SUBRESOURCE_HANDLERS,
): Promise<void> {
  const store = registry.lookup(info.group, info.version, info.resource);
  if (!store) throw NOT_FOUND();
  const def = store.def;
  if (!def.namespaced && info.namespace) throw NOT_FOUND();
  if (def.namespaced && !info.namespace && info.name) throw NOT_FOUND();
  // Segments past a subresource exist only for the proxy subresources ({name}/proxy/{path});
  // anywhere else there is no such route (go-restful answers 404).
  if (info.rest.length && info.subresource !== 'proxy') throw NOT_FOUND();
  // Upstream's storage key functions refuse names that are not safe path segments (`.`, `..`,
  // `/`, `%`) with a 400 before any lookup; here a `..` must never reach the store either.
  if (info.name) checkPathSegmentName(info.name);
  const call: ResourceCall = { req, info, store, now };
  const verb = info.verb;
  if (verb !== 'watch') checkAcceptable(header(req, 'accept').replace(/;as=Table[^,]*/g, ''));

  if (info.subresource) {
    const sub = def.subresources.find((s) => s.name === info.subresource);
    if (!sub) throw NOT_FOUND();
    if (!info.name) throw NOT_FOUND();
    const external = subresources.get(`${def.resource}/${sub.name}`);
    if (external) return external(call);
    switch (sub.name) {
      case 'status':
        if (verb === 'get') return handleGet(call);
        if (verb === 'update') return handleUpdate(call);
        if (verb === 'patch') return handlePatch(call);
        break;
      case 'finalize':
        if (verb === 'update') return handleUpdate(call);
        break;
      case 'scale':
        return handleScale(call);
      case 'binding':
        if (verb === 'create') return handleBinding(call);
        break;
      default:
        throw new StatusError(
          503,
          'ServiceUnavailable',
          `${def.resource}/${sub.name} is served by the node agent, which is not running (start the cluster with \`svcnet up\`)`,
        );
    }
    throw apiErrors.methodNotSupported({ group: def.group, resource: `${def.resource}/${sub.name}` }, verb);
  }

  if (!def.verbs.includes(verb as (typeof def.verbs)[number])) {
    throw apiErrors.methodNotSupported({ group: def.group, resource: def.resource }, verb);
  }
  if (def.namespaced && !info.namespace && verb !== 'list' && verb !== 'watch') {
    throw NOT_FOUND();
  }
  switch (verb) {
    case 'get':
      return handleGet(call);
    case 'list':
      return handleList(call);
    case 'watch':
      return handleWatch(call);
    case 'create':
      if (info.name) throw apiErrors.methodNotSupported({ group: def.group, resource: def.resource }, 'create');
      return handleCreate(call);
    case 'update':
      return handleUpdate(call);
    case 'patch':
      return handlePatch(call);
    case 'delete':
      return handleDelete(call);
    case 'deletecollection':
      return handleDeleteCollection(call);
    default:
      throw apiErrors.methodNotSupported({ group: def.group, resource: def.resource }, verb);
  }
}
