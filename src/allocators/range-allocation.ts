// The legacy stored form of an allocator: one RangeAllocation object (core/v1 internal type) as
// kube-apiserver 1.32 keeps it in etcd, the range spec and the whole bitmap as base64 big-endian
// bytes. svcnet now stores one key per value (allocation-keys.ts) and reads this form only to
// migrate a store written by an earlier version.
import type { RangeCore } from './range-core.js';

/** Storage keys upstream uses (under the /registry prefix); also the base of the per-value keys. */
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
 * The values a stored RangeAllocation holds, read with the range it was written for (which may
 * differ from `template`'s), and that range. Undefined when the text is not a RangeAllocation or
 * its range cannot be read.
 */
export function decodeRangeAllocation<K, C extends RangeCore<K>>(text: string, template: C): { range: string; values: K[] } | undefined {
  let stored: Partial<RangeAllocation>;
  try {
    stored = JSON.parse(text) as Partial<RangeAllocation>;
  } catch {
    return undefined;
  }
  if (stored?.kind !== 'RangeAllocation') return undefined;
  const range = stored.range || template.rangeSpec;
  let core: C;
  try {
    core = template.withRange(range);
  } catch {
    return undefined;
  }
  core.restore(new Uint8Array(Buffer.from(stored.data ?? '', 'base64')));
  const values: K[] = [];
  core.forEach((v) => values.push(v));
  return { range, values };
}
