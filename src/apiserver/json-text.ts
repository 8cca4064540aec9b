// A JSON reader for request bodies with the two properties JSON.parse lacks and Go's decoder has:
//  - a nesting limit: encoding/json (and sigs.k8s.io/json, which kube-apiserver uses) stops at
//    10000 levels with the SyntaxError "invalid character '{' exceeded max depth"; JSON.parse
//    would recurse until the stack overflows;
//  - the literal text of numbers: Go decodes `80.0`, `1e2` or `9007199254740993` into an int32
//    field as an error quoting the literal ("cannot unmarshal number 80.0 into …"), which needs the
//    text JSON.parse throws away.
// It is iterative (an explicit stack), so no input can exhaust the call stack. Members are created
// as own data properties (as JSON.parse does), so a key "__proto__" is an ordinary key.

import { defineMember } from '../api/patch/json-value.js';

/** encoding/json's maxNestingDepth. */
export const MAX_NESTING_DEPTH = 10000;

/** Go's SyntaxError: the message, and the offset after the byte that failed. */
export class JSONSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

// Number literals whose text is not what String(number) gives back (80.0, 1e2, -0, 2^53+1):
// container → member key (or array index) → the literal. A WeakMap, so it lives exactly as
// long as the decoded value does.
const numberLiterals = new WeakMap<object, Map<string, string>>();

/** The literal text of a number member whose text differs from its canonical form. */
export function numberLiteral(container: object, key: string | number): string | undefined {
  return numberLiterals.get(container)?.get(String(key));
}

export { defineMember };

/** quoteChar of Go's scanner. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const code = c.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `'\\x${code.toString(16).padStart(2, '0')}'`;
  return `'${c}'`;
}

interface Frame {
  readonly container: Record<string, unknown> | unknown[];
  key: string; // the pending member key (objects)
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WS = /[ \t\n\r]*/y;

export function parseJSONText(text: string): unknown {
  let i = 0;
  const stack: Frame[] = [];
  let root: unknown;
  let haveRoot = false;

  const fail = (context: string): never => {
    if (i >= text.length) throw new JSONSyntaxError('unexpected end of JSON input', text.length);
    throw new JSONSyntaxError(`invalid character ${quoteChar(text[i]!)} ${context}`, i + 1);
  };
  const skipSpace = () => {
    WS.lastIndex = i;
    WS.exec(text);
    i = WS.lastIndex;
  };
  const readString = (): string => {
    // text[i] is the opening quote; find the closing one, then let JSON.parse unescape.
    let j = i + 1;
    let escaped = false;
    for (; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        j++;
      } else if (c < 0x20) {
        i = j;
        fail('in string literal');
      }
    }
    if (j >= text.length) {
      i = text.length;
      fail('');
    }
    const raw = text.slice(i, j + 1);
    i = j + 1;
    if (!escaped) return raw.slice(1, -1);
    try {
      return JSON.parse(raw) as string;
    } catch {
      i = j;
      return fail('in string escape code');
    }
  };
  /** Stores a finished value into the enclosing container (or as the root). */
  const store = (value: unknown, literal?: string) => {
    const top = stack[stack.length - 1];
    if (!top) {
      root = value;
      haveRoot = true;
      return;
    }
    let key: string;
    if (Array.isArray(top.container)) {
      key = String(top.container.length);
      top.container.push(value);
    } else {
      key = top.key;
      defineMember(top.container, key, value);
    }
    if (literal !== undefined) {
      let m = numberLiterals.get(top.container);
      if (!m) numberLiterals.set(top.container, (m = new Map()));
      m.set(key, literal);
    }
  };
  const open = (container: Frame['container']) => {
    if (stack.length >= MAX_NESTING_DEPTH) fail('exceeded max depth');
    i++;
    stack.push({ container, key: '' });
  };

  // State machine: expecting a value, or what follows one.
  let expectValue = true;
  for (;;) {
    skipSpace();
    const top = stack[stack.length - 1];
    if (expectValue) {
      const c = text[i];
      if (c === '{') {
        open({});
        skipSpace();
        if (text[i] === '}') {
          i++;
          const done = stack.pop()!;
          store(done.container);
          expectValue = false;
          continue;
        }
        if (text[i] !== '"') fail('looking for beginning of object key string');
        stack[stack.length - 1]!.key = readString();
        skipSpace();
        if (text[i] !== ':') fail('after object key');
        i++;
        continue;
      }
      if (c === '[') {
        open([]);
        skipSpace();
        if (text[i] === ']') {
          i++;
          const done = stack.pop()!;
          store(done.container);
          expectValue = false;
        }
        continue;
      }
      if (c === '"') {
        store(readString());
      } else if (c === 't' && text.startsWith('true', i)) {
        i += 4;
        store(true);
      } else if (c === 'f' && text.startsWith('false', i)) {
        i += 5;
        store(false);
      } else if (c === 'n' && text.startsWith('null', i)) {
        i += 4;
        store(null);
      } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
        NUMBER.lastIndex = i;
        const m = NUMBER.exec(text);
        if (!m || m[0] === '-') {
          i += 1;
          fail('in numeric literal');
        }
        const lit = m![0];
        i += lit.length;
        const n = Number(lit);
        store(n, String(n) === lit ? undefined : lit);
      } else {
        fail('looking for beginning of value');
      }
      expectValue = false;
      continue;
    }
    // After a value.
    if (!top) {
      if (i < text.length) fail('after top-level value');
      if (!haveRoot) fail('looking for beginning of value');
      return root;
    }
    const c = text[i];
    if (Array.isArray(top.container)) {
      if (c === ',') {
        i++;
        expectValue = true;
      } else if (c === ']') {
        i++;
        stack.pop();
        store(top.container);
      } else fail('after array element');
      continue;
    }
    if (c === ',') {
      i++;
      skipSpace();
      if (text[i] !== '"') fail('looking for beginning of object key string');
      top.key = readString();
      skipSpace();
      if (text[i] !== ':') fail('after object key');
      i++;
      expectValue = true;
    } else if (c === '}') {
      i++;
      stack.pop();
      store(top.container);
    } else fail('after object key:value pair');
  }
}
