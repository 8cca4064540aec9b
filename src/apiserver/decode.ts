// Request body decoding: JSON, YAML and Kubernetes protobuf (typed kubectl commands send it),
// with the upstream error texts, then versioned defaulting as the codec does on decode.
import { parse as parseYAML } from 'yaml';
import { apiErrors } from '../api/errors.js';
import type { KubeObject } from '../api/meta.js';
import { setDefaults } from '../api/defaults/index.js';
import { decodeKubernetesProtobuf, PROTOBUF_CONTENT_TYPE } from './protobuf/index.js';
import { apiVersionOf, type ResourceDef } from './resources.js';
import { pruneUnknownFields } from './schema/known-fields.js';

export function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/** Parses a JSON body; duplicate keys are reported for fieldValidation (JSON.parse keeps the last). */
export function parseJSONBody(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw apiErrors.badRequest(`${what}: ${(err as Error).message}`);
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
    try {
      obj = parseYAML(body.toString('utf8'));
    } catch (err) {
      throw apiErrors.badRequest(`${what}: ${(err as Error).message}`);
    }
  } else if (type === 'application/json' || type === '') {
    obj = parseJSONBody(body, what);
  } else {
    throw apiErrors.unsupportedMediaType(contentType);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw apiErrors.badRequest(`${what}: json: cannot unmarshal ${Array.isArray(obj) ? 'array' : typeof obj} into Go value of type struct`);
  }
  const o = obj as KubeObject;
  const wantAPIVersion = apiVersionOf(expect);
  if (o.kind !== undefined && o.kind !== '' && o.kind !== expect.kind) {
    throw apiErrors.badRequest(`${what}: the kind in the data (${o.kind}) does not match the expected kind (${expect.kind})`);
  }
  if (o.apiVersion !== undefined && o.apiVersion !== '' && o.apiVersion !== wantAPIVersion) {
    throw apiErrors.badRequest(
      `the API version in the data (${o.apiVersion}) does not match the expected API version (${wantAPIVersion})`,
    );
  }
  o.apiVersion = wantAPIVersion;
  o.kind = expect.kind;
  if (o.metadata === undefined || o.metadata === null) o.metadata = {};
  if (typeof o.metadata !== 'object' || Array.isArray(o.metadata)) {
    throw apiErrors.badRequest(`${what}: json: cannot unmarshal ${typeof o.metadata} into Go struct field ${expect.kind}.metadata of type v1.ObjectMeta`);
  }
  pruneUnknownFields(expect, o);
  setDefaults(expect.group, expect.version, expect.kind, o);
  return o;
}
