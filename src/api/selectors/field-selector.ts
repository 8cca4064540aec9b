// Field selectors (k8s.io/apimachinery/pkg/fields): comma-separated `field=value`,
// `field==value`, `field!=value` terms, ANDed. Values may escape `\`, `,` and `=` with a
// backslash; field names take the first operator as the split point. A missing field reads as "".
import { apiErrors } from '../errors.js';

export type FieldOperator = '=' | '==' | '!=';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

export type Fields = Readonly<Record<string, string>>;

/** Maps a field label (and value) to what the registry knows, or throws (ConvertFieldLabel). */
export type FieldTransform = (field: string, value: string) => [field: string, value: string];

export class FieldSelector {
  /** Terms in the order upstream keeps them (the raw terms sorted as strings). */
  readonly requirements: readonly FieldRequirement[];

  constructor(requirements: readonly FieldRequirement[]) {
    this.requirements = requirements;
  }

  static everything(): FieldSelector {
    return EVERYTHING;
  }

  matches(fields: Fields | undefined): boolean {
    return this.requirements.every((r) => {
      const have = fields?.[r.field] ?? '';
      return r.operator === '!=' ? have !== r.value : have === r.value;
    });
  }

  empty(): boolean {
    return this.requirements.length === 0;
  }

  /** The value an `=`/`==` term pins `field` to (used to narrow a list, e.g. metadata.name). */
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator !== '!=')?.value;
  }

  /** Selector.Transform: rewrites each term; a term mapped to ("", "") selects everything. */
  transform(fn: FieldTransform): FieldSelector {
    const out: FieldRequirement[] = [];
    for (const r of this.requirements) {
      const [field, value] = fn(r.field, r.value);
      if (field === '' && value === '') continue;
      out.push({ field, operator: r.operator, value });
    }
    return new FieldSelector(out);
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeFieldValue(r.value)}`).join(',');
  }
}

const EVERYTHING = new FieldSelector([]);

/** EscapeValue: makes a literal safe as a field selector value. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** splitTerms: commas split terms unless backslash-escaped (the backslash stays in the term). */
function splitTerms(selector: string): string[] {
  if (selector === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const TERM_OPERATORS: readonly FieldOperator[] = ['!=', '==', '='];

/** splitTerm: the leftmost position where any operator starts; `!=` and `==` win over `=` there. */
function splitTerm(term: string): FieldRequirement | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), operator: op, value: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/**
 * UnescapeValue. Go prints the offending rune with %v, i.e. as a number:
 * "invalid field selector: unescaped character in value: 61" for '='.
 */
function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new Error(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      throw new Error(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new Error('invalid field selector: invalid escape sequence: \\');
  return out;
}

/**
 * fields.ParseSelector of a `fieldSelector` query value. Errors throw the 400 the apiserver
 * answers with, e.g. `invalid selector: 'abc'; can't understand 'abc'`.
 */
export function parseFieldSelector(selector: string): FieldSelector {
  const terms = splitTerms(selector).sort();
  const out: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === '') continue;
    const r = splitTerm(term);
    if (!r) throw apiErrors.badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    let value: string;
    try {
      value = unescapeValue(r.value);
    } catch (err) {
      throw apiErrors.badRequest((err as Error).message);
    }
    out.push({ field: r.field, operator: r.operator, value });
  }
  return new FieldSelector(out);
}

/** fields.SelectorFromSet / OneTermEqualSelector: field=value for every entry. */
export function fieldSelectorFromSet(set: Fields): FieldSelector {
  return new FieldSelector(Object.entries(set).map(([field, value]) => ({ field, operator: '=' as const, value })));
}
