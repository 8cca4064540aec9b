// Walks protobuf wire data with a protobufjs Reader, guided by the reflected schema, and produces the
// JSON a Go client would have sent for the same Go struct (encoding/json rules, not proto3 JSON).
//
// Why not Type.decode + toObject: protobufjs drops unknown fields silently and loses presence, and we
// need both: presence decides pointer fields (`*int32` is on the wire only when set), and an unknown
// field must be an error rather than quiet data loss.
import protobuf from 'protobufjs';
import type { Field, MapField, Reader, Type } from 'protobufjs';
import { apiErrors } from '../../api/errors.js';
import { defineMember } from '../json-text.js';
import { WELL_KNOWN, type PresentFields } from './well-known.js';

const MAX_DEPTH = 64;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const SCALAR_WIRE: Readonly<Record<string, number>> = {
  int32: WIRE_VARINT, int64: WIRE_VARINT, uint32: WIRE_VARINT, uint64: WIRE_VARINT, sint32: WIRE_VARINT,
  sint64: WIRE_VARINT, bool: WIRE_VARINT, double: WIRE_FIXED64, fixed64: WIRE_FIXED64, sfixed64: WIRE_FIXED64,
  float: WIRE_FIXED32, fixed32: WIRE_FIXED32, sfixed32: WIRE_FIXED32, string: WIRE_LEN, bytes: WIRE_LEN,
};

function fail(msg: string): never {
  throw apiErrors.badRequest(`unable to decode protobuf body: ${msg}`);
}

/** int64s arrive as Long objects (the `long` package is installed); Go prints them as JSON numbers. */
function toNumber(v: unknown): number {
  return typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber();
}

function readScalar(r: Reader, type: string): unknown {
  switch (type) {
    case 'int32': return r.int32();
    case 'uint32': return r.uint32();
    case 'sint32': return r.sint32();
    case 'int64': return toNumber(r.int64());
    case 'uint64': return toNumber(r.uint64());
    case 'sint64': return toNumber(r.sint64());
    case 'bool': return r.bool();
    case 'double': return r.double();
    case 'float': return r.float();
    case 'fixed32': return r.fixed32();
    case 'sfixed32': return r.sfixed32();
    case 'fixed64': return toNumber(r.fixed64());
    case 'sfixed64': return toNumber(r.sfixed64());
    case 'string': return r.string();
    case 'bytes': return r.bytes();
    default: return fail(`unsupported scalar type ${type}`);
  }
}

function isZero(v: unknown): boolean {
  return v === 0 || v === false || v === '' || (v instanceof Uint8Array && v.length === 0);
}

function zeroScalar(type: string): unknown {
  if (type === 'string') return '';
  if (type === 'bool') return false;
  if (type === 'bytes') return new Uint8Array(0);
  return 0;
}

/** Go encodes []byte as standard base64. */
function scalarJson(v: unknown): unknown {
  return v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v;
}

// Newer clients always encode their value (non-pointer) fields, zero or not, so a field added after
// our schema was generated usually arrives as a zero value. Those carry no information and are
// skipped; a non-zero unknown field would be data loss, so it is rejected.
function skipUnknown(r: Reader, type: Type, id: number, wire: number, path: string): void {
  const start = r.pos;
  if (wire === WIRE_VARINT && toNumber(r.uint64()) === 0) return;
  if (wire === WIRE_LEN && r.uint32() === 0) return;
  r.pos = start;
  fail(`unknown field ${id} (wire type ${wire}) in ${type.fullName.slice(1)} at ${path || '<root>'}; this server does not know that field`);
}

class Walker {
  #depth = 0;

  /** Decodes one message occupying r.pos..end and returns its JSON form. */
  message(type: Type, r: Reader, end: number, path: string): unknown {
    if (++this.#depth > MAX_DEPTH) fail(`objects nested deeper than ${MAX_DEPTH} levels at ${path}`);
    const present = new Map<string, unknown>();
    while (r.pos < end) {
      const tag = r.uint32();
      const id = tag >>> 3;
      const wire = tag & 7;
      if (id === 0) fail(`invalid field number 0 in ${type.fullName.slice(1)} at ${path || '<root>'}`);
      const field = type.fieldsById[id];
      if (!field) {
        skipUnknown(r, type, id, wire, path);
        continue;
      }
      this.#field(field, wire, r, present, path ? `${path}.${field.name}` : field.name);
    }
    if (r.pos !== end) fail(`truncated message at ${path || '<root>'}`);
    this.#depth--;
    return this.#json(type, present, path);
  }

  #field(field: Field, wire: number, r: Reader, present: Map<string, unknown>, path: string): void {
    if (field instanceof protobuf.MapField) {
      if (wire !== WIRE_LEN) fail(`wrong wire type ${wire} for map ${path}`);
      const entries = (present.get(field.name) as Record<string, unknown> | undefined) ?? {};
      const [k, v] = this.#mapEntry(field, r, path);
      defineMember(entries, k, v); // a key "__proto__" is an ordinary map key

      present.set(field.name, entries);
      return;
    }
    const value = field.resolvedType ? this.#embedded(field, wire, r, path) : undefined;
    if (field.repeated) {
      const list = (present.get(field.name) as unknown[] | undefined) ?? [];
      if (field.resolvedType) list.push(value);
      else if (wire === WIRE_LEN && SCALAR_WIRE[field.type] !== WIRE_LEN) {
        // packed repeated numbers
        const end = r.uint32() + r.pos;
        while (r.pos < end) list.push(readScalar(r, field.type));
      } else {
        this.#checkWire(field, wire, path);
        list.push(readScalar(r, field.type));
      }
      present.set(field.name, list);
      return;
    }
    if (field.resolvedType) {
      present.set(field.name, value);
      return;
    }
    this.#checkWire(field, wire, path);
    present.set(field.name, readScalar(r, field.type));
  }

