// Namespace predicates (the NamespaceLifecycle admission plugin and apierrors.HasStatusCause).
import type { NamespaceStatus } from './types/core/v1.js';
import type { ObjectMeta, Status } from './types/meta/v1.js';

/** v1.NamespaceTerminatingCause: the cause a create in a terminating namespace is refused with. */
export const NAMESPACE_TERMINATING_CAUSE = 'NamespaceTerminating';

/**
 * A namespace refuses new objects once its phase is Terminating, which the namespace registry
 * sets together with deletionTimestamp (NamespaceLifecycle admission checks the phase). A
 * deletionTimestamp alone is also honoured: the two are written in one update, but an object
 * read from an older writer might carry only one.
 */
export function isNamespaceTerminating(ns: { readonly metadata?: Readonly<Pick<ObjectMeta, 'deletionTimestamp'>>; readonly status?: Readonly<NamespaceStatus> }): boolean {
  return ns.status?.phase === 'Terminating' || !!ns.metadata?.deletionTimestamp;
}

/**
 * apierrors.HasStatusCause(err, NamespaceTerminatingCause) on a decoded Status: a 403 whose
 * details.causes has reason NamespaceTerminating. StatusCause's Go field `Type` is the JSON key
 * "reason" (checking a "type" key never matches a real response).
 */
export function hasNamespaceTerminatingCause(status: Readonly<Status> | undefined): boolean {
  const causes = status?.details?.causes ?? [];
  return causes.some((c) => c.reason === NAMESPACE_TERMINATING_CAUSE);
}
