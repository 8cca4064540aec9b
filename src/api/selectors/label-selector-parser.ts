// The label-selector string grammar of k8s.io/apimachinery/pkg/labels (Lexer + Parser), with
// upstream's error texts:
//   <selector>    ::= <requirement> | <requirement> "," <selector>
//   <requirement> ::= [!] KEY [ <set-based> | <exact-match> ]
//   <set-based>   ::= "" | ("in" | "notin") "(" VALUE { "," VALUE } ")"
//   <exact-match> ::= ("=" | "==" | "!=" | ">" | "<") VALUE
import { newRequirement, validateLabelKey, type LabelOperator, type Requirement } from './label-requirement.js';

const Tok = {
  EndOfString: 'eos',
  ClosedPar: ')',
  Comma: ',',
  DoesNotExist: '!',
  DoubleEquals: '==',
  Equals: '=',
  GreaterThan: '>',
  Identifier: 'id',
  In: 'in',
  LessThan: '<',
  NotEquals: '!=',
  NotIn: 'notin',
  OpenPar: '(',
} as const;

type Token = (typeof Tok)[keyof typeof Tok];

// A Map: selector words are user input, and a plain object would turn "constructor" into a token.
const STRING_TO_TOKEN: ReadonlyMap<string, Token> = new Map(Object.entries({
  ')': Tok.ClosedPar,
  ',': Tok.Comma,
  '!': Tok.DoesNotExist,
  '==': Tok.DoubleEquals,
  '=': Tok.Equals,
  '>': Tok.GreaterThan,
  in: Tok.In,
  '<': Tok.LessThan,
  '!=': Tok.NotEquals,
  notin: Tok.NotIn,
  '(': Tok.OpenPar,
}));

interface Item {
  readonly tok: Token;
  readonly lit: string;
}

const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string) => '=!(),><'.includes(ch);

/** Lexer: keywords and identifiers end at whitespace or a special symbol. */
function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos]!)) pos++;
    if (pos >= s.length) {
      items.push({ tok: Tok.EndOfString, lit: '' });
      return items;
    }
    if (isSpecialSymbol(s[pos]!)) {
      // Longest run of special symbols that is still a token ("!=", "==", else one symbol).
      let last: Item | undefined;
      let buf = '';
      while (pos < s.length && isSpecialSymbol(s[pos]!)) {
        buf += s[pos];
        const tok = STRING_TO_TOKEN.get(buf);
        if (tok) last = { tok, lit: buf };
        else if (last) break;
        pos++;
      }
      // Every single special symbol is a token, so `last` is always set here.
      items.push(last!);
    } else {
      let buf = '';
      while (pos < s.length && !isSpecialSymbol(s[pos]!) && !isWhitespace(s[pos]!)) buf += s[pos++];
      items.push({ tok: STRING_TO_TOKEN.get(buf) ?? Tok.Identifier, lit: buf });
    }
  }
}

class ParseError extends Error {}

/** 'in' and 'notin' are plain values outside the operator position ("x in (in)"). */
type Context = 'keyAndOperator' | 'values';

class Parser {
  #items: Item[];
  #pos = 0;

  constructor(selector: string) {
    this.#items = lex(selector);
  }

