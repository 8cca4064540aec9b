// The Swagger 2.0 document, as plain data (it is also the JSON rendering). Paths only, no
// definitions: kubectl reads /openapi/v2 to learn which kinds accept the fieldValidation query
// parameter (the PATCH operation tagged with the kind's x-kubernetes-group-version-kind), and looks
// kinds up in `definitions` to compute strategic merge patches. With no model for a kind it uses its
// compiled-in Go types, which are correct for every built-in kind; an incomplete model would not be.
import type { ResourceDef, SubresourceDef } from '../resources.js';

export interface SwaggerParameter {
  readonly name: string;
  readonly in: 'query' | 'path' | 'body';
  readonly description?: string;
  readonly required?: boolean;
  readonly type?: 'string' | 'boolean' | 'integer';
  readonly uniqueItems?: boolean;
  readonly schema?: { readonly type: 'object' };
}

/** Keys in the order kube-apiserver's JSON has them (encoding/json sorts map keys). */
export interface GroupVersionKind {
  readonly group: string;
  readonly kind: string;
  readonly version: string;
}

export const ACTIONS = ['get', 'list', 'put', 'patch', 'post', 'delete', 'deletecollection'] as const;
export type Action = (typeof ACTIONS)[number];

export interface SwaggerOperation {
  readonly consumes?: readonly string[];
  readonly description: string;
  readonly operationId: string;
  readonly parameters?: readonly SwaggerParameter[];
  readonly produces: readonly string[];
  readonly responses: Readonly<Record<string, { readonly description: string }>>;
  readonly schemes: readonly string[];
  readonly tags: readonly string[];
  readonly 'x-kubernetes-action': Action;
  readonly 'x-kubernetes-group-version-kind': GroupVersionKind;
}

export const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
export type Method = (typeof METHODS)[number];

export type SwaggerPathItem = { [M in Method]?: SwaggerOperation } & { parameters?: readonly SwaggerParameter[] };

export interface SwaggerDocument {
  readonly swagger: '2.0';
  readonly info: { readonly title: string; readonly version: string };
  readonly paths: Readonly<Record<string, SwaggerPathItem>>;
}

const q = (name: string, type: SwaggerParameter['type'], description: string): SwaggerParameter => ({ name, in: 'query', description, type, uniqueItems: true });

