// Small helpers for plain decoded-JSON values.

export type JsonMap = Record<string, unknown>;

export function isJsonMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep copy of a JSON value; patch functions never mutate their inputs. */
export function cloneJson<T>(v: T): T {
  return v === undefined ? v : (structuredClone(v) as T);
}
