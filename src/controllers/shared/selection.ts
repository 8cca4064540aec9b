// Who selects whom and who owns whom (pkg/controller/controller_utils.go, the ControllerRefManager,
// metav1's owner helpers, k8s.io/endpointslice util): the lookups the workload and endpoint
// controllers share, read from informer caches.
import type { LabelSelector as LabelSelectorObject, ObjectMeta, OwnerReference } from '../../api/types/meta/index.js';
import type { Pod, Service } from '../../api/types/core/index.js';
import { isPodReady } from '../../api/pod.js';
import { labelSelectorFromObject, type LabelSelector } from '../../api/selectors/index.js';
import { NAMESPACE_INDEX, type CacheReader, type IndexFunc, type ObjectReference, type ResourceEventHandler, type SharedInformer } from '../../client/index.js';

/** Anything with object metadata. */
export type WithMeta = { readonly metadata: Readonly<ObjectMeta> };

/** metav1.GetControllerOf: the owner reference marked controller, if any. */
export function controllerOf(obj: WithMeta): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** metav1.NewControllerRef: owner is the managing controller and blocks foreground deletion. */
export function newControllerRef(owner: WithMeta, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** An Event's involvedObject for an object whose list form carries no kind/apiVersion. */
export function objectRef(obj: WithMeta, apiVersion: string, kind: string): ObjectReference {
  const m = obj.metadata;
  const ref: ObjectReference = { kind, apiVersion, name: m.name!, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion };
  if (!ref.namespace) delete ref.namespace;
  if (!ref.resourceVersion) delete ref.resourceVersion;
  return ref;
}

/**
 * The object in `cache` that `ref` (a controllerRef of an object in `namespace`) points at: same
 * kind, same name, same UID (resolveControllerRef). A same-named successor with another UID is
 * not the owner.
 */
export function resolveControllerRef<T extends WithMeta>(cache: CacheReader<T>, namespace: string | undefined, ref: OwnerReference | undefined, kind: string): T | undefined {
  if (!ref || ref.kind !== kind) return undefined;
  const owner = cache.get(`${namespace ?? ''}/${ref.name}`);
  return owner && owner.metadata.uid === ref.uid ? owner : undefined;
}

/** metav1.LabelSelectorAsSelector of a workload's spec.selector; an invalid selector matches nothing. */
export function workloadSelector(selector: Readonly<LabelSelectorObject> | undefined): LabelSelector {
  try {
    return labelSelectorFromObject(selector);
  } catch {
    return labelSelectorFromObject(undefined);
  }
}

/** Adds an index unless a controller sharing the informer already did (same name, same function). */
export function ensureIndex<T extends WithMeta>(informer: SharedInformer<T>, name: string, fn: IndexFunc<T>): void {
  try {
    informer.addIndexers({ [name]: fn });
  } catch (err) {
    if (!String((err as Error).message).includes('already exists')) throw err;
  }
}

/** Services with a nil selector select nothing (their endpoints are managed by hand). */
export function serviceSelects(svc: Readonly<Service>, labels: Readonly<Record<string, string>> | undefined): boolean {
  const sel = svc.spec?.selector;
  if (sel === null || sel === undefined) return false;
  // A Service selector is a plain equality map (labels.SelectorFromSet): compare directly rather
  // than building a selector per Pod, which dominated syncs with 10,000 Pods in a namespace.
  for (const k in sel) {
    if (labels?.[k] !== sel[k]) return false;
  }
  return true;
}

/** The Services in the namespace whose selector matches `labels`. */
export function servicesSelecting(services: CacheReader<Service>, namespace: string, labels: Readonly<Record<string, string>> | undefined): Service[] {
  return services.byIndex(NAMESPACE_INDEX, namespace).filter((s) => serviceSelects(s, labels));
}

/** The Pods in the Service's namespace that its selector matches (none for a nil selector). */
export function podsForService(pods: CacheReader<Pod>, svc: Service): Pod[] {
  return pods.byIndex(NAMESPACE_INDEX, svc.metadata.namespace ?? '').filter((p) => serviceSelects(svc, p.metadata.labels));
}

function sameStringMap(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const ak = Object.keys(a ?? {});
  if (ak.length !== Object.keys(b ?? {}).length) return false;
  return ak.every((k) => b?.[k] === a?.[k]);
}

/**
 * podEndpointsChanged: whether the change can alter the Pod's endpoints (`podChanged`) and
 * whether it can alter which Services select it (`labelsChanged`).
 */
export function podEndpointsChanged(oldPod: Pod, newPod: Pod): { podChanged: boolean; labelsChanged: boolean } {
  const labelsChanged =
    !sameStringMap(oldPod.metadata.labels, newPod.metadata.labels) ||
    oldPod.spec?.hostname !== newPod.spec?.hostname ||
    oldPod.spec?.subdomain !== newPod.spec?.subdomain;
  const oldIPs = oldPod.status?.podIPs ?? [];
  const newIPs = newPod.status?.podIPs ?? [];
  const podChanged =
    oldPod.metadata.deletionTimestamp !== newPod.metadata.deletionTimestamp ||
    isPodReady(oldPod) !== isPodReady(newPod) ||
    oldPod.status?.podIP !== newPod.status?.podIP ||
    oldIPs.length !== newIPs.length ||
    oldIPs.some((p, i) => p.ip !== newIPs[i]?.ip);
  return { podChanged, labelsChanged };
}

/**
 * GetServicesToUpdate for a Pod update: the Services selecting the new Pod; when labels changed,
 * also those that selected the old one (all of them if the Pod changed too, otherwise only the
 * ones whose membership flipped).
 */
export function servicesToUpdateOnPodChange(services: readonly Service[], oldPod: Pod, newPod: Pod): Service[] {
  if (oldPod.metadata.resourceVersion === newPod.metadata.resourceVersion) return [];
  const { podChanged, labelsChanged } = podEndpointsChanged(oldPod, newPod);
  if (!podChanged && !labelsChanged) return [];
  const now = services.filter((s) => serviceSelects(s, newPod.metadata.labels));
  if (!labelsChanged) return now;
  const before = services.filter((s) => serviceSelects(s, oldPod.metadata.labels));
  if (podChanged) return [...new Set([...now, ...before])];
  return [...now.filter((s) => !before.includes(s)), ...before.filter((s) => !now.includes(s))];
}

/**
 * The Pod handler of the endpoint controllers: a Pod added or deleted touches the Services that
 * select it; an update those GetServicesToUpdate names. `queue` gets the Services to sync.
 */
export function podServicesHandler(services: CacheReader<Service>, queue: (services: readonly Service[]) => void): ResourceEventHandler<Pod> {
  const selecting = (p: Pod) => servicesSelecting(services, p.metadata.namespace ?? '', p.metadata.labels);
  return {
    onAdd: (p) => queue(selecting(p)),
    onUpdate: (o, n) => queue(servicesToUpdateOnPodChange(services.byIndex(NAMESPACE_INDEX, n.metadata.namespace ?? ''), o, n)),
    onDelete: (p) => queue(selecting(p)),
  };
}