const P = {
  pretty: q('pretty', 'string', "If 'true', then the output is pretty printed."),
  dryRun: q('dryRun', 'string', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: q('fieldManager', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  fieldValidation: q(
    'fieldValidation',
    'string',
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict',
  ),
  force: q('force', 'boolean', 'Force is going to "force" Apply requests. It must be unset for non-apply patch requests.'),
  continue: q('continue', 'string', 'The continue option should be set when retrieving more results from the server.'),
  fieldSelector: q('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  labelSelector: q('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  limit: q('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  resourceVersion: q('resourceVersion', 'string', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  resourceVersionMatch: q('resourceVersionMatch', 'string', 'resourceVersionMatch determines how resourceVersion is applied to list calls.'),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  watch: q('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted.'),
  propagationPolicy: q('propagationPolicy', 'string', "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Foreground', 'Background'."),
  body: { name: 'body', in: 'body', required: true, schema: { type: 'object' } },
} satisfies Record<string, SwaggerParameter>;

const pathParam = (name: string, description: string): SwaggerParameter => ({ name, in: 'path', description, required: true, type: 'string', uniqueItems: true });
const NAMESPACE = pathParam('namespace', 'object name and auth scope, such as for teams and projects');

const LIST_PARAMS = [P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.resourceVersionMatch, P.timeoutSeconds, P.watch];
const WRITE_PARAMS = [P.body, P.dryRun, P.fieldManager, P.fieldValidation];

/** What each action takes and answers, after kube-apiserver's endpoint installer. */
const OPERATION: Readonly<Record<Action, { verb: string; parameters: readonly SwaggerParameter[]; responses: readonly string[] }>> = {
  list: { verb: 'list', parameters: LIST_PARAMS, responses: ['200', '401'] },
  get: { verb: 'read', parameters: [], responses: ['200', '401'] },
  post: { verb: 'create', parameters: WRITE_PARAMS, responses: ['200', '201', '202', '401'] },
  put: { verb: 'replace', parameters: WRITE_PARAMS, responses: ['200', '201', '401'] },
  patch: { verb: 'patch', parameters: [...WRITE_PARAMS, P.force], responses: ['200', '201', '401'] },
  delete: { verb: 'delete', parameters: [P.body, P.dryRun, P.gracePeriodSeconds, P.propagationPolicy], responses: ['200', '202', '401'] },
  deletecollection: {
    verb: 'deletecollection',
    parameters: [P.body, P.continue, P.dryRun, P.fieldSelector, P.gracePeriodSeconds, P.labelSelector, P.limit, P.propagationPolicy, P.resourceVersion, P.resourceVersionMatch, P.timeoutSeconds],
    responses: ['200', '401'],
  },
};
const RESPONSE_TEXT: Readonly<Record<string, string>> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '401': 'Unauthorized' };
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

/** "" → Core, "discovery.k8s.io" → Discovery: the operationId and tag prefix upstream uses. */
function groupWord(group: string): string {
  const first = group === '' ? 'core' : group.split('.')[0]!;
  return first.charAt(0).toUpperCase() + first.slice(1);
}

interface OperationTarget {
  readonly gvk: GroupVersionKind;
  readonly group: string; // the group of the path, which may differ from the GVK's (Scale)
  readonly version: string;
  readonly noun: string; // operationId tail: NamespacedService, ServiceForAllNamespaces, NamespacedDeploymentScale
  readonly describe: string; // "the specified Service", "status of the specified Service"
}

function operation(action: Action, t: OperationTarget): SwaggerOperation {
  const op = OPERATION[action];
  const id = `${op.verb === 'deletecollection' ? 'delete' : op.verb}${groupWord(t.group)}${t.version.charAt(0).toUpperCase()}${t.version.slice(1)}${op.verb === 'deletecollection' ? 'Collection' : ''}${t.noun}`;
  const description = {
    list: `list or watch objects of kind ${t.gvk.kind}`,
    get: `read ${t.describe}`,
    post: `create ${t.describe}`,
    put: `replace ${t.describe}`,
    patch: `partially update ${t.describe}`,
    delete: `delete ${t.describe}`,
    deletecollection: `delete collection of ${t.gvk.kind}`,
  }[action];
  return {
    ...(action === 'patch' ? { consumes: PATCH_TYPES } : action === 'get' || action === 'list' ? {} : { consumes: ['*/*'] }),
    description,
    operationId: id,
    ...(op.parameters.length ? { parameters: op.parameters } : {}),
    // svcnet reads JSON, YAML and protobuf but always answers JSON.
    produces: ['application/json'],
    responses: Object.fromEntries(op.responses.map((c) => [c, { description: RESPONSE_TEXT[c]! }])),
    schemes: ['https'],
    tags: [`${groupWord(t.group).toLowerCase()}_${t.version}`],
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': t.gvk,
  };
}

/** Subresources that are objects of a kind (status, scale, finalize, binding, eviction); not exec/log/proxy streams. */
function isObjectSubresource(s: SubresourceDef): boolean {
  return s.name !== 'log' && !s.kind.endsWith('Options');
}

const SUBRESOURCE_ACTION: Readonly<Record<string, [Method, Action]>> = { get: ['get', 'get'], update: ['put', 'put'], patch: ['patch', 'patch'], create: ['post', 'post'] };

function resourcePaths(r: ResourceDef, paths: Record<string, SwaggerPathItem>): void {
  const root = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const scope = r.namespaced ? 'Namespaced' : '';
  const gvk: GroupVersionKind = { group: r.group, kind: r.kind, version: r.version };
  const base = { gvk, group: r.group, version: r.version };
  const collection = `${root}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}`;
  const nameParam = pathParam('name', `name of the ${r.kind}`);
  const has = (v: string) => (r.verbs as readonly string[]).includes(v);
  const item = { ...base, noun: `${scope}${r.kind}`, describe: `the specified ${r.kind}` };

  const coll: SwaggerPathItem = { parameters: [...(r.namespaced ? [NAMESPACE] : []), P.pretty] };
  const one: SwaggerPathItem = { parameters: [nameParam, ...(r.namespaced ? [NAMESPACE] : []), P.pretty] };
  const createTarget = { ...item, describe: r.kind.match(/^[AEIOU]/) ? `an ${r.kind}` : `a ${r.kind}` };
  if (has('list')) coll.get = operation('list', item);
  if (has('create')) coll.post = operation('post', createTarget);
  if (has('deletecollection')) coll.delete = operation('deletecollection', item);
  if (has('get')) one.get = operation('get', item);
  if (has('update')) one.put = operation('put', item);
  if (has('patch')) one.patch = operation('patch', item);
  if (has('delete')) one.delete = operation('delete', createTarget);
  paths[collection] = coll;
  paths[`${collection}/{name}`] = one;
  if (r.namespaced && has('list')) {
    paths[`${root}/${r.resource}`] = { parameters: [P.pretty], get: operation('list', { ...base, noun: `${r.kind}ForAllNamespaces`, describe: '' }) };
  }

  for (const s of r.subresources.filter(isObjectSubresource)) {
    const sub = s.name.charAt(0).toUpperCase() + s.name.slice(1);
    const target: OperationTarget = {
      gvk: { group: s.group ?? r.group, kind: s.kind, version: s.version ?? r.version },
      group: r.group,
      version: r.version,
      noun: `${scope}${r.kind}${sub}`,
      describe: `${s.name} of the specified ${r.kind}`,
    };
    const pathItem: SwaggerPathItem = { parameters: [nameParam, ...(r.namespaced ? [NAMESPACE] : []), P.pretty] };
    for (const v of s.verbs) {
      const ma = SUBRESOURCE_ACTION[v];
      if (ma) pathItem[ma[0]] = operation(ma[1], v === 'create' ? { ...target, describe: `${s.kind} of a ${r.kind}` } : target);
    }
    paths[`${collection}/{name}/${s.name}`] = pathItem;
  }
}

/** The document for `resources`, paths sorted as kube-apiserver's JSON sorts them. */
export function buildSwagger(resources: readonly ResourceDef[], version: string): SwaggerDocument {
  const paths: Record<string, SwaggerPathItem> = {};
  for (const r of resources) resourcePaths(r, paths);
  const sorted = Object.fromEntries(Object.keys(paths).sort().map((k) => [k, paths[k]!]));
  return { swagger: '2.0', info: { title: 'Kubernetes', version }, paths: sorted };
}
