// labels.Requirement: a key, an operator and values, built and validated like
// k8s.io/apimachinery/pkg/labels NewRequirement (errors are field errors, aggregated).
import { GoValue, fieldErr, type FieldError } from '../field-errors.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';

/** selection.Operator values. */
export const LABEL_OPERATORS = {
  DoesNotExist: '!',
  Equals: '=',
  DoubleEquals: '==',
  In: 'in',
  NotEquals: '!=',
  NotIn: 'notin',
  Exists: 'exists',
  GreaterThan: 'gt',
  LessThan: 'lt',
} as const;

export type LabelOperator = (typeof LABEL_OPERATORS)[keyof typeof LABEL_OPERATORS];

export interface Requirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>>;

const INT64 = /^[+-]?[0-9]+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64), or undefined when it would fail. */
export function parseInt64(s: string): bigint | undefined {
  if (!INT64.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/** field.Path rendering: a nil path prints "<nil>"; children append ".name", "[i]", "[key]". */
function child(path: string | undefined, name: string): string {
  return path ? `${path}.${name}` : name;
}

/** validateLabelKey: a qualified name, reported at `path` ("<nil>" when the parser has none). */
export function validateLabelKey(key: string, path: string): FieldError | undefined {
  const errs = isQualifiedName(key);
  return errs.length ? fieldErr.invalid(path, key, errs.join('; ')) : undefined;
}

/** errors.NewAggregate(...).Error(): one message as-is, several deduplicated in [a, b]. */
export function aggregateMessage(errs: readonly FieldError[]): string {
  const msgs = [...new Set(errs.map((e) => e.toString()))];
  return msgs.length === 1 ? msgs[0]! : `[${msgs.join(', ')}]`;
}

/**
 * NewRequirement. Returns the requirement, or the aggregated error message. `path` is the
 * field path option (undefined when the caller passed none, as the parser and
 * LabelSelectorAsSelector do).
 */
export function newRequirement(
  key: string,
  operator: LabelOperator,
  values: readonly string[],
  path?: string,
): { requirement: Requirement; error?: undefined } | { requirement?: undefined; error: string } {
  const errs: FieldError[] = [];
  const keyErr = validateLabelKey(key, child(path, 'key'));
  if (keyErr) errs.push(keyErr);
  const valuePath = child(path, 'values');
  // %#v of the values: LabelSelectorAsSelector copies with append([]string(nil), ...), so an
  // empty list prints as a nil slice.
  const list = values.length ? [...values] : new GoValue('[]string(nil)');
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(fieldErr.invalid(valuePath, list, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(fieldErr.invalid(valuePath, list, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(fieldErr.invalid(valuePath, list, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(fieldErr.invalid(valuePath, list, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(fieldErr.invalid(`${valuePath}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
  }
  values.forEach((v, i) => {
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length) errs.push(fieldErr.invalid(`${valuePath}[${i}][${key}]`, v, valueErrs.join('; ')));
  });
  if (errs.length) return { error: aggregateMessage(errs) };
  return { requirement: { key, operator, values: [...values] } };
}

/** Requirement.Matches. */
export function requirementMatches(r: Requirement, labels: Labels | undefined): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key]! : '';
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const have = parseInt64(value);
      const want = parseInt64(r.values[0]!);
      if (have === undefined || want === undefined) return false;
      return r.operator === 'gt' ? have > want : have < want;
    }
  }
}

/** Requirement.String(): "!k", "k", "k=v", "k in (a,b)" (multiple values sorted). */
export function requirementString(r: Requirement): string {
  let s = r.operator === '!' ? `!${r.key}` : r.key;
  switch (r.operator) {
    case 'exists':
    case '!':
      return s;
    case 'in':
      s += ' in ';
      break;
    case 'notin':
      s += ' notin ';
      break;
    case 'gt':
      s += '>';
      break;
    case 'lt':
      s += '<';
      break;
    default:
      s += r.operator;
  }
  const values = r.values.length === 1 ? r.values[0]! : [...r.values].sort().join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${s}(${values})` : s + values;
}
