// Small helpers for plain decoded-JSON values.
//
// Patches merge user-chosen keys into objects, so a key "__proto__", "constructor" or "toString"
// must be an ordinary member. The patch functions work on null-prototype copies (cloneJson, newMap):
// on those, `obj[key]` reads only own members, `key in obj` sees only own members, and
// `obj[key] = v` creates an own member even for "__proto__" — nothing reaches Object.prototype.

export type JsonMap = Record<string, unknown>;

export function isJsonMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sets a member as an own data property: `obj[key] = v` would call the __proto__ setter. */
export function defineMember(obj: JsonMap, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/**
 * Deep copy of a JSON value, iterative so a value nested as deep as the decoder allows (10000
 * levels) cannot exhaust the stack; `emptyMap` makes each object and `set` stores each member.
 */
function copyJson<T>(v: T, emptyMap: () => JsonMap, set: (m: JsonMap, k: string, item: unknown) => void): T {
  if (v === null || typeof v !== 'object') return v;
  const copyOf = (x: unknown): unknown => (x === null || typeof x !== 'object' ? x : Array.isArray(x) ? [] : emptyMap());
  const root = copyOf(v);
  const work: [unknown, unknown][] = [[v, root]];
  while (work.length > 0) {
    const [src, dst] = work.pop()!;
    if (Array.isArray(src)) {
      for (const item of src) {
        const c = copyOf(item);
        (dst as unknown[]).push(c);
        if (c !== item) work.push([item, c]);
      }
    } else {
      for (const [k, item] of Object.entries(src as JsonMap)) {
        const c = copyOf(item);
        set(dst as JsonMap, k, c);
        if (c !== item) work.push([item, c]);
      }
    }
  }
  return root as T;
}

/**
 * The same value with ordinary objects again (what the rest of the server and JSON.parse use),
 * member "__proto__" kept as an own data property.
 */
export function toPlainJson<T>(v: T): T {
  return copyJson(v, () => ({}) as JsonMap, defineMember);
}

/** An empty null-prototype map. */
export function newMap(): JsonMap {
  return Object.create(null) as JsonMap;
}

/** Deep copy of a JSON value into null-prototype maps; patch functions never mutate their inputs. */
export function cloneJson<T>(v: T): T {
  return copyJson(v, newMap, (m, k, item) => {
    m[k] = item;
  });
}
