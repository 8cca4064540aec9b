import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { parse } from 'yaml';
import { RESOURCES } from '../resources.js';
import { GNOSTIC_OPENAPI_V2 } from './descriptor-data.js';
import { descriptorToJSON, findRawDescriptor } from './descriptor-extract.js';
import { openAPIV2Document, openAPIV2JSON, openAPIV2Swagger } from './index.js';
import type { SwaggerDocument } from './swagger.js';
import { kubectlDir } from '../../../test/helpers/kubectl.js';

const KUBECTL_DIR = kubectlDir();
const kubectlBinaries = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33']
  .map((v) => (KUBECTL_DIR ? join(KUBECTL_DIR, `kubectl.${v}`) : ''))
  .filter((p) => p && existsSync(p));

/** Decode with the descriptor kubectl itself carries when it is on the machine, else the committed copy. */
function documentType(): protobuf.Type {
  const raw = kubectlBinaries[0] ? findRawDescriptor(readFileSync(kubectlBinaries[0])) : undefined;
  const json = raw ? descriptorToJSON(raw) : GNOSTIC_OPENAPI_V2;
  return protobuf.Root.fromJSON(json as protobuf.INamespace).lookupType('openapi.v2.Document');
}

interface NamedAny { name: string; value?: { yaml?: string } }
interface Param { parameter?: { nonBodyParameter?: { queryParameterSubSchema?: { name?: string; in?: string } }; bodyParameter?: { name?: string } }; jsonReference?: { Ref?: string } }
interface Op { operationId?: string; parameters?: Param[]; vendorExtension?: NamedAny[] }
interface Decoded {
  swagger?: string;
  info?: { title?: string; version?: string };
  paths?: { path?: { name: string; value: Record<string, Op | undefined> }[] };
  definitions?: unknown;
}

function decode(): Decoded {
  const t = documentType();
  return t.toObject(t.decode(openAPIV2Document()), { defaults: false }) as Decoded;
}

type GVK = { group: string; version: string; kind: string };

/** kubectl's hasGVKExtension: the first x-kubernetes-group-version-kind decides. */
function hasGVK(ext: NamedAny[] | undefined, gvk: GVK): boolean {
  const e = (ext ?? []).find((x) => x.name === 'x-kubernetes-group-version-kind' && x.value?.yaml);
  if (!e) return false;
  const v = parse(e.value!.yaml!) as Record<string, string>;
  return v['group'] === gvk.group && v['kind'] === gvk.kind && v['version'] === gvk.version;
}

/** kubectl's supportsQueryParam (cli-runtime query_param_verifier.go): the first PATCH path of the GVK decides. */
function supportsQueryParam(doc: Decoded, gvk: GVK, param: string): boolean {
  for (const p of doc.paths?.path ?? []) {
    const patch = p.value['patch'];
    if (!hasGVK(patch?.vendorExtension, gvk)) continue;
    return (patch!.parameters ?? []).some((x) => x.parameter?.nonBodyParameter?.queryParameterSubSchema?.name === param);
  }
  throw new Error("couldn't find GVK in openapi");
}

test('the committed descriptor is the one every kubectl on the machine carries', (t) => {
  if (kubectlBinaries.length === 0) return t.skip('no versioned kubectl binaries');
  for (const bin of kubectlBinaries) {
    const raw = findRawDescriptor(readFileSync(bin));
    assert.ok(raw, `${bin} carries openapiv2/OpenAPIv2.proto`);
    assert.deepEqual(descriptorToJSON(raw), GNOSTIC_OPENAPI_V2, bin);
  }
});

