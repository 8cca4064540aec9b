// The stored form of an allocator: a RangeAllocation object (core/v1 internal type) as
// kube-apiserver keeps it in etcd: the range spec and the bitmap as base64 big-endian bytes.
import { KeyExistsError } from '../storage/index.js';
import type { Storage } from '../storage/index.js';
import type { RangeCore } from './range-core.js';

/** Storage keys upstream uses (under the /registry prefix). */
export const serviceIPsKey = '/registry/ranges/serviceips';
export const secondaryServiceIPsKey = '/registry/ranges/secondaryserviceips';
export const serviceNodePortsKey = '/registry/ranges/servicenodeports';

export interface RangeAllocation {
  readonly kind: 'RangeAllocation';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly range: string;
  /** base64 of the bitmap bytes. */
  readonly data: string;
}

export function encodeRangeAllocation(core: RangeCore<unknown>): string {
  const obj: RangeAllocation = {
    kind: 'RangeAllocation',
    apiVersion: 'v1',
    metadata: {},
    range: core.rangeSpec,
    data: Buffer.from(core.snapshot()).toString('base64'),
  };
  return JSON.stringify(obj);
}

/**
 * A core of `template`'s range holding the stored allocations. A snapshot written for another
 * range (the flag changed) is carried over value by value, keeping what still fits: the repair
 * loop frees what no Service uses, and leaking until then is safer than handing a value out twice.
 */
export function decodeRangeAllocation<K, C extends RangeCore<K>>(text: string, template: C): C {
  const stored = JSON.parse(text) as Partial<RangeAllocation>;
  const data = new Uint8Array(Buffer.from(stored.data ?? '', 'base64'));
  const core = template.withRange(template.rangeSpec);
  if (!stored.range || stored.range === template.rangeSpec) {
    core.restore(data);
    return core;
  }
  let old: C;
  try {
    old = template.withRange(stored.range);
  } catch {
    return core; // unreadable range: start empty and let repair rebuild
  }
  old.restore(data);
  old.forEach((v) => {
    try {
      core.allocate(v);
    } catch {
      // outside the new range: dropped
    }
  });
  return core;
}

/** Reads the stored allocation, creating an empty one if the key is absent. */
export async function loadRangeAllocation<K, C extends RangeCore<K>>(
  storage: Storage,
  key: string,
  template: C,
): Promise<{ core: C; revision: number }> {
  for (;;) {
    const kv = await storage.get(key);
    if (kv) return { core: decodeRangeAllocation<K, C>(kv.value, template), revision: kv.modRevision };
    const empty = template.withRange(template.rangeSpec);
    try {
      const revision = await storage.create(key, encodeRangeAllocation(empty));
      return { core: empty, revision };
    } catch (err) {
      if (!(err instanceof KeyExistsError)) throw err;
      // another API server created it first: read theirs
    }
  }
}
