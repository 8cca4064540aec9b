// Small shared pieces for the per-kind validators: loose accessors for decoded JSON, Go-style value
// rendering where upstream prints %#v, and the generic field checks (labels, selectors, ranges).
import { FIELD_ERROR_TYPES, FieldError, GoValue, fieldErr, goQuote } from '../field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from './names.js';

/** A decoded JSON object (API objects arrive as plain JSON). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Obj => (isObj(v) ? v : {});
export const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
export const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : String(x))) : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
export const strMap = (v: unknown): Record<string, string> => {
  // Null prototype: keys are user data, and a "__proto__" label must be validated like any key.
  const out = Object.create(null) as Record<string, string>;
  for (const [k, x] of Object.entries(obj(v))) out[k] = typeof x === 'string' ? x : String(x);
  return out;
};

export const child = (path: string, name: string): string => (path ? `${path}.${name}` : name);
export const index = (path: string, i: number): string => `${path}[${i}]`;
export const key = (path: string, k: string): string => `${path}[${k}]`;

/** Go's %#v of a map[string]string (fmt sorts map keys). */
export function goStringMap(m: Record<string, string> | undefined | null, type = 'map[string]string'): string {
  if (!m) return `${type}(nil)`;
  const entries = Object.keys(m)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(m[k]!)}`);
  return `${type}{${entries.join(', ')}}`;
}

/** Go's %#v of a metav1.LabelSelector (as printed in "field is immutable" errors). */
export function goLabelSelector(sel: Obj): GoValue {
  const ml = isObj(sel.matchLabels) ? goStringMap(strMap(sel.matchLabels)) : 'map[string]string(nil)';
  const exprs = arr(sel.matchExpressions);
  const me = exprs.length
    ? `[]v1.LabelSelectorRequirement{${exprs
        .map((e) => {
          const vals = strs(e.values);
          const vs = Array.isArray(e.values) ? `[]string{${vals.map(goQuote).join(', ')}}` : '[]string(nil)';
          return `v1.LabelSelectorRequirement{Key:${goQuote(str(e.key))}, Operator:${goQuote(str(e.operator))}, Values:${vs}}`;
        })
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new GoValue(`v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`);
}

/** Go's %#v of an intstr.IntOrString. */
export function goIntOrString(v: unknown): GoValue {
  if (typeof v === 'string') return new GoValue(`intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`);
  return new GoValue(`intstr.IntOrString{Type:0, IntVal:${num(v)}, StrVal:""}`);
}

/**
 * field.NotSupported keeping the caller's order: upstream only sorts when it passes sets.List(...),
 * and several enums (restartPolicy, dnsPolicy) are passed as literal, unsorted lists.
 */
export function notSupportedInOrder(path: string, value: unknown, supported: readonly string[]): FieldError {
  return new FieldError(FIELD_ERROR_TYPES.NotSupported, path, value, 'supported values: ' + supported.map(goQuote).join(', '), true);
}

export const invalidEach = (path: string, value: unknown, msgs: readonly string[]): FieldError[] =>
  msgs.map((m) => fieldErr.invalid(path, value, m));

export const validateDNS1123Label = (value: string, path: string) => invalidEach(path, value, isDNS1123Label(value));
export const validateDNS1123Subdomain = (value: string, path: string) => invalidEach(path, value, isDNS1123Subdomain(value));
export const validateQualifiedName = (value: string, path: string) => invalidEach(path, value, isQualifiedName(value));

export const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';

export function validateNonnegative(value: number, path: string): FieldError[] {
  return value < 0 ? [fieldErr.invalid(path, value, IS_NEGATIVE_ERROR_MSG)] : [];
}

/** v1validation.ValidateLabels: errors are reported on the map's path, not per key. */
export function validateLabels(labels: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(strMap(labels))) {
    errs.push(...validateQualifiedName(k, path));
    errs.push(...invalidEach(path, v, isValidLabelValue(v)));
  }
  return errs;
}

export function validateLabelSelector(sel: unknown, path: string): FieldError[] {
  if (!isObj(sel)) return [];
  const errs = validateLabels(sel.matchLabels, child(path, 'matchLabels'));
  arr(sel.matchExpressions).forEach((e, i) => {
    const p = index(child(path, 'matchExpressions'), i);
    const op = str(e.operator);
    const values = strs(e.values);
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) errs.push(fieldErr.required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0)
        errs.push(fieldErr.forbidden(child(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(fieldErr.invalid(child(p, 'operator'), op, 'not a valid selector operator'));
    }
    errs.push(...validateQualifiedName(str(e.key), child(p, 'key')));
  });
  return errs;
}

/** Whether a label selector (matchLabels + matchExpressions) matches a label set. */
export function selectorMatches(sel: Obj, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(strMap(sel.matchLabels))) if (labels[k] !== v) return false;
  for (const e of arr(sel.matchExpressions)) {
    const k = str(e.key);
    const has = Object.prototype.hasOwnProperty.call(labels, k);
    const vals = strs(e.values);
    switch (str(e.operator)) {
      case 'In':
        if (!has || !vals.includes(labels[k]!)) return false;
        break;
      case 'NotIn':
        if (has && vals.includes(labels[k]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** apiequality.Semantic.DeepEqual for JSON values (absent, null and undefined are equal). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}