test('the document decodes as a gnostic Document with no unknown fields', () => {
  const t = documentType();
  const bytes = openAPIV2Document();
  // Re-encoding drops fields the descriptor does not know, so equal bytes mean every field number is right.
  assert.deepEqual(Buffer.from(t.encode(t.decode(bytes)).finish()), bytes);
  const doc = decode();
  assert.equal(doc.swagger, '2.0');
  assert.deepEqual(doc.info, { title: 'Kubernetes', version: 'v1.32.4' });
  assert.equal(doc.definitions, undefined, 'no definitions: kubectl must fall back to its Go types for patches');
  assert.equal(openAPIV2Document(), openAPIV2Document(), 'cached');
});

test('kubectl finds fieldValidation, dryRun and fieldManager on the PATCH of every served kind', () => {
  const doc = decode();
  for (const r of RESOURCES) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    for (const p of ['fieldValidation', 'dryRun', 'fieldManager']) assert.ok(supportsQueryParam(doc, gvk, p), `${r.kind} ${p}`);
    assert.equal(supportsQueryParam(doc, gvk, 'noSuchParam'), false);
  }
  assert.ok(supportsQueryParam(doc, { group: 'autoscaling', version: 'v1', kind: 'Scale' }, 'fieldValidation'));
  assert.throws(() => supportsQueryParam(doc, { group: 'apps', version: 'v1', kind: 'DaemonSet' }, 'fieldValidation'), /couldn't find GVK/);
  // A GVK differing only in group must not match (core Service vs a made-up group).
  assert.throws(() => supportsQueryParam(doc, { group: 'example.com', version: 'v1', kind: 'Service' }, 'fieldValidation'));
});

test('vendor extensions carry the YAML kube-apiserver writes', () => {
  const doc = decode();
  const item = (name: string) => doc.paths!.path!.find((p) => p.name === name)?.value;
  const svc = item('/api/v1/namespaces/{namespace}/services/{name}');
  const deploy = item('/apis/apps/v1/namespaces/{namespace}/deployments/{name}');
  const ext = (op: Op | undefined) => Object.fromEntries((op?.vendorExtension ?? []).map((e) => [e.name, e.value?.yaml]));
  assert.deepEqual(ext(svc?.['patch']), { 'x-kubernetes-action': 'patch\n', 'x-kubernetes-group-version-kind': 'group: ""\nkind: Service\nversion: v1\n' });
  assert.deepEqual(ext(deploy?.['put']), { 'x-kubernetes-action': 'put\n', 'x-kubernetes-group-version-kind': 'group: apps\nkind: Deployment\nversion: v1\n' });
  assert.equal(ext(item('/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale')?.['patch'])['x-kubernetes-group-version-kind'], 'group: autoscaling\nkind: Scale\nversion: v1\n');
  assert.equal(ext(item('/api/v1/namespaces/{namespace}/services')?.['get'])['x-kubernetes-action'], 'list\n');
  assert.equal(ext(item('/api/v1/namespaces/{namespace}/services')?.['delete'])['x-kubernetes-action'], 'deletecollection\n');
  assert.equal(item('/api/v1/namespaces')?.['delete'], undefined, 'namespaces have no deletecollection');
  assert.equal(svc?.['patch']?.operationId, 'patchCoreV1NamespacedService');
});

test('every resource has its collection and item paths with the verbs it serves', () => {
  const names = new Set(decode().paths!.path!.map((p) => p.name));
  const json = JSON.parse(openAPIV2JSON().toString()) as SwaggerDocument;
  assert.deepEqual(Object.keys(json.paths), [...names], 'JSON and protobuf render the same paths in the same order');
  assert.deepEqual(json, JSON.parse(JSON.stringify(openAPIV2Swagger())));
  for (const r of RESOURCES) {
    const root = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    const coll = `${root}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}`;
    assert.ok(names.has(coll), coll);
    const item = json.paths[`${coll}/{name}`];
    assert.ok(item, `${coll}/{name}`);
    assert.equal(!!item.patch, r.verbs.includes('patch'));
    assert.equal(!!item.put, r.verbs.includes('update'));
    assert.equal(!!json.paths[coll]!.post, r.verbs.includes('create'));
  }
});
