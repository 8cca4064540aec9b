// OpenAPI v3, as much as kubectl needs: `kubectl apply` (validation on by default) asks whether the
// server supports the fieldValidation parameter by reading /openapi/v3 and the group-version
// document, then leaves validation to the server (fieldValidation=Strict).
//
// We deliberately do not advertise application/strategic-merge-patch+json request bodies: without
// full schemas in components, kubectl would try to build patches from them and warn; without them it
// uses its compiled-in Go types, which carry the correct patch metadata for every built-in kind.
import { createHash } from 'node:crypto';
import { RESOURCES, apiVersionOf, groupVersions } from './resources.js';

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

const docs = new Map<string, { body: string; hash: string }>();

function buildGroupVersionDoc(group: string, version: string): { body: string; hash: string } {
  const paths: Record<string, unknown> = {};
  const fieldValidation = {
    name: 'fieldValidation',
    in: 'query',
    description:
      'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict',
    schema: { type: 'string', uniqueItems: true },
  };
  const dryRun = { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } };
  const fieldManager = { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } };
  for (const r of RESOURCES) {
    if (r.group !== group || r.version !== version) continue;
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const base = `/${gvPath(group, version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}`;
    const ref = { $ref: `#/components/schemas/${schemaName(r.group, r.version, r.kind)}` };
    const json = { 'application/json': { schema: ref } };
    paths[base] = {
      get: { operationId: `list${r.kind}`, 'x-kubernetes-action': 'list', 'x-kubernetes-group-version-kind': gvk, responses: { '200': { description: 'OK' } } },
      post: {
        operationId: `create${r.kind}`,
        'x-kubernetes-action': 'post',
        'x-kubernetes-group-version-kind': gvk,
        parameters: [dryRun, fieldManager, fieldValidation],
        requestBody: { content: { '*/*': { schema: ref } }, required: true },
        responses: { '201': { description: 'Created', content: json } },
      },
    };
    paths[`${base}/{name}`] = {
      get: { operationId: `read${r.kind}`, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: { '200': { description: 'OK', content: json } } },
      put: {
        operationId: `replace${r.kind}`,
        'x-kubernetes-action': 'put',
        'x-kubernetes-group-version-kind': gvk,
        parameters: [dryRun, fieldManager, fieldValidation],
        requestBody: { content: { '*/*': { schema: ref } }, required: true },
        responses: { '200': { description: 'OK', content: json } },
      },
      patch: {
        operationId: `patch${r.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        parameters: [dryRun, fieldManager, fieldValidation, { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } }],
        requestBody: {
          content: {
            'application/json-patch+json': { schema: { type: 'object' } },
            'application/merge-patch+json': { schema: { type: 'object' } },
            'application/apply-patch+yaml': { schema: { type: 'object' } },
          },
          required: true,
        },
        responses: { '200': { description: 'OK', content: json } },
      },
      delete: { operationId: `delete${r.kind}`, 'x-kubernetes-action': 'delete', 'x-kubernetes-group-version-kind': gvk, responses: { '200': { description: 'OK' } } },
    };
  }
  const schemas: Record<string, unknown> = {};
  for (const r of RESOURCES) {
    if (r.group !== group || r.version !== version) continue;
    schemas[schemaName(r.group, r.version, r.kind)] = {
      type: 'object',
      description: `${r.kind} (served by svcnet; schema abbreviated)`,
      'x-kubernetes-group-version-kind': [{ group: r.group, version: r.version, kind: r.kind }],
    };
  }
  const doc = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.4' },
    paths,
    components: { schemas },
  };
  const body = JSON.stringify(doc);
  const hash = createHash('sha512').update(body).digest('hex').toUpperCase();
  return { body, hash };
}

function schemaName(group: string, version: string, kind: string): string {
  const g = group === '' ? 'core' : group.split('.')[0]!;
  return `io.k8s.api.${g}.${version}.${kind}`;
}

function docFor(group: string, version: string) {
  const k = `${group}/${version}`;
  let d = docs.get(k);
  if (!d) {
    d = buildGroupVersionDoc(group, version);
    docs.set(k, d);
  }
  return d;
}

/** GET /openapi/v3: the index of group-version documents. */
export function openAPIV3Index() {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { group, version } of groupVersions()) {
    const p = gvPath(group, version);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${docFor(group, version).hash}` };
  }
  return { paths };
}

/** GET /openapi/v3/<api/v1|apis/g/v>: the document, or undefined if no such group version. */
export function openAPIV3Document(path: string): string | undefined {
  for (const { group, version } of groupVersions()) {
    if (gvPath(group, version) === path) return docFor(group, version).body;
  }
  return undefined;
}

export { apiVersionOf };
