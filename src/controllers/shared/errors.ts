// How controllers classify and report errors: a message for logs and Events, the references
// Events point at, and the API errors that mean "stop" rather than "retry".
import { hasNamespaceTerminatingCause } from '../../api/namespace.js';
import { ApiError, type ObjectReference } from '../../client/index.js';
import type { Status } from '../../api/types/meta/index.js';
import { objectRef, type WithMeta } from './selection.js';

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * apierrors.HasStatusCause(err, NamespaceTerminatingCause): a create refused (403) because its
 * namespace is being deleted. Such creates keep failing, so the work is dropped. Only the
 * structured cause counts, never the text of the message.
 */
export function isNamespaceTerminatingError(err: unknown): boolean {
  return err instanceof ApiError && hasNamespaceTerminatingCause(err.status as Status);
}

/** The reference an Event about this object carries (kind and apiVersion given: cached objects may lack them). */
export function refTo(obj: WithMeta, kind: string, apiVersion = 'v1'): ObjectReference {
  return objectRef(obj, apiVersion, kind);
}

/** A sync that must be retried without a Warning Event (the cache is behind our own writes). */
export class StaleInformerCacheError extends Error {
  constructor(what: string) {
    super(`${what} informer cache is out of date`);
    this.name = 'StaleInformerCacheError';
  }
}
