// Reads gnostic's openapiv2/OpenAPIv2.proto descriptor out of a Go binary such as kubectl.
//
// Why from the binary: protoc-gen-go registers every generated file's raw FileDescriptorProto
// (not gzipped, unlike gogo), so the field numbers client-go decodes /openapi/v2 with are in
// kubectl itself. tools/extract-descriptor.mjs writes descriptor-data.ts from it, and a test checks
// that the committed copy still matches the binaries on the machine.
import protobuf from 'protobufjs';

export const GNOSTIC_PROTO_FILE = 'openapiv2/OpenAPIv2.proto';

/** A protobufjs JSON message descriptor, the subset this file emits. */
export interface MessageJSON {
  oneofs?: Record<string, { oneof: string[] }>;
  fields: Record<string, { type: string; id: number; rule?: 'repeated' }>;
}

/** protobufjs JSON for one proto package: `{ nested: { openapi: { nested: { v2: { nested: … } } } } }`. */
export interface NamespaceJSON {
  nested: Record<string, NamespaceJSON | MessageJSON>;
}

type FieldValue = Uint8Array | number;

/** Top-level fields of one message, in wire order; stops at the first tag that cannot belong to it. */
function readFields(buf: Uint8Array, accept?: (no: number, wireType: number, prevNo: number) => boolean): { fields: [number, FieldValue][]; end: number } {
  const r = protobuf.Reader.create(buf);
  const fields: [number, FieldValue][] = [];
  let end = 0;
  let prev = 0;
  while (r.pos < r.len) {
    const start = r.pos;
    try {
      const tag = r.uint32();
      const no = tag >>> 3;
      const wt = tag & 7;
      if (accept && !accept(no, wt, prev)) break;
      if (wt === 2) fields.push([no, r.bytes()]);
      else if (wt === 0) fields.push([no, Number(r.uint64().toString())]);
      else r.skipType(wt);
      prev = no;
      end = r.pos;
    } catch {
      r.pos = start;
      break;
    }
  }
  return { fields, end };
}

const utf8 = (b: FieldValue): string => Buffer.from(b as Uint8Array).toString('utf8');

/**
 * Finds the raw FileDescriptorProto of gnostic's OpenAPIv2.proto in `binary`. The bytes after it are
 * unrelated data, so the end is where the fields stop being a plausible FileDescriptorProto: protoc
 * writes fields in increasing number order, and only numbers 1..14 exist.
 */
export function findRawDescriptor(binary: Buffer): Buffer | undefined {
  const marker = Buffer.concat([Buffer.from([0x0a, GNOSTIC_PROTO_FILE.length]), Buffer.from(GNOSTIC_PROTO_FILE)]);
  const at = binary.indexOf(marker);
  if (at < 0) return undefined;
  const window = binary.subarray(at, at + (1 << 20));
  const singular = new Set([1, 2, 8, 9, 12, 14]);
  const { end } = readFields(window, (no, wt, prev) => {
    if (no < 1 || no > 14 || no < prev || (no === prev && singular.has(no))) return false;
    return no === 10 || no === 11 || no === 14 ? wt === 0 : wt === 2;
  });
  return Buffer.from(window.subarray(0, end));
}

// descriptor.proto FieldDescriptorProto.Type numbers → protobufjs scalar names.
const SCALARS: Readonly<Record<number, string>> = {
  1: 'double', 2: 'float', 3: 'int64', 4: 'uint64', 5: 'int32', 6: 'fixed64', 7: 'fixed32', 8: 'bool',
  9: 'string', 12: 'bytes', 13: 'uint32', 15: 'sfixed32', 16: 'sfixed64', 17: 'sint32', 18: 'sint64',
};
const TYPE_MESSAGE = 11;
const LABEL_REPEATED = 3;

function messageJSON(buf: Uint8Array, into: Record<string, MessageJSON>): void {
  let name = '';
  const msg: MessageJSON = { fields: {} };
  const oneofNames: string[] = [];
  const members: [number, string][] = [];
  for (const [no, v] of readFields(buf).fields) {
    if (no === 1) name = utf8(v);
    else if (no === 8) oneofNames.push(utf8(readFields(v as Uint8Array).fields.find(([n]) => n === 1)![1]));
    else if (no === 3 || no === 4) throw new Error('nested messages and enums are not expected in OpenAPIv2.proto');
    else if (no === 2) {
      const f: { name?: string; jsonName?: string; number?: number; label?: number; type?: number; typeName?: string; oneof?: number } = {};
      for (const [fno, fv] of readFields(v as Uint8Array).fields) {
        if (fno === 1) f.name = utf8(fv);
        else if (fno === 3) f.number = fv as number;
        else if (fno === 4) f.label = fv as number;
        else if (fno === 5) f.type = fv as number;
        else if (fno === 6) f.typeName = utf8(fv);
        else if (fno === 9) f.oneof = fv as number;
        else if (fno === 10) f.jsonName = utf8(fv);
      }
      const key = f.jsonName ?? f.name!;
      const type = f.type === TYPE_MESSAGE ? f.typeName! : SCALARS[f.type!];
      if (!type) throw new Error(`unsupported field type ${f.type} in ${name}.${f.name}`);
      msg.fields[key] = { type, id: f.number!, ...(f.label === LABEL_REPEATED ? { rule: 'repeated' as const } : {}) };
      if (f.oneof !== undefined) members.push([f.oneof, key]);
    }
  }
  if (oneofNames.length) {
    msg.oneofs = {};
    oneofNames.forEach((n, i) => (msg.oneofs![n] = { oneof: members.filter(([o]) => o === i).map(([, k]) => k) }));
  }
  into[name] = msg;
}

/** Converts a raw FileDescriptorProto to protobufjs JSON, with google.protobuf.Any beside it. */
export function descriptorToJSON(raw: Uint8Array): NamespaceJSON {
  let pkg = '';
  const messages: Record<string, MessageJSON> = {};
  for (const [no, v] of readFields(raw).fields) {
    if (no === 2) pkg = utf8(v);
    else if (no === 4) messageJSON(v as Uint8Array, messages);
    else if (no === 5) throw new Error('enums are not expected in OpenAPIv2.proto');
  }
  const sorted = Object.fromEntries(Object.keys(messages).sort().map((k) => [k, messages[k]!]));
  let ns: NamespaceJSON = { nested: sorted };
  for (const part of pkg.split('.').reverse()) ns = { nested: { [part]: ns } };
  // gnostic's Any wraps google.protobuf.Any (imported, not in this file); its two fields are fixed.
  ns.nested['google'] = {
    nested: { protobuf: { nested: { Any: { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } } } } },
  };
  return ns;
}
