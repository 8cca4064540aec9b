// Mutators for JSON-shaped bodies: structural changes on the parsed value (type swaps, deleted and
// duplicated keys, prototype-ish keys, deep nesting, huge values), then textual damage on the
// serialized bytes (truncation, random bytes, duplicate keys — which JSON.stringify cannot make).
import { stringify as toYaml } from 'yaml';
import { Rng } from './rng.js';
import type { Json } from './seeds.js';

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'];
const WEIRD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  'ü',
  '☃'.repeat(50),
  '../../etc/passwd',
  '%ff',
  'a'.repeat(254),
  'A_B',
  '-1',
  '1e309',
  'null',
  '{"a":1}',
  '2024-13-45T99:99:99Z',
  '10.0.0.1/33',
  '::ffff:1.2.3.4',
  'Infinity',
  'NaN',
  'x'.repeat(70_000),
];
const WEIRD_NUMBERS = [0, -1, 1, 65535, 65536, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 1e300, -1e-300, 0.5, Number.MAX_SAFE_INTEGER];

export function randomScalar(rng: Rng): Json {
  switch (rng.int(6)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick(WEIRD_NUMBERS);
    case 3:
      return rng.int(100);
    case 4:
      return rng.pick(WEIRD_STRINGS);
    default:
      return rng.bytes(1 + rng.int(8)).toString('latin1');
  }
}

/** A value of a different JSON type than `v` (string↔number↔bool↔array↔object↔null). */
function typeSwap(v: Json, rng: Rng): Json {
  const options: Json[] = [null, true, 0, 42, 'str', [], [v], {}, { v }];
  if (typeof v === 'string') options.push(Number(v) || 7);
  if (typeof v === 'number') options.push(String(v));
  return rng.pick(options);
}

function deepNest(depth: number, rng: Rng): Json {
  let v: Json = randomScalar(rng);
  for (let i = 0; i < depth; i++) v = rng.chance(0.5) ? [v] : { [rng.pick(['a', 'metadata', 'spec', '__proto__'])]: v };
  return v;
}

/** Every container (object or array) path in `v`, so mutations can land at any depth. */
function containers(v: Json, out: Json[] = [], depth = 0): Json[] {
  if (v === null || typeof v !== 'object' || depth > 30) return out;
  out.push(v);
  for (const c of Array.isArray(v) ? v : Object.values(v)) containers(c, out, depth + 1);
  return out;
}

/** Applies 1–4 structural mutations in place and returns the (possibly replaced) root. */
export function mutateValue(root: Json, rng: Rng): Json {
  const n = 1 + rng.int(4);
  for (let i = 0; i < n; i++) {
    const all = containers(root);
    if (all.length === 0) return typeSwap(root, rng);
    const target = rng.pick(all);
    if (Array.isArray(target)) {
      const op = rng.int(4);
      if (op === 0 && target.length) target.splice(rng.int(target.length), 1);
      else if (op === 1 && target.length) target.push(structuredClone(target[rng.int(target.length)]!));
      else if (op === 2 && target.length) target[rng.int(target.length)] = typeSwap(target[0]!, rng);
      else target.push(randomScalar(rng));
      continue;
    }
    const obj = target as { [k: string]: Json };
    const keys = Object.keys(obj);
    const key = keys.length ? rng.pick(keys) : 'x';
    switch (rng.int(9)) {
      case 0:
        delete obj[key];
        break;
      case 1:
      case 2:
        obj[key] = typeSwap(obj[key] ?? null, rng);
        break;
      case 3:
        // Own data property named like a prototype member: JSON.parse makes the same shape.
        Object.defineProperty(obj, rng.pick(PROTO_KEYS), {
          value: rng.chance(0.5) ? { polluted: 'yes', toString: 'x', length: 1e9 } : randomScalar(rng),
          enumerable: true,
          configurable: true,
          writable: true,
        });
        break;
      case 4:
        obj[key] = deepNest(2 + rng.int(rng.chance(0.1) ? 300 : 60), rng);
        break;
      case 5:
        obj[key] = randomScalar(rng);
        break;
      case 6:
        obj[rng.pick(['metadata', 'spec', 'status', 'kind', 'apiVersion', 'data', 'items', 'resourceVersion', 'uid', 'managedFields', 'finalizers', 'ownerReferences'])] = typeSwap(null, rng);
        break;
      case 7:
        obj[`k${rng.int(1000)}`] = randomScalar(rng);
        break;
      default:
        if (obj[key] !== undefined) obj[`${key}${rng.pick(['', 'X', ' '])}`] = structuredClone(obj[key]!);
    }
  }
  return root;
}

/** Damage to serialized bytes. */
export function mutateText(text: string, rng: Rng): Buffer {
  const buf = Buffer.from(text, 'utf8');
  switch (rng.int(8)) {
    case 0:
      return buf.subarray(0, rng.int(buf.length + 1));
    case 7: {
      // Nesting deeper than any recursive walker survives (kube-apiserver caps JSON at 10,000 levels).
      const n = rng.pick([100, 1000, 10_001, 100_000]);
      const open = rng.chance(0.5) ? '['.repeat(n) : '{"a":'.repeat(n);
      const close = open.startsWith('[') ? ']'.repeat(n) : '}'.repeat(n);
      return Buffer.from(text.replace(/"labels":/, `"labels":${open}1${close},"x":`), 'utf8');
    }
    case 1: {
      const b = Buffer.from(buf);
      for (let i = 0, n = 1 + rng.int(4); i < n && b.length; i++) b[rng.int(b.length)] = rng.int(256);
      return b;
    }
    case 2:
      return Buffer.concat([buf, rng.bytes(rng.int(16))]);
    case 3:
      // Duplicate keys: kube-apiserver's strict decoding reports them; a naive parser keeps the last.
      return Buffer.from(text.replace(/"name":/, '"name":"dup","name":'), 'utf8');
    case 4:
      return Buffer.from(text.replace(/(\d+)/, rng.pick(['1e400', '123456789012345678901234567890', '-0', '0x10', '1.', 'NaN'])), 'utf8');
    case 5:
      return Buffer.from(text.replace(/"/, rng.pick(['\\u0000"', "'", '"\\ud800'])), 'utf8');
    default:
      return Buffer.from(`\ufeff${text}`, 'utf8');
  }
}

export function serialize(v: Json, yaml: boolean): string {
  if (!yaml) return JSON.stringify(v) ?? 'null';
  try {
    return toYaml(v, { aliasDuplicateObjects: false });
  } catch {
    return JSON.stringify(v); // JSON is YAML too
  }
}

/** YAML-only hazards: anchors/aliases (billion laughs, bounded), tags, multiple documents. */
export function yamlHazard(rng: Rng): string {
  switch (rng.int(5)) {
    case 0: {
      let s = 'a0: &a0 ["x","x","x","x","x","x","x","x","x"]\n';
      for (let i = 1; i < 7; i++) s += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]\n`;
      return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fz-laughs}\n${s}`;
    }
    case 1:
      return 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: !!binary AAEC\n  labels: !!set {a, b}\n';
    case 2:
      return 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fz-0}\n---\napiVersion: v1\nkind: Pod\n';
    case 3:
      return 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fz-0, name: fz-1}\ndata: {<<: {a: b}}\n';
    default:
      return 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fz-0}\ndata: {a: 0o17, b: .inf, c: ~, d: 2001-12-14t21:59:43.10-05:00}\n';
  }
}
