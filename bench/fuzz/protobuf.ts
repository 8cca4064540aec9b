// Protobuf bodies: the `k8s\0` magic + runtime.Unknown{typeMeta, raw, contentEncoding,
// contentType} envelope kube-apiserver and kubectl use. Seeds are the real kubectl captures in
// src/apiserver/protobuf/testdata; mutations work on the wire format (fields dropped, duplicated,
// re-typed, lengths lied about) at any depth, and on the envelope (kind relabelled, magic damaged).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from './rng.js';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

interface Field {
  readonly no: number;
  readonly wire: number;
  readonly data: Buffer; // varint bytes, fixed bytes, or length-delimited payload
}

function varint(n: number | bigint): Buffer {
  let v = BigInt(n);
  if (v < 0n) v &= (1n << 64n) - 1n;
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Buffer.from(out);
}

function readVarint(b: Buffer, pos: number): [bigint, number] | undefined {
  let v = 0n;
  for (let shift = 0n; pos < b.length && shift < 70n; shift += 7n) {
    const byte = b[pos++]!;
    v |= BigInt(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return [v, pos];
  }
  return undefined;
}

/** Parses one message level; undefined when the bytes are not a well-formed message. */
export function parseFields(b: Buffer): Field[] | undefined {
  const out: Field[] = [];
  let pos = 0;
  while (pos < b.length) {
    const tag = readVarint(b, pos);
    if (!tag) return undefined;
    pos = tag[1];
    const no = Number(tag[0] >> 3n);
    const wire = Number(tag[0] & 7n);
    if (wire === 0) {
      const v = readVarint(b, pos);
      if (!v) return undefined;
      out.push({ no, wire, data: b.subarray(pos, v[1]) });
      pos = v[1];
    } else if (wire === 2) {
      const len = readVarint(b, pos);
      if (!len || len[1] + Number(len[0]) > b.length) return undefined;
      out.push({ no, wire, data: b.subarray(len[1], len[1] + Number(len[0])) });
      pos = len[1] + Number(len[0]);
    } else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      if (pos + n > b.length) return undefined;
      out.push({ no, wire, data: b.subarray(pos, pos + n) });
      pos += n;
    } else return undefined;
  }
  return out;
}

function encodeField(f: Field): Buffer {
  const tag = varint((f.no << 3) | f.wire);
  return f.wire === 2 ? Buffer.concat([tag, varint(f.data.length), f.data]) : Buffer.concat([tag, f.data]);
}

export function encodeFields(fs: readonly Field[]): Buffer {
  return Buffer.concat(fs.map(encodeField));
}

