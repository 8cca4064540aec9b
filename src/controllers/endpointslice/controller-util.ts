// Small pieces the Endpoints, EndpointSlice and mirroring controllers share: informer indexes,
// object references for Events, and error classification.
import type { KubeObject } from '../../api/meta.js';
import { ApiError, NAMESPACE_INDEX, type CacheReader, type IndexFunc, type ObjectReference, type SharedInformer } from '../../client/index.js';
import type { Pod, Service } from './api-types.js';
import { serviceSelects } from './pod-util.js';

/** Adds an index unless a controller sharing the informer already did (same name, same function). */
export function ensureIndex<T extends Pick<KubeObject, 'metadata'>>(informer: SharedInformer<T>, name: string, fn: IndexFunc<T>): void {
  try {
    informer.addIndexers({ [name]: fn });
  } catch (err) {
    if (!String((err as Error).message).includes('already exists')) throw err;
  }
}

/** The reference an Event about this object carries (kind and apiVersion given, as the cache may lack them). */
export function refTo(obj: KubeObject, kind: string, apiVersion = 'v1'): ObjectReference {
  const ref: ObjectReference = { kind, apiVersion, namespace: obj.metadata.namespace, name: obj.metadata.name!, uid: obj.metadata.uid };
  if (obj.metadata.resourceVersion) ref.resourceVersion = obj.metadata.resourceVersion;
  return ref;
}

/** errors.HasStatusCause(err, NamespaceTerminatingCause): creates in a dying namespace. */
export function isNamespaceTerminating(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  const causes = (err.status as { details?: { causes?: { type?: string }[] } }).details?.causes ?? [];
  return causes.some((c) => c.type === 'NamespaceTerminating');
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Keys of the Services in the Pod's namespace whose selector matches `labels`. */
export function servicesSelecting(services: CacheReader<Service>, namespace: string, labels: Readonly<Record<string, string>> | undefined): Service[] {
  return services.byIndex(NAMESPACE_INDEX, namespace).filter((s) => serviceSelects(s, labels));
}

/** The Pods in the Service's namespace that its selector matches (none for a nil selector). */
export function podsForService(pods: CacheReader<Pod>, svc: Service): Pod[] {
  return pods.byIndex(NAMESPACE_INDEX, svc.metadata.namespace ?? '').filter((p) => serviceSelects(svc, p.metadata.labels));
}

/** A sync that must be retried without a Warning Event (the cache is behind our own writes). */
export class StaleInformerCacheError extends Error {
  constructor(what: string) {
    super(`${what} informer cache is out of date`);
    this.name = 'StaleInformerCacheError';
  }
}
