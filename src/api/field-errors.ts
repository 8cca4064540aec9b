// Field errors as apimachinery's field.Error renders them (k8s.io/apimachinery/pkg/util/validation/field).
// The text of every error is part of the API: kubectl prints `<field>: <ErrorBody>` verbatim.

export const FIELD_ERROR_TYPES = {
  NotFound: 'FieldValueNotFound',
  Required: 'FieldValueRequired',
  Duplicate: 'FieldValueDuplicate',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  TooMany: 'FieldValueTooMany',
  Internal: 'InternalError',
} as const;

export type FieldErrorType = (typeof FIELD_ERROR_TYPES)[keyof typeof FIELD_ERROR_TYPES];

/** Marker for values that Go would print with %#v (e.g. `[]string{"a"}`); carries the rendered text. */
export class GoValue {
  constructor(readonly text: string) {}
}

/** Renders a value as field.Error does: ints/bools plain, strings %q, nil `null`, others preformatted. */
export function formatFieldValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof GoValue) return v.text;
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return goStringSlice(v as string[]);
  return JSON.stringify(v);
}

/** Go's %q for the strings we meet (ASCII-printable plus the usual escapes). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** Go's %#v of a []string. */
export function goStringSlice(items: readonly string[]): string {
  return `[]string{${items.map(goQuote).join(', ')}}`;
}

export class FieldError {
  constructor(
    readonly type: FieldErrorType,
    readonly field: string,
    readonly value: unknown,
    readonly detail: string,
    /** Whether a value is part of the body (Required/Forbidden/TooLong/Internal print none). */
    readonly hasValue: boolean,
  ) {}

  /** field.Error.ErrorBody(): the message without the field path. */
  body(): string {
    let s: string;
    switch (this.type) {
      case FIELD_ERROR_TYPES.Required:
        s = 'Required value';
        break;
      case FIELD_ERROR_TYPES.Forbidden:
        s = 'Forbidden';
        break;
      case FIELD_ERROR_TYPES.TooLong:
        s = 'Too long';
        break;
      case FIELD_ERROR_TYPES.Internal:
        s = 'Internal error';
        break;
      case FIELD_ERROR_TYPES.NotFound:
        s = `Not found: ${formatFieldValue(this.value)}`;
        break;
      case FIELD_ERROR_TYPES.Duplicate:
        s = `Duplicate value: ${formatFieldValue(this.value)}`;
        break;
      case FIELD_ERROR_TYPES.NotSupported:
        s = `Unsupported value: ${formatFieldValue(this.value)}`;
        break;
      case FIELD_ERROR_TYPES.TooMany:
        s = `Too many: ${formatFieldValue(this.value)}`;
        break;
      default:
        s = `Invalid value: ${formatFieldValue(this.value)}`;
    }
    if (this.detail) s += `: ${this.detail}`;
    return s;
  }

  /** field.Error.Error(): `<field>: <body>`. */
  toString(): string {
    return `${this.field}: ${this.body()}`;
  }
}

// Constructors named as in the field package.
export const fieldErr = {
  required: (field: string, detail = '') => new FieldError(FIELD_ERROR_TYPES.Required, field, undefined, detail, false),
  forbidden: (field: string, detail = '') => new FieldError(FIELD_ERROR_TYPES.Forbidden, field, undefined, detail, false),
  invalid: (field: string, value: unknown, detail = '') => new FieldError(FIELD_ERROR_TYPES.Invalid, field, value, detail, true),
  duplicate: (field: string, value: unknown) => new FieldError(FIELD_ERROR_TYPES.Duplicate, field, value, '', true),
  notFound: (field: string, value: unknown) => new FieldError(FIELD_ERROR_TYPES.NotFound, field, value, '', true),
  notSupported: (field: string, value: unknown, supported: readonly string[]) =>
    new FieldError(
      FIELD_ERROR_TYPES.NotSupported,
      field,
      value,
      supported.length ? 'supported values: ' + [...supported].sort().map(goQuote).join(', ') : '',
      true,
    ),
  tooLong: (field: string, maxLength: number) =>
    new FieldError(FIELD_ERROR_TYPES.TooLong, field, undefined, `may not be more than ${maxLength} bytes`, false),
  tooLongMaxLength: (field: string, value: unknown, maxLength: number) =>
    new FieldError(FIELD_ERROR_TYPES.TooLong, field, value, `may not be more than ${maxLength} bytes`, false),
  tooMany: (field: string, actual: number, max: number) =>
    new FieldError(FIELD_ERROR_TYPES.TooMany, field, actual, `must have at most ${max} items`, true),
  internal: (field: string, err: string) => new FieldError(FIELD_ERROR_TYPES.Internal, field, undefined, err, false),
};

export type FieldErrorList = FieldError[];