const str = (no: number, s: string | Buffer): Field => ({ no, wire: 2, data: Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8') });

export function envelope(apiVersion: string, kind: string, raw: Buffer, extra: Field[] = []): Buffer {
  const typeMeta = encodeFields([str(1, apiVersion), str(2, kind)]);
  return Buffer.concat([MAGIC, encodeFields([str(1, typeMeta), str(2, raw), ...extra])]);
}

export interface PbSeed {
  readonly name: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly raw: Buffer;
  readonly body: Buffer;
}

/** The kubectl-captured protobuf bodies, unwrapped so the envelope can be rebuilt. */
export function loadProtobufSeeds(repoRoot: string): PbSeed[] {
  const base = join(repoRoot, 'src', 'apiserver', 'protobuf', 'testdata');
  const out: PbSeed[] = [];
  if (!existsSync(base)) return out;
  for (const ver of readdirSync(base).sort()) {
    const dir = join(base, ver);
    if (!/^\d/.test(ver)) continue;
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.pb')) continue;
      const body = readFileSync(join(dir, f));
      const fields = body.subarray(0, 4).equals(MAGIC) ? parseFields(body.subarray(4)) : undefined;
      const tm = fields?.find((x) => x.no === 1);
      const raw = fields?.find((x) => x.no === 2);
      const tmf = tm ? parseFields(tm.data) : undefined;
      if (!raw || !tmf) continue;
      const get = (n: number) => tmf.find((x) => x.no === n)?.data.toString('utf8') ?? '';
      out.push({ name: `${ver}/${f}`, apiVersion: get(1), kind: get(2), raw: raw.data, body });
    }
  }
  return out;
}

/** Mutates a message at a random depth (recursing into length-delimited fields that parse). */
function mutateMessage(b: Buffer, rng: Rng, depth = 0): Buffer {
  const fields = parseFields(b);
  if (!fields || fields.length === 0) return Buffer.concat([b, varint(rng.int(200))]);
  const i = rng.int(fields.length);
  const f = fields[i]!;
  if (f.wire === 2 && depth < 12 && rng.chance(0.6) && parseFields(f.data)) {
    fields[i] = { ...f, data: mutateMessage(f.data, rng, depth + 1) };
    return encodeFields(fields);
  }
  switch (rng.int(8)) {
    case 0:
      fields.splice(i, 1);
      break;
    case 1:
      fields.splice(i, 0, f);
      break;
    case 2:
      fields[i] = { no: f.no, wire: f.wire === 2 ? 0 : 2, data: f.wire === 2 ? varint(rng.int(1 << 20)) : rng.bytes(rng.int(10)) };
      break;
    case 3:
      fields[i] = { ...f, data: f.wire === 0 ? varint(rng.pick([0n, 1n, -1n, 2n ** 63n, 2n ** 31n, 0xffffffffn])) : rng.bytes(f.data.length) };
      break;
    case 4:
      fields.push({ no: 1 + rng.int(rng.chance(0.5) ? 20 : 536870911), wire: rng.pick([0, 2]), data: rng.chance(0.5) ? varint(rng.int(9)) : rng.bytes(rng.int(12)) });
      break;
    case 5: {
      // A length prefix that lies: longer than what follows.
      const enc = encodeFields(fields);
      return Buffer.concat([enc, varint((f.no << 3) | 2), varint(1_000_000 + rng.int(1 << 30)), rng.bytes(rng.int(8))]);
    }
    case 6:
      if (f.wire === 2) fields[i] = { ...f, data: Buffer.from(rng.pick(['\u00ff\u00fe', '__proto__', '', 'x'.repeat(300), '\ud800']), 'utf8') };
      break;
    default:
      return encodeFields(fields).subarray(0, rng.int(b.length + 1));
  }
  return encodeFields(fields);
}

const KINDS_AV: readonly (readonly [string, string])[] = [
  ['v1', 'Pod'],
  ['v1', 'Service'],
  ['v1', 'ConfigMap'],
  ['v1', 'Namespace'],
  ['apps/v1', 'Deployment'],
  ['v1', 'Secret'],
  ['meta.k8s.io/v1', 'DeleteOptions'],
  ['v1', 'Status'],
  ['', ''],
  ['v1', '__proto__'],
  ['apps/v1', 'Scale'],
  ['discovery.k8s.io/v1', 'EndpointSlice'],
];

export function protobufBody(seeds: readonly PbSeed[], rng: Rng): { body: Buffer; note: string } {
  const s = rng.pick(seeds);
  switch (rng.weighted<number>([[1, 0], [6, 1], [2, 2], [1, 3], [1, 4], [1, 5]])) {
    case 0:
      return { body: s.body, note: `pb seed ${s.name}` };
    case 1:
      return { body: envelope(s.apiVersion, s.kind, mutateMessage(s.raw, rng)), note: `pb mutate ${s.name}` };
    case 2: {
      const [av, k] = rng.pick(KINDS_AV);
      return { body: envelope(av, k, rng.chance(0.5) ? s.raw : mutateMessage(s.raw, rng)), note: `pb relabel ${s.name} as ${av}/${k}` };
    }
    case 3:
      return {
        body: envelope(s.apiVersion, s.kind, s.raw, [str(3, rng.pick(['gzip', 'identity', 'x'])), str(4, rng.pick(['application/json', 'application/vnd.kubernetes.protobuf', '']))]),
        note: `pb contentEncoding ${s.name}`,
      };
    case 4: {
      const b = Buffer.from(s.body);
      for (let i = 0, n = 1 + rng.int(6); i < n; i++) b[rng.int(b.length)] = rng.int(256);
      return { body: rng.chance(0.3) ? b.subarray(0, rng.int(b.length)) : b, note: `pb byteflip ${s.name}` };
    }
    default:
      return { body: envelope(s.apiVersion, s.kind, Buffer.from(JSON.stringify({ kind: s.kind }))), note: `pb json-in-raw ${s.name}` };
  }
}
