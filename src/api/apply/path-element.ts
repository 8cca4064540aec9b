// Path elements as structured-merge-diff (sigs.k8s.io/structured-merge-diff/v4/fieldpath) knows
// them, kept in their FieldsV1 spelling: `f:name` (struct field or map key), `k:{"port":80,...}`
// (associative-list key), `v:"x"` (set member) and `i:3` (index). The spelling is canonical (key
// fields sorted by name, Go's JSON encoding), so two elements are equal exactly when their strings are.

export type Scalar = string | number | boolean | null;

/** A path element in FieldsV1 spelling. */
export type PathElement = string;
export type Path = readonly PathElement[];

/** JSON the way Go's encoding/json writes it (HTML-safe escapes, map keys sorted). */
export function goJSON(v: unknown): string {
  if (typeof v === 'string') {
    return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (Array.isArray(v)) return `[${v.map(goJSON).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${goJSON(k)}:${goJSON((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export function fieldPE(name: string): PathElement {
  return `f:${name}`;
}

/** Key of an associative-list item; the fields are sorted by name as upstream's FieldList.Sort does. */
export function keyPE(fields: Readonly<Record<string, unknown>>): PathElement {
  return `k:${goJSON(fields)}`;
}

export function valuePE(v: unknown): PathElement {
  return `v:${goJSON(v)}`;
}

export function indexPE(i: number): PathElement {
  return `i:${i}`;
}

export type ParsedPE =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'key'; readonly fields: ReadonlyArray<readonly [string, unknown]> }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'index'; readonly index: number };

const parsedCache = new Map<string, ParsedPE>();

export function parsePE(pe: PathElement): ParsedPE {
  const hit = parsedCache.get(pe);
  if (hit) return hit;
  const body = pe.slice(2);
  let out: ParsedPE;
  switch (pe.slice(0, 2)) {
    case 'f:':
      out = { kind: 'field', name: body };
      break;
    case 'k:': {
      const obj = JSON.parse(body) as Record<string, unknown>;
      out = { kind: 'key', fields: Object.keys(obj).sort().map((k) => [k, obj[k]] as const) };
      break;
    }
    case 'v:':
      out = { kind: 'value', value: JSON.parse(body) };
      break;
    case 'i:':
      out = { kind: 'index', index: Number(body) };
      break;
    default:
      throw new Error(`unknown path element ${JSON.stringify(pe)}`);
  }
  if (parsedCache.size < 10000) parsedCache.set(pe, out);
  return out;
}

/** True for the element spellings FieldsV1 allows. */
export function isPathElement(s: string): boolean {
  if (!/^[fkvi]:/.test(s)) return false;
  try {
    parsePE(s);
    return true;
  } catch {
    return false;
  }
}

function typeRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null && typeof v === 'object') return 4;
  return 5; // null sorts last, as value.Compare does
}

function cmp<T extends string | number | boolean>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** value.Compare: numbers < strings < bools < lists < maps < null. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
    case 1:
    case 2:
      return cmp(a as string, b as string);
    case 3: {
      const la = a as unknown[];
      const lb = b as unknown[];
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const c = compareValues(la[i], lb[i]);
        if (c !== 0) return c;
      }
      return la.length - lb.length;
    }
    case 4: {
      const ea = Object.keys(a as object).sort();
      const eb = Object.keys(b as object).sort();
      for (let i = 0; i < Math.min(ea.length, eb.length); i++) {
        const c = cmp(ea[i]!, eb[i]!) || compareValues((a as Record<string, unknown>)[ea[i]!], (b as Record<string, unknown>)[eb[i]!]);
        if (c !== 0) return c;
      }
      return ea.length - eb.length;
    }
    default:
      return 0;
  }
}

const kindRank = { field: 0, key: 1, value: 2, index: 3 } as const;

/** PathElement.Compare: fields < keys < values < indexes, then within the kind. */
export function comparePE(a: PathElement, b: PathElement): number {
  if (a === b) return 0;
  const pa = parsePE(a);
  const pb = parsePE(b);
  if (pa.kind !== pb.kind) return kindRank[pa.kind] - kindRank[pb.kind];
  switch (pa.kind) {
    case 'field':
      return cmp(pa.name, (pb as typeof pa).name);
    case 'value':
      return compareValues(pa.value, (pb as typeof pa).value);
    case 'index':
      return pa.index - (pb as typeof pa).index;
    case 'key': {
      const fb = (pb as typeof pa).fields;
      for (let i = 0; i < Math.min(pa.fields.length, fb.length); i++) {
        const c = cmp(pa.fields[i]![0], fb[i]![0]) || compareValues(pa.fields[i]![1], fb[i]![1]);
        if (c !== 0) return c;
      }
      return pa.fields.length - fb.length;
    }
  }
}

/** value.ToString: strings quoted like Go's %q, numbers and bools bare. */
function valueToString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueToString).join(',')}]`;
  if (typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${k}=${valueToString((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return String(v);
}

/** PathElement.String(): `.name`, `[port=80,protocol="TCP"]`, `[="x"]`, `[3]`. */
export function peToString(pe: PathElement): string {
  const p = parsePE(pe);
  switch (p.kind) {
    case 'field':
      return `.${p.name}`;
    case 'key':
      return `[${p.fields.map(([k, v]) => `${k}=${valueToString(v)}`).join(',')}]`;
    case 'value':
      return `[=${valueToString(p.value)}]`;
    case 'index':
      return `[${p.index}]`;
  }
}

/** Path.String(), e.g. `.spec.ports[port=80,protocol="TCP"].targetPort`. */
export function pathToString(path: Path): string {
  return path.map(peToString).join('');
}
