// Type checking of a decoded body against the Go types, as decoding into the Go struct does:
// kube-apiserver unmarshals every body (JSON, YAML via JSON, the result of a patch or an apply)
// into the typed object with sigs.k8s.io/json, so a wrongly typed value is a 400
//   json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32
// and never reaches storage (where it would break every Go client's decode). The types come
// from the protobuf descriptors (see protobuf/schema-data.ts), whose field names are the JSON
// names of k8s.io/api.
//
// Rules followed (encoding/json decode.go, as vendored in sigs.k8s.io/json):
//  - UnmarshalTypeError.Error(): "json: cannot unmarshal <value> into Go struct field
//    <Struct>.<field path> of type <Go type>"; <Struct> is the innermost struct's name, the field
//    path the JSON names from the root (array indices and map keys are not part of it; an
//    embedded json:",inline" struct contributes its Go field name);
//  - <value> is "string", "bool", "array", "object", "number", or "number <literal>" when a number
//    does not fit an integer type (80.5, 80.0, 1e2, 2^31);
//  - the first error in document order is the one reported;
//  - null leaves a non-pointer value at its zero value (a null in a list or map is stored as
//    the element type's zero value).
import type { MapField, Type } from 'protobufjs';
import { numberLiteral } from '../json-text.js';
import { typeForKind } from '../protobuf/schema.js';
import { apiVersionOf } from '../resources.js';

type Obj = Record<string, unknown>;
type FieldLike = Type['fields'][string];

const QUANTITY = 'k8s.io.apimachinery.pkg.api.resource.Quantity';
const TIME = new Set(['k8s.io.apimachinery.pkg.apis.meta.v1.Time', 'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime']);
const DURATION = 'k8s.io.apimachinery.pkg.apis.meta.v1.Duration';
const INT_OR_STRING = 'k8s.io.apimachinery.pkg.util.intstr.IntOrString';
// Free-form JSON: FieldsV1 and RawExtension keep the raw bytes, Unknown is never in a body.
const FREE_FORM = new Set([
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1',
  'k8s.io.apimachinery.pkg.runtime.RawExtension',
  'k8s.io.apimachinery.pkg.runtime.Unknown',
]);

/** resource.ErrFormatWrong. */
const QUANTITY_FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

const INT_RANGE: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  // int64s must also survive as JS numbers: a larger value would be silently rounded.
  int64: [-(2n ** 53n - 1n), 2n ** 53n - 1n],
  sint64: [-(2n ** 53n - 1n), 2n ** 53n - 1n],
  sfixed64: [-(2n ** 53n - 1n), 2n ** 53n - 1n],
  uint64: [0n, 2n ** 53n - 1n],
  fixed64: [0n, 2n ** 53n - 1n],
};

const GO_SCALAR: Readonly<Record<string, string>> = {
  string: 'string', bool: 'bool', bytes: '[]uint8', double: 'float64', float: 'float32',
  int32: 'int32', sint32: 'int32', sfixed32: 'int32', uint32: 'uint32', fixed32: 'uint32',
  int64: 'int64', sint64: 'int64', sfixed64: 'int64', uint64: 'uint64', fixed64: 'uint64',
};

class TypeError_ extends Error {}

function fullName(t: Type): string {
  return t.fullName.replace(/^\./, '');
}

/** The Go spelling of a message type: its package's last element and its name (v1.ServicePort). */
function goTypeName(t: Type): string {
  const parts = fullName(t).split('.');
  return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
}

/** The JSON value's kind as encoding/json names it in an UnmarshalTypeError. */
export function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  return typeof v; // string, object
}

const isInline = (f: FieldLike) => (f.options as { jsonInline?: boolean } | undefined)?.jsonInline === true;
const resolved = (f: FieldLike): Type | undefined => {
  const rt = f.resolve().resolvedType;
  return rt && 'fields' in rt ? (rt as Type) : undefined;
};

/** The field a JSON key names, and the Go names of the inline structs it was found through. */
function lookupField(t: Type, key: string): { field: FieldLike; via: string[] } | undefined {
  // Own properties only: `fields` is a plain object, so "constructor" or "toString" would
  // otherwise find Object.prototype's members.
  const direct = Object.hasOwn(t.fields, key) ? t.fields[key] : undefined;
  if (direct && !isInline(direct)) return { field: direct, via: [] };
  for (const f of t.fieldsArray) {
    if (!isInline(f)) continue;
    const rt = resolved(f);
    if (!rt) continue;
    const found = lookupField(rt, key);
    if (found) return { field: found.field, via: [rt.name, ...found.via] };
  }
  return undefined;
}

interface Ctx {
  readonly struct: string; // innermost Go struct name
  readonly path: string; // JSON field path from the root
}

class Checker {
  /** Throws the Go error for a value that does not fit. */
  fail(ctx: Ctx, value: string, goType: string): never {
    throw new TypeError_(`json: cannot unmarshal ${value} into Go struct field ${ctx.struct}.${ctx.path} of type ${goType}`);
  }

  struct(t: Type, obj: Obj, ctx: Ctx | undefined): void {
    for (const key of Object.keys(obj)) {
      const found = lookupField(t, key);
      if (!found) continue; // unknown fields are reported (Strict) and dropped elsewhere
      const { field, via } = found;
      const parts = [...via, key];
      const path = ctx ? `${ctx.path}.${parts.join('.')}` : parts.join('.');
      // Go names the outer struct, and the embedded structs by their field (= type) names.
      this.field(field, obj, key, { struct: t.name, path });
    }
  }

