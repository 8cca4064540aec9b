// The stored form of an allocator: one small key per allocated value, as kube-apiserver 1.33
// keeps one IPAddress object per ClusterIP. Under a base key such as /registry/ranges/serviceips:
//
//   <base>/items/<value>   {"at":"<RFC 3339 time>"}   one per allocated IP or port
//   <base>/meta            {"range":"<cidr>"}         the range the values were allocated from
//
// A value is allocated by creating its key (the store's create-if-absent decides between API
// servers sharing the store) and released by deleting it, so every change is one small write and
// concurrent allocations share the store's group commit with no hot key. The bitmap an earlier
// version stored whole at <base> itself (a RangeAllocation) is imported once and deleted.
import { ConflictError, KeyExistsError, KeyNotFoundError } from '../storage/index.js';
import type { Storage } from '../storage/index.js';
import { decodeRangeAllocation } from './range-allocation.js';
import type { RangeCore } from './range-core.js';

/** Creates issued at once while importing a legacy bitmap (they share group commits). */
const importChunk = 2000;

export function itemsPrefix(base: string): string {
  return `${base}/items/`;
}

export function itemKey(base: string, value: unknown): string {
  return `${base}/items/${String(value)}`;
}

export function metaKey(base: string): string {
  return `${base}/meta`;
}

/** The value of an item key; when it was taken helps an operator reading the store. */
export function encodeItem(at: Date = new Date()): string {
  return JSON.stringify({ at: at.toISOString() });
}

/** Every value stored under `base`, in range or not, with the mod revision of its key. */
export async function listStoredValues<K>(storage: Storage, base: string, core: RangeCore<K>): Promise<Map<K, number>> {
  const prefix = itemsPrefix(base);
  const { items } = await storage.list(prefix);
  const out = new Map<K, number>();
  for (const kv of items) {
    const text = kv.key.slice(prefix.length);
    const v = core.parseValue(text);
    // Only canonical names are ours: a value is always written and deleted under String(value).
    if (v !== undefined && String(v) === text) out.set(v, kv.modRevision);
  }
  return out;
}

/** A core of `template`'s range (and random source) holding the listed values that fit in it. */
export function coreOf<K, C extends RangeCore<K>>(template: C, values: Iterable<K>): C {
  const core = template.withRange(template.rangeSpec);
  for (const v of values) {
    try {
      core.allocate(v);
    } catch {
      // Outside the range (it changed): not handed out again by this bitmap, and a Service still
      // holding it is reported by the repair loop, which frees the key once no Service uses it.
    }
  }
  return core;
}

export interface OpenedRange<C> {
  readonly core: C;
  /** The range recorded in the store before this open, when it differs from the configured one. */
  readonly previousRange?: string;
}

/** Imports a legacy bitmap, records the configured range, and loads the stored values. */
export async function openStoredRange<K, C extends RangeCore<K>>(storage: Storage, base: string, template: C): Promise<OpenedRange<C>> {
  await importLegacyBitmap(storage, base, template);
  const previousRange = await recordRange(storage, base, template.rangeSpec);
  const core = coreOf<K, C>(template, (await listStoredValues(storage, base, template)).keys());
  return previousRange === undefined ? { core } : { core, previousRange };
}

/**
 * Turns a RangeAllocation left at `base` by an earlier version into item keys, then deletes it.
 * Safe to run on several API servers at once: creating a key that exists is skipped, and only
 * the server whose delete matches the revision it imported finishes; the others re-read.
 */
async function importLegacyBitmap<K, C extends RangeCore<K>>(storage: Storage, base: string, template: C): Promise<void> {
  for (;;) {
    const kv = await storage.get(base);
    if (!kv) return;
    const legacy = decodeRangeAllocation<K, C>(kv.value, template);
    const values = legacy?.values ?? [];
    for (let i = 0; i < values.length; i += importChunk) {
      await Promise.all(values.slice(i, i + importChunk).map((v) => createIfAbsent(storage, itemKey(base, v), encodeItem())));
    }
    // The values were allocated from the legacy range: record it so a change is still noticed.
    if (legacy) await createIfAbsent(storage, metaKey(base), encodeMeta(legacy.range));
    try {
      await storage.delete(base, kv.modRevision);
      return;
    } catch (err) {
      if (err instanceof KeyNotFoundError) return;
      if (!(err instanceof ConflictError)) throw err;
    }
  }
}

/** Stores the configured range; answers the one recorded before when it differs. */
async function recordRange(storage: Storage, base: string, rangeSpec: string): Promise<string | undefined> {
  const key = metaKey(base);
  for (;;) {
    const kv = await storage.get(key);
    if (!kv) {
      if (await createIfAbsent(storage, key, encodeMeta(rangeSpec))) return undefined;
      continue;
    }
    const recorded = decodeMeta(kv.value);
    if (recorded === rangeSpec) return undefined;
    try {
      await storage.update(key, encodeMeta(rangeSpec), kv.modRevision);
      return recorded ?? '';
    } catch (err) {
      if (!(err instanceof ConflictError || err instanceof KeyNotFoundError)) throw err;
    }
  }
}

function encodeMeta(range: string): string {
  return JSON.stringify({ range });
}

function decodeMeta(text: string): string | undefined {
  try {
    const range = (JSON.parse(text) as { range?: unknown }).range;
    return typeof range === 'string' ? range : undefined;
  } catch {
    return undefined;
  }
}

/** Creates `key`; false when it already exists. */
async function createIfAbsent(storage: Storage, key: string, value: string): Promise<boolean> {
  try {
    await storage.create(key, value);
    return true;
  } catch (err) {
    if (err instanceof KeyExistsError) return false;
    throw err;
  }
}
