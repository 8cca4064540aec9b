// Allocations and releases made in memory but not yet durable, and how they are re-applied on
// top of a freshly read bitmap when another writer got there first.
import type { RangeCore } from './range-core.js';

export type OpKind = 'allocate' | 'allocateNext' | 'release';

export interface PendingOp<K> {
  readonly kind: OpKind;
  /** The value taken or released; a re-picked allocateNext changes it. */
  value: K;
  readonly resolve: (value: K) => void;
  readonly reject: (err: unknown) => void;
}

/** What re-applying one op decided. */
export type OpOutcome<K> =
  | { readonly op: PendingOp<K>; readonly action: 'keep'; readonly value: K }
  | { readonly op: PendingOp<K>; readonly action: 'fail'; readonly error: unknown }
  /** Nothing left to persist (releasing what our own failed allocation never got). */
  | { readonly op: PendingOp<K>; readonly action: 'done' };

/**
 * Re-applies `ops` in order onto `base` (mutating it) and says what became of each:
 * - a specific allocation of a value someone else holds now fails ("already allocated");
 * - a dynamic allocation whose value was taken picks again, avoiding values that later ops of
 *   ours ask for by name, and fails only if the range is full;
 * - a release applies, except for a value whose allocation by us just failed.
 * Pure with respect to the ops: nothing is resolved or rejected here (see settleOutcomes).
 */
export function reapplyOps<K>(base: RangeCore<K>, ops: readonly PendingOp<K>[]): OpOutcome<K>[] {
  const out: OpOutcome<K>[] = [];
  const lostByUs = new Set<K>();
  ops.forEach((op, i) => {
    switch (op.kind) {
      case 'allocate':
        try {
          base.allocate(op.value);
          out.push({ op, action: 'keep', value: op.value });
        } catch (error) {
          lostByUs.add(op.value);
          out.push({ op, action: 'fail', error });
        }
        return;
      case 'allocateNext':
        try {
          base.allocate(op.value);
          out.push({ op, action: 'keep', value: op.value });
        } catch {
          out.push(repick(base, op, ops.slice(i + 1)));
        }
        return;
      case 'release':
        if (lostByUs.has(op.value)) {
          out.push({ op, action: 'done' });
        } else {
          base.release(op.value);
          out.push({ op, action: 'keep', value: op.value });
        }
        return;
    }
  });
  return out;
}

function repick<K>(base: RangeCore<K>, op: PendingOp<K>, later: readonly PendingOp<K>[]): OpOutcome<K> {
  // Hold the values our later specific requests name, so the re-pick does not steal them.
  const held: K[] = [];
  for (const o of later) {
    if (o.kind !== 'allocate') continue;
    try {
      base.allocate(o.value);
      held.push(o.value);
    } catch {
      // taken or invalid: that op will fail on its own
    }
  }
  try {
    return { op, action: 'keep', value: base.allocateNext() };
  } catch (error) {
    return { op, action: 'fail', error };
  } finally {
    for (const v of held) base.release(v);
  }
}

/** Applies the decisions: rejects failures, finishes no-ops, and returns the ops still to persist. */
export function settleOutcomes<K>(outcomes: readonly OpOutcome<K>[]): PendingOp<K>[] {
  const survivors: PendingOp<K>[] = [];
  for (const o of outcomes) {
    if (o.action === 'fail') o.op.reject(o.error);
    else if (o.action === 'done') o.op.resolve(o.op.value);
    else {
      o.op.value = o.value;
      survivors.push(o.op);
    }
  }
  return survivors;
}