  /** The value at container[key] for a field of a struct. */
  field(f: FieldLike, container: Obj | unknown[], key: string | number, ctx: Ctx): void {
    const v = (container as Obj)[key as string];
    if (v === null || v === undefined) return; // null: nil pointer/map/slice, or an untouched value
    if ((f as { map?: boolean }).map) {
      this.map(f as unknown as MapField, v, ctx);
      return;
    }
    if (f.repeated) {
      const rt = resolved(f);
      const elemType = rt ? goTypeName(rt) : GO_SCALAR[f.type] ?? f.type;
      // []byte is a scalar in Go (base64 string), but protobuf has no repeated bytes here.
      if (!Array.isArray(v)) this.fail(ctx, jsonKind(v), `[]${elemType}`);
      const list = v as unknown[];
      for (let i = 0; i < list.length; i++) {
        if (list[i] === null) list[i] = rt ? zeroOf(rt) : zeroScalar(f.type);
        this.value(rt, f.type, list, i, ctx);
      }
      return;
    }
    this.value(resolved(f), f.type, container, key, ctx);
  }

  map(f: MapField, v: unknown, ctx: Ctx): void {
    const rt = resolved(f as unknown as FieldLike);
    const elemType = rt ? goTypeName(rt) : GO_SCALAR[f.type] ?? f.type;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(ctx, jsonKind(v), `map[string]${elemType}`);
    const m = v as Obj;
    for (const k of Object.keys(m)) {
      if (m[k] === null) m[k] = rt ? zeroOf(rt) : zeroScalar(f.type);
      this.value(rt, f.type, m, k, ctx);
    }
  }

  /** One value of a message type (rt) or scalar type (scalar). */
  value(rt: Type | undefined, scalar: string, container: Obj | unknown[], key: string | number, ctx: Ctx): void {
    const v = (container as Obj)[key as string];
    if (v === null || v === undefined) return;
    if (!rt) {
      this.scalar(scalar, v, container, key, ctx);
      return;
    }
    const name = fullName(rt);
    if (FREE_FORM.has(name)) return;
    if (name === INT_OR_STRING) {
      // IntOrString.UnmarshalJSON: a string, or else an int32.
      if (typeof v !== 'string') this.scalar('int32', v, container, key, ctx);
      return;
    }
    if (TIME.has(name) || name === DURATION) {
      // Their UnmarshalJSON decodes a string first.
      if (typeof v !== 'string') this.fail(ctx, jsonKind(v), 'string');
      return;
    }
    if (name === QUANTITY) {
      const text = typeof v === 'number' ? (numberLiteral(container as object, key) ?? String(v)) : v;
      if (typeof text !== 'string' || !QUANTITY_RE.test(text.trim())) throw new TypeError_(QUANTITY_FORMAT);
      return;
    }
    if (typeof v !== 'object' || Array.isArray(v)) this.fail(ctx, jsonKind(v), goTypeName(rt));
    this.struct(rt, v as Obj, ctx);
  }

  scalar(type: string, v: unknown, container: Obj | unknown[], key: string | number, ctx: Ctx): void {
    const goType = GO_SCALAR[type] ?? type;
    const range = INT_RANGE[type];
    if (range) {
      if (typeof v !== 'number') this.fail(ctx, jsonKind(v), goType);
      const literal = numberLiteral(container as object, key) ?? String(v);
      // strconv.ParseInt: digits only (no fraction, no exponent), then the type's range.
      if (!/^-?\d+$/.test(literal)) this.fail(ctx, `number ${literal}`, goType);
      const n = BigInt(literal);
      if (n < range[0] || n > range[1]) this.fail(ctx, `number ${literal}`, goType);
      return;
    }
    switch (type) {
      case 'string':
        if (typeof v !== 'string') this.fail(ctx, jsonKind(v), goType);
        return;
      case 'bool':
        if (typeof v !== 'boolean') this.fail(ctx, jsonKind(v), goType);
        return;
      case 'double':
      case 'float':
        if (typeof v !== 'number') this.fail(ctx, jsonKind(v), goType);
        return;
      case 'bytes':
        if (typeof v !== 'string') this.fail(ctx, jsonKind(v), goType);
        checkBase64(v);
        return;
      default:
        return;
    }
  }
}

function zeroScalar(type: string): unknown {
  if (type === 'string' || type === 'bytes') return '';
  if (type === 'bool') return false;
  return 0;
}

function zeroOf(t: Type): unknown {
  const name = fullName(t);
  if (name === INT_OR_STRING) return 0;
  if (name === QUANTITY) return '0';
  return {};
}

/** base64.StdEncoding.Decode's CorruptInputError (newlines are skipped, as Go does). */
function checkBase64(s: string): void {
  const clean = s.replace(/[\r\n]/g, '');
  const m = /^[A-Za-z0-9+/]*/.exec(clean)![0].length;
  let bad = -1;
  const rest = clean.slice(m);
  if (rest !== '' && !/^={1,2}$/.test(rest)) bad = m + (rest[0] === '=' ? rest.search(/[^=]/) : 0);
  else if (clean.length % 4 !== 0) bad = clean.length - (clean.length % 4);
  if (bad >= 0) throw new TypeError_(`illegal base64 data at input byte ${bad}`);
}

/**
 * Checks a decoded object of a kind against its Go types. Returns the decoder's error message
 * (without the "<Kind> in version … cannot be handled as …" prefix) or undefined. Nulls in lists
 * and maps become the element's zero value, as decoding stores them.
 */
export function typeErrorOf(def: { group: string; version: string; kind: string }, obj: Obj): string | undefined {
  const t = typeForKind(apiVersionOf(def), def.kind);
  if (!t) return undefined;
  try {
    // apiVersion and kind (TypeMeta) are not protobuf fields: they are checked by the decoder.
    new Checker().struct(t, obj, undefined);
    return undefined;
  } catch (err) {
    if (err instanceof TypeError_) return err.message;
    throw err;
  }
}
