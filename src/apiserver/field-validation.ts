// fieldValidation=Strict|Warn|Ignore (the server-side counterpart of `kubectl --validate`):
// unknown and duplicate fields are errors (Strict), warnings (Warn) or dropped silently (Ignore).
import { apiErrors } from '../api/errors.js';
import type { KubeObject } from '../api/meta.js';
import { checkTypes, mediaType } from './decode.js';
import { parseJSONText } from './json-text.js';
import { unknownFields } from './schema/known-fields.js';
import type { ResourceCall } from './handlers/context.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidationOf(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation') ?? 'Warn';
  if (v !== 'Strict' && v !== 'Warn' && v !== 'Ignore') {
    throw apiErrors.badRequest(`fieldValidation: Unsupported value: ${JSON.stringify(v)}: supported values: "Ignore", "Strict", "Warn"`);
  }
  return v;
}

/** Finds keys that appear twice in one JSON object (JSON.parse silently keeps the last). */
export function duplicateFields(text: string): string[] {
  const dups: string[] = [];
  // A small scanner over the JSON text: tracks the key path and the keys seen per object.
  const stack: { keys: Set<string>; path: string; isArray: boolean; index: number }[] = [];
  let i = 0;
  let pendingKey: string | undefined;
  const here = () => stack[stack.length - 1];
  const childPath = (): string => {
    const top = here();
    if (!top) return '';
    if (top.isArray) return top.path;
    return top.path ? `${top.path}.${pendingKey}` : pendingKey ?? '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') {
          s += text[j + 1];
          j += 2;
        } else s += text[j++];
      }
      let k = j + 1;
      while (k < text.length && /\s/.test(text[k]!)) k++;
      const top = here();
      if (text[k] === ':' && top && !top.isArray) {
        if (top.keys.has(s)) dups.push(top.path ? `${top.path}.${s}` : s);
        top.keys.add(s);
        pendingKey = s;
      }
      i = j + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      stack.push({ keys: new Set(), path: childPath(), isArray: c === '[', index: 0 });
    } else if (c === '}' || c === ']') {
      stack.pop();
    }
    i++;
  }
  return dups;
}

function report(call: ResourceCall, problems: string[]): void {
  if (problems.length === 0) return;
  const mode = fieldValidationOf(call.req.query);
  if (mode === 'Ignore') return;
  if (mode === 'Warn') {
    for (const p of problems) call.req.warnings.push(p);
    return;
  }
  const kind = call.store.def.kind;
  throw apiErrors.badRequest(
    `${kind} in version ${JSON.stringify(call.store.def.version)} cannot be handled as a ${kind}: strict decoding error: ${problems.join(', ')}`,
  );
}

/**
 * Checks a create/update body before decoding. Returns the parsed JSON body (for the decoder
 * to reuse), or undefined when the body is not JSON or does not parse.
 */
export function checkUnknownFields(call: ResourceCall, body: Buffer, contentType: string): unknown {
  const type = mediaType(contentType);
  if (type !== 'application/json' && type !== '') return undefined;
  fieldValidationOf(call.req.query);
  const text = body.toString('utf8');
  let obj: unknown;
  try {
    obj = parseJSONText(text);
  } catch {
    return undefined; // the decoder reports syntax errors with the upstream text
  }
  // A value of the wrong type fails the decode itself, before strict field errors are reported.
  if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) checkTypes(call.store.def, obj as Record<string, unknown>);
  const problems = [
    ...duplicateFields(text).map((f) => `duplicate field ${JSON.stringify(f)}`),
    ...unknownFields(call.store.def, obj).map((f) => `unknown field ${JSON.stringify(f)}`),
  ];
  report(call, problems);
  return obj;
}

export function checkUnknownFieldsInObject(call: ResourceCall, obj: KubeObject): void {
  fieldValidationOf(call.req.query);
  checkTypes(call.store.def, obj as unknown as Record<string, unknown>);
  report(
    call,
    unknownFields(call.store.def, obj).map((f) => `unknown field ${JSON.stringify(f)}`),
  );
}
