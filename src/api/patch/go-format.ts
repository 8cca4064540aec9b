// Go's fmt verbs applied to decoded JSON (map[string]interface{}, []interface{}, int64/float64,
// string, bool, nil). Strategic-merge-patch errors embed values printed this way, and the
// apiserver returns those messages verbatim (kubectl prints "Error from server: map: map[...] ...").

/** The Go type that encoding/json (with int preservation) gives a decoded JSON value. */
export function goTypeName(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** %v of a float64: strconv 'g' with the shortest digits, exponent form from 1e+06 up. */
function goFloat(f: number): string {
  if (!Number.isFinite(f)) return Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf';
  const [mantissa, expText] = f.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(f);
}

/** fmt's %v: maps print as map[k:v ...] with sorted keys, slices as [a b], nil as <nil>. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  const m = v as Record<string, unknown>;
  const keys = Object.keys(m).sort();
  return `map[${keys.map((k) => `${k}:${goValue(m[k])}`).join(' ')}]`;
}

/** fmt's %s: strings print as-is, anything else as %!s(type=value). */
export function goPercentS(v: unknown): string {
  if (typeof v === 'string') return v;
  const t = goTypeName(v);
  return t === undefined ? '%!s(<nil>)' : `%!s(${t}=${goValue(v)})`;
}

/** %s of a reflect.Type (nil prints as %!s(<nil>)). */
export function goTypeString(v: unknown): string {
  return goTypeName(v) ?? '%!s(<nil>)';
}

/** The JSON kind encoding/json names in UnmarshalTypeError ("array", "string", ...). */
export function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // 'string' | 'number'
}
