// Request body decoding: JSON, YAML and Kubernetes protobuf (typed kubectl commands send it),
// with the upstream error texts, then versioned defaulting as the codec does on decode.
import { parse as parseYAML } from 'yaml';
import { apiErrors } from '../api/errors.js';
import type { KubeObject } from '../api/meta.js';
import { setDefaults } from '../api/defaults/index.js';
import { decodeKubernetesProtobuf, PROTOBUF_CONTENT_TYPE } from './protobuf/index.js';
import { apiVersionOf, type ResourceDef } from './resources.js';
import { JSONSyntaxError, parseJSONText } from './json-text.js';
import { pruneUnknownFields } from './schema/known-fields.js';
import { jsonKind, typeErrorOf } from './schema/typed-decode.js';

/**
 * YAML anchors and aliases can expand a small body into a huge value ("billion laughs"); the
 * yaml package refuses more aliases than this (its resource-exhaustion guard).
 */
const YAML_MAX_ALIAS_COUNT = 100;

export function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * Parses a JSON body with Go's nesting limit (10000) and number literals kept for typed decoding;
 * for duplicate keys the last wins, as in Go (fieldValidation reports them).
 */
export function parseJSONBody(body: Buffer, what: string): unknown {
  try {
    return parseJSONText(body.toString('utf8'));
  } catch (err) {
    if (err instanceof JSONSyntaxError) throw apiErrors.badRequest(`${what}: ${err.message}`);
    throw err;
  }
}

/** Parses a YAML body (or an apply configuration), with the alias-expansion guard. */
export function parseYAMLBody(body: Buffer, what: string): unknown {
  try {
    return parseYAML(body.toString('utf8'), { maxAliasCount: YAML_MAX_ALIAS_COUNT });
  } catch (err) {
    throw apiErrors.badRequest(`${what}: ${(err as Error).message}`);
  }
}

/** summarizeData of the apiserver's handlers: the body's start, as text or in hex. */
function summarizeData(data: Buffer, maxLength: number): string {
  if (data.length === 0) return '<empty>';
  const head = data.subarray(0, maxLength);
  const more = data.length > maxLength ? ' ...' : '';
  return data[0] === 0x7b ? `${head.toString('utf8')}${more}` : `${head.toString('hex')}${more}`;
}

/**
 * A JSON create/update body that does not parse: the serializer fails finding apiVersion/kind
 * (SimpleMetaFactory.Interpret), so transformDecodeError has no kind and words it like this.
 */
function unparsableObject(kind: string, body: Buffer, parseError: string) {
  return apiErrors.badRequest(
    `the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: ${parseError} (${summarizeData(body, 30)})`,
  );
}

/** Parses a create/update JSON body, with the apiserver's error for one that is not JSON. */
export function parseJSONObjectBody(body: Buffer, kind: string): unknown {
  try {
    return parseJSONText(body.toString('utf8'));
  } catch (err) {
    if (err instanceof JSONSyntaxError) throw unparsableObject(kind, body, err.message);
    throw err;
  }
}

/** Rejects a value that does not fit the kind's Go types, with the decoder's message. */
export function checkTypes(expect: { group: string; version: string; kind: string }, obj: Record<string, unknown>): void {
  const problem = typeErrorOf(expect, obj);
  if (problem !== undefined) {
    throw apiErrors.badRequest(`${expect.kind} in version ${JSON.stringify(expect.version)} cannot be handled as a ${expect.kind}: ${problem}`);
  }
}

/**
 * Decodes a create/update body into an object of the resource's kind and applies defaults.
 * `expectKind` is the kind the endpoint takes (the resource kind, or e.g. Scale / Binding).
 */
export function decodeObject(
  body: Buffer,
  contentType: string,
  def: ResourceDef,
  expect: { group: string; version: string; kind: string } = def,
  /** The JSON body already parsed (by the field-validation pass), so it is not parsed twice. */
  parsedJSON?: unknown,
): KubeObject {
  const what = `${expect.kind} in version ${JSON.stringify(expect.version)} cannot be handled as a ${expect.kind}`;
  const type = mediaType(contentType);
  let obj: unknown;
  if (parsedJSON !== undefined && (type === 'application/json' || type === '')) {
    obj = parsedJSON;
  } else if (type === PROTOBUF_CONTENT_TYPE) {
    const decoded = decodeKubernetesProtobuf(body);
    obj = { ...decoded.object, apiVersion: decoded.apiVersion, kind: decoded.kind };
  } else if (type === 'application/yaml') {
    obj = parseYAMLBody(body, what);
  } else if (type === 'application/json' || type === '') {
    obj = parseJSONObjectBody(body, expect.kind);
  } else {
    throw apiErrors.unsupportedMediaType(contentType);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw apiErrors.badRequest(`${what}: json: cannot unmarshal ${Array.isArray(obj) ? 'array' : typeof obj} into Go value of type struct`);
  }
  const o = obj as KubeObject;
  // SimpleMetaFactory.Interpret reads apiVersion and kind into strings before anything else, so
  // another type fails there (and must not reach a template string: an object with its own
  // `toString` member cannot be converted to text).
  for (const field of ['apiVersion', 'kind'] as const) {
    const v: unknown = o[field];
    if (v === undefined || v === null || typeof v === 'string') continue;
    throw unparsableObject(expect.kind, body, `json: cannot unmarshal ${jsonKind(v)} into Go struct field .${field} of type string`);
  }
  const wantAPIVersion = apiVersionOf(expect);
  if (o.kind !== undefined && o.kind !== '' && o.kind !== expect.kind) {
    throw apiErrors.badRequest(`${what}: the kind in the data (${o.kind}) does not match the expected kind (${expect.kind})`);
  }
  if (o.apiVersion !== undefined && o.apiVersion !== '' && o.apiVersion !== wantAPIVersion) {
    throw apiErrors.badRequest(
      `the API version in the data (${o.apiVersion}) does not match the expected API version (${wantAPIVersion})`,
    );
  }
  // Type errors first: upstream fails decoding into the Go struct before anything else looks at it.
  checkTypes(expect, o);
  o.apiVersion = wantAPIVersion;
  o.kind = expect.kind;
  if (o.metadata === undefined || o.metadata === null) o.metadata = {};
  if (typeof o.metadata !== 'object' || Array.isArray(o.metadata)) {
    throw apiErrors.badRequest(`${what}: json: cannot unmarshal ${jsonKind(o.metadata)} into Go struct field ${expect.kind}.metadata of type v1.ObjectMeta`);
  }
  pruneUnknownFields(expect, o);
  setDefaults(expect.group, expect.version, expect.kind, o);
  return o;
}
