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

/** An empty null-prototype map. */
export function newMap(): JsonMap {
  return Object.create(null) as JsonMap;
}

/**
 * Deep copy of a JSON value into null-prototype maps; patch functions never mutate their inputs.
 * Iterative, so a value nested as deep as the decoder allows (10000 levels) cannot exhaust the stack.
 */
export function cloneJson<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  const copyOf = (x: unknown): unknown => (x === null || typeof x !== 'object' ? x : Array.isArray(x) ? [] : newMap());
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
        (dst as JsonMap)[k] = c;
        if (c !== item) work.push([item, c]);
      }
    }
  }
  return root as T;
}