  #view(item: Item, ctx: Context): Item {
    if (ctx === 'values' && (item.tok === Tok.In || item.tok === Tok.NotIn)) return { tok: Tok.Identifier, lit: item.lit };
    return item;
  }

  lookahead(ctx: Context): Item {
    return this.#view(this.#items[this.#pos]!, ctx);
  }

  consume(ctx: Context): Item {
    return this.#view(this.#items[this.#pos++]!, ctx);
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead('values');
      if (tok === Tok.EndOfString) return requirements;
      if (tok !== Tok.Identifier && tok !== Tok.DoesNotExist) {
        throw new ParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.parseRequirement());
      } catch (err) {
        throw new ParseError(`unable to parse requirement: ${(err as Error).message}`);
      }
      const next = this.consume('values');
      if (next.tok === Tok.EndOfString) return requirements;
      if (next.tok !== Tok.Comma) throw new ParseError(`found '${next.lit}', expected: ',' or 'end of string'`);
      const after = this.lookahead('values');
      if (after.tok !== Tok.Identifier && after.tok !== Tok.DoesNotExist) {
        throw new ParseError(`found '${after.lit}', expected: identifier after ','`);
      }
    }
  }

  parseRequirement(): Requirement {
    const [key, inferred] = this.parseKeyAndInferOperator();
    let operator: LabelOperator;
    let values: string[] = [];
    if (inferred) {
      operator = inferred;
    } else {
      operator = this.parseOperator();
      values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    }
    // sets.String.List(): values are deduplicated and sorted.
    const r = newRequirement(key, operator, [...new Set(values)].sort());
    if (r.error !== undefined) throw new ParseError(r.error);
    return r.requirement;
  }

  parseKeyAndInferOperator(): [string, LabelOperator | undefined] {
    let operator: LabelOperator | undefined;
    let item = this.consume('values');
    if (item.tok === Tok.DoesNotExist) {
      operator = '!';
      item = this.consume('values');
    }
    if (item.tok !== Tok.Identifier) throw new ParseError(`found '${item.lit}', expected: identifier`);
    // The parser has no field path, so the error names "<nil>".
    const keyErr = validateLabelKey(item.lit, '<nil>');
    if (keyErr) throw new ParseError(keyErr.toString());
    const next = this.lookahead('values').tok;
    if ((next === Tok.EndOfString || next === Tok.Comma) && operator !== '!') operator = 'exists';
    return [item.lit, operator];
  }

  parseOperator(): LabelOperator {
    const { tok, lit } = this.consume('keyAndOperator');
    switch (tok) {
      case Tok.In:
        return 'in';
      case Tok.Equals:
        return '=';
      case Tok.DoubleEquals:
        return '==';
      case Tok.GreaterThan:
        return 'gt';
      case Tok.LessThan:
        return 'lt';
      case Tok.NotIn:
        return 'notin';
      case Tok.NotEquals:
        return '!=';
      default:
        throw new ParseError(`found '${lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  parseValues(): string[] {
    const open = this.consume('values');
    if (open.tok !== Tok.OpenPar) throw new ParseError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead('values');
    if (tok === Tok.Identifier || tok === Tok.Comma) {
      const values = this.parseIdentifiersList();
      if (this.consume('values').tok !== Tok.ClosedPar) throw new ParseError(`found '${lit}', expected: ')'`);
      return values;
    }
    if (tok === Tok.ClosedPar) {
      this.consume('values');
      return [''];
    }
    throw new ParseError(`found '${lit}', expected: ',', ')' or identifier`);
  }

  /** A possibly empty list of comma-separated, possibly empty identifiers. */
  parseIdentifiersList(): string[] {
    const values = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume('values');
      if (tok === Tok.Identifier) {
        values.add(lit);
        const next = this.lookahead('values');
        if (next.tok === Tok.Comma) continue;
        if (next.tok === Tok.ClosedPar) return [...values];
        throw new ParseError(`found '${next.lit}', expected: ',' or ')'`);
      }
      if (tok === Tok.Comma) {
        if (values.size === 0) values.add(''); // "(,"
        const next = this.lookahead('values').tok;
        if (next === Tok.ClosedPar) {
          values.add(''); // ",)"
          return [...values];
        }
        if (next === Tok.Comma) {
          this.consume('values');
          values.add(''); // ",,"
        }
        continue;
      }
      throw new ParseError(`found '${lit}', expected: ',', or identifier`);
    }
  }

  parseExactValue(): string[] {
    const next = this.lookahead('values').tok;
    if (next === Tok.EndOfString || next === Tok.Comma) return [''];
    const { tok, lit } = this.consume('values');
    if (tok === Tok.Identifier) return [lit];
    throw new ParseError(`found '${lit}', expected: identifier`);
  }
}

/** labels.Parse minus sorting: the requirements in source order, or a ParseError with upstream's text. */
export function parseRequirements(selector: string): Requirement[] {
  return new Parser(selector).parse();
}

export { ParseError as LabelSelectorParseError };
