// Namespace deletion status conditions (pkg/controller/namespace/deletion/status_condition_utils.go):
// all five are written on every pass, False with an "ok" reason unless that kind of trouble was
// seen; lastTransitionTime only moves when the status flips.
import { formatTime } from '../../api/meta.js';
import type { NamespaceCondition } from '../../api/types/core/index.js';

export const NamespaceConditionTypes = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;
export type NamespaceConditionType = (typeof NamespaceConditionTypes)[number];

const OK: Readonly<Record<NamespaceConditionType, { reason: string; message: string }>> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

export const FailureReasons: Readonly<Record<NamespaceConditionType, string>> = {
  NamespaceDeletionDiscoveryFailure: 'DiscoveryFailed',
  NamespaceDeletionGroupVersionParsingFailure: 'GroupVersionParsingFailed',
  NamespaceDeletionContentFailure: 'ContentDeletionFailed',
  NamespaceContentRemaining: 'SomeResourcesRemain',
  NamespaceFinalizersRemaining: 'SomeFinalizersRemain',
};

export interface RemainingContent {
  /** `resource.group` → count. */
  readonly byResource: ReadonlyMap<string, number>;
  /** finalizer → count of objects carrying it. */
  readonly byFinalizer: ReadonlyMap<string, number>;
}

/** The failure messages deleteAllContent reports for what is left. */
export function remainingFailures(rem: RemainingContent): Partial<Record<NamespaceConditionType, string>> {
  const out: Partial<Record<NamespaceConditionType, string>> = {};
  if (rem.byResource.size) {
    const parts = [...rem.byResource].map(([gr, n]) => `${gr} has ${n} resource instances`).sort();
    out.NamespaceContentRemaining = `Some resources are remaining: ${parts.join(', ')}`;
  }
  if (rem.byFinalizer.size) {
    const parts = [...rem.byFinalizer].map(([f, n]) => `${f} in ${n} resource instances`).sort();
    out.NamespaceFinalizersRemaining = `Some content in the namespace has finalizers remaining: ${parts.join(', ')}`;
  }
  return out;
}

/** updateConditions: the five conditions for this pass, keeping transition times that did not flip. */
export function namespaceConditions(
  previous: readonly NamespaceCondition[] | undefined,
  failures: Partial<Record<NamespaceConditionType, string>>,
  nowMs: number,
): NamespaceCondition[] {
  const now = formatTime(new Date(nowMs));
  const others = (previous ?? []).filter((c) => !(NamespaceConditionTypes as readonly string[]).includes(c.type));
  const ours = NamespaceConditionTypes.map((type): NamespaceCondition => {
    const failure = failures[type];
    const next: NamespaceCondition = failure
      ? { type, status: 'True', lastTransitionTime: now, reason: FailureReasons[type], message: failure }
      : { type, status: 'False', lastTransitionTime: now, reason: OK[type].reason, message: OK[type].message };
    const prev = previous?.find((c) => c.type === type);
    if (prev && prev.status === next.status && prev.lastTransitionTime) next.lastTransitionTime = prev.lastTransitionTime;
    return next;
  });
  return [...others, ...ours];
}