  #checkWire(field: { readonly type: string }, wire: number, path: string): void {
    const want = SCALAR_WIRE[field.type];
    if (want === undefined) fail(`unsupported type ${field.type} at ${path}`);
    if (want !== wire) fail(`wrong wire type ${wire} for ${field.type} field ${path}`);
  }

  #embedded(field: Field, wire: number, r: Reader, path: string): unknown {
    if (wire !== WIRE_LEN) fail(`wrong wire type ${wire} for message field ${path}`);
    const len = r.uint32();
    if (r.pos + len > r.len) fail(`truncated message at ${path}`);
    return this.message(field.resolvedType as Type, r, r.pos + len, path);
  }

  #mapEntry(field: MapField, r: Reader, path: string): [string, unknown] {
    const end = r.uint32() + r.pos;
    if (end > r.len) fail(`truncated map entry at ${path}`);
    let key: unknown = zeroScalar(field.keyType);
    let value: unknown;
    while (r.pos < end) {
      const tag = r.uint32();
      const wire = tag & 7;
      if (tag >>> 3 === 1) {
        if (wire !== SCALAR_WIRE[field.keyType]) fail(`wrong wire type ${wire} for map key at ${path}`);
        key = readScalar(r, field.keyType);
      } else if (tag >>> 3 === 2) {
        if (field.resolvedType) {
          if (wire !== WIRE_LEN) fail(`wrong wire type ${wire} for map value at ${path}`);
          const len = r.uint32();
          value = this.message(field.resolvedType as Type, r, r.pos + len, `${path}[${String(key)}]`);
        } else {
          this.#checkWire(field, wire, path);
          value = scalarJson(readScalar(r, field.type));
        }
      } else {
        r.skipType(wire);
      }
    }
    if (r.pos !== end) fail(`truncated map entry at ${path}`);
    // A missing value is the zero value of the map's element type.
    value ??= field.resolvedType ? this.#json(field.resolvedType as Type, new Map(), path) : scalarJson(zeroScalar(field.type));
    return [String(key), value];
  }

  /** Applies Go's encoding/json rules to the fields that were present. */
  #json(type: Type, present: PresentFields, path: string): unknown {
    const special = WELL_KNOWN[type.fullName.slice(1)];
    if (special) return special(present, path);
    const out: Record<string, unknown> = {};
    for (const field of type.fieldsArray) {
      const opts = (field.options ?? {}) as { goValue?: boolean; jsonRequired?: boolean; jsonInline?: boolean };
      const has = present.has(field.name);
      const v = present.get(field.name);
      if (opts.jsonInline) {
        // An embedded struct tagged `json:",inline"` (VolumeSource, ProbeHandler, IngressRuleValue…):
        // its fields are promoted into this object.
        const inner = has ? v : opts.goValue ? this.#json(field.resolvedType as Type, new Map(), path) : undefined;
        if (inner && typeof inner === 'object') Object.assign(out, inner);
      } else if (field.map || field.repeated) {
        // Go has nil (absent) or non-empty collections here; a nil one prints as null without omitempty.
        if (has) out[field.name] = field.repeated && !field.resolvedType ? (v as unknown[]).map(scalarJson) : v;
        else if (opts.jsonRequired) out[field.name] = null;
      } else if (!opts.goValue) {
        // A pointer: set exactly when it was on the wire; nil prints as null without omitempty.
        if (has) out[field.name] = scalarJson(v);
        else if (opts.jsonRequired) out[field.name] = null;
      } else if (field.resolvedType) {
        // A struct value: encoding/json never omits it, so an unset one prints its zero form.
        out[field.name] = has ? v : this.#json(field.resolvedType as Type, new Map(), path);
      } else {
        const value = has ? v : zeroScalar(field.type);
        if (opts.jsonRequired || !isZero(value)) out[field.name] = scalarJson(value);
      }
    }
    return out;
  }
}

/** Decodes the bytes of one message of `type` into its Go-JSON form. */
export function decodeMessage(type: Type, bytes: Uint8Array): unknown {
  const r = protobuf.Reader.create(bytes);
  try {
    return new Walker().message(type, r, bytes.length, '');
  } catch (err) {
    // protobufjs signals truncated input with a RangeError
    if (err instanceof RangeError) fail(`truncated or malformed data (${err.message})`);
    throw err;
  }
}
