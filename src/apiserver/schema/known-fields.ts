// Which fields of a JSON object the Go types do not have: what fieldValidation=Strict rejects
// as `unknown field "spec.foo"`. The field lists come from the protobuf descriptors kubectl itself
// embeds (see protobuf/schema-data.ts): protobuf field names are the JSON names in k8s.io/api.
import type { Type } from 'protobufjs';
import { typeForKind } from '../protobuf/schema.js';
import { apiVersionOf, type ResourceDef } from '../resources.js';

// Types whose JSON form is a scalar or free-form (their protobuf fields are not JSON fields).
const OPAQUE = new Set([
  'k8s.io.apimachinery.pkg.api.resource.Quantity',
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time',
  'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime',
  'k8s.io.apimachinery.pkg.apis.meta.v1.Duration',
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1',
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString',
  'k8s.io.apimachinery.pkg.runtime.RawExtension',
  'k8s.io.apimachinery.pkg.runtime.Unknown',
]);

function fullName(t: Type): string {
  return t.fullName.replace(/^\./, '');
}

type FieldLike = Type['fields'][string];

const isInline = (f: FieldLike) => (f.options as { jsonInline?: boolean } | undefined)?.jsonInline === true;

/**
 * The field a JSON key names: a field of the type itself (inline embeddings excluded, their name
 * is not a JSON key), or a field of an embedded struct marked json:",inline" (Probe → ProbeHandler's
 * httpGet/exec/tcpSocket, ConfigMapKeySelector → LocalObjectReference's name, …).
 */
function lookupField(t: Type, key: string): FieldLike | undefined {
  // Own properties only: `fields` is a plain object, and a body key such as "constructor" or
  // "toString" must not find Object.prototype's members.
  const direct = Object.hasOwn(t.fields, key) ? t.fields[key] : undefined;
  if (direct && !isInline(direct)) return direct;
  for (const f of Object.values(t.fields)) {
    if (!isInline(f)) continue;
    const rt = f.resolve().resolvedType;
    if (rt && 'fields' in rt) {
      const found = lookupField(rt as Type, key);
      if (found) return found;
    }
  }
  return undefined;
}

function walk(t: Type, value: unknown, path: string, out: string[], prune = false): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  if (OPAQUE.has(fullName(t))) return;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const here = path ? `${path}.${k}` : k;
    const f = lookupField(t, k);
    if (!f) {
      out.push(here);
      if (prune) delete (value as Record<string, unknown>)[k];
      continue;
    }
    const rt = f.resolve().resolvedType;
    if (!rt || !('fields' in rt)) continue;
    const child = rt as Type;
    if ((f as { map?: boolean }).map) {
      if (v && typeof v === 'object') for (const [mk, mv] of Object.entries(v)) walk(child, mv, `${here}.${mk}`, out, prune);
    } else if (f.repeated) {
      if (Array.isArray(v)) v.forEach((item, i) => walk(child, item, `${here}[${i}]`, out, prune));
    } else {
      walk(child, v, here, out, prune);
    }
  }
}

/** Paths of fields the resource's type does not define (apiVersion and kind are always known). */
export function unknownFields(def: ResourceDef, obj: unknown): string[] {
  const t = typeForKind(apiVersionOf(def), def.kind);
  if (!t || obj === null || typeof obj !== 'object') return [];
  const { apiVersion: _a, kind: _k, ...rest } = obj as Record<string, unknown>;
  const out: string[] = [];
  walk(t, rest, '', out);
  return out;
}

/**
 * Removes fields the type does not define, in place, as decoding into the Go struct does: they
 * are never stored, whatever fieldValidation says about reporting them.
 */
export function pruneUnknownFields(def: { group: string; version: string; kind: string }, obj: Record<string, unknown>): void {
  const t = typeForKind(apiVersionOf(def), def.kind);
  if (!t) return;
  const { apiVersion, kind } = obj;
  delete obj.apiVersion;
  delete obj.kind;
  walk(t, obj, '', [], true);
  if (apiVersion !== undefined) obj.apiVersion = apiVersion;
  if (kind !== undefined) obj.kind = kind;
}
