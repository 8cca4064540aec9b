// How an EndpointSlice of a Service is named, labelled and owned (k8s.io/endpointslice utils.go).
import { parseIPSloppy as parseIP } from '../../util/ip.js';
import { hasHeadlessLabel } from '../../api/endpointslice.js';
import { isServiceIPSet } from '../../api/service.js';
import type { Service } from '../../api/types/core/index.js';
import { ANNOTATION_TOPOLOGY_AWARE_HINTS, ANNOTATION_TOPOLOGY_MODE } from '../../api/types/core/index.js';
import type { AddressType, EndpointPort, EndpointSlice } from '../../api/types/discovery/index.js';
import { LABEL_HEADLESS, LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from '../../api/types/discovery/index.js';

const RESERVED_LABELS = new Set([LABEL_SERVICE_NAME, LABEL_MANAGED_BY, LABEL_HEADLESS]);

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ak = Object.keys(a);
  return ak.length === Object.keys(b).length && ak.every((k) => b[k] === a[k]);
}

/**
 * setEndpointSliceLabels: the Service's labels (minus the reserved keys), the headless label when
 * the Service has no ClusterIP, then service-name and managed-by. `changed` reports whether the
 * slice's non-reserved labels differ from the Service's.
 */
export function sliceLabelsFor(slice: Pick<EndpointSlice, 'metadata'>, svc: Service, controllerName: string): { labels: Record<string, string>; changed: boolean } {
  const current: Record<string, string> = {};
  for (const [k, v] of Object.entries(slice.metadata.labels ?? {})) if (!RESERVED_LABELS.has(k)) current[k] = v;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (!RESERVED_LABELS.has(k)) labels[k] = v;
  const changed = !sameLabels(current, labels);
  if (hasHeadlessLabel(svc)) labels[LABEL_HEADLESS] = '';
  labels[LABEL_SERVICE_NAME] = svc.metadata.name!;
  labels[LABEL_MANAGED_BY] = controllerName;
  return { labels, changed };
}

/** getEndpointSlicePrefix: `<svc>-` unless that is not a valid name prefix (over 253 chars). */
export function slicePrefix(name: string): string {
  return name.length + 1 <= 253 ? `${name}-` : name;
}

/** newEndpointSlice: an unnamed slice (generateName) owned by the Service, with no endpoints. */
export function newEndpointSlice(svc: Service, ports: readonly EndpointPort[], addressType: AddressType, controllerName: string): EndpointSlice {
  const slice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: slicePrefix(svc.metadata.name!),
      namespace: svc.metadata.namespace,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name!, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    addressType,
    endpoints: [],
    ports: ports.map((p) => ({ ...p })),
  };
  slice.metadata.labels = sliceLabelsFor(slice, svc, controllerName).labels;
  return slice;
}

/** ownedBy: the slice has an owner reference to this Service's UID. */
export function ownedBy(slice: EndpointSlice, svc: Service): boolean {
  return (slice.metadata.ownerReferences ?? []).some((o) => o.uid === svc.metadata.uid && o.kind === 'Service' && o.apiVersion === 'v1');
}

/**
 * getAddressTypesForService: one address type per IP family; without ipFamilies (an old API
 * server), the ClusterIP's family, or both for a headless Service.
 */
export function addressTypesForService(svc: Service): AddressType[] {
  const out: AddressType[] = [];
  for (const f of svc.spec?.ipFamilies ?? []) {
    if (f === 'IPv4' && !out.includes('IPv4')) out.push('IPv4');
    if (f === 'IPv6' && !out.includes('IPv6')) out.push('IPv6');
  }
  if (out.length > 0) return out;
  if (isServiceIPSet(svc)) return [parseIP(svc.spec!.clusterIP!)?.family === 'IPv6' ? 'IPv6' : 'IPv4'];
  return ['IPv4', 'IPv6'];
}

/** getSliceToFill: the slice that ends closest to full after taking `n` endpoints, if any fits. */
export function sliceToFill<T extends EndpointSlice>(slices: readonly T[], n: number, max: number): T | undefined {
  let closestDiff = max;
  let closest: T | undefined;
  for (const s of slices) {
    const diff = max - (n + (s.endpoints?.length ?? 0));
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = s;
      if (diff === 0) return s;
    }
  }
  return closest;
}

function ownerRefString(o: NonNullable<EndpointSlice['metadata']['ownerReferences']>[number]): string {
  return JSON.stringify([o.apiVersion, o.kind, o.name, o.uid, o.controller ?? null, o.blockOwnerDeletion ?? null]);
}

/**
 * placeholderSliceCompare: an existing slice equals the wanted placeholder when namespace,
 * labels, owners, address type, endpoints and ports match (name and annotations are ignored).
 */
export function isSamePlaceholder(existing: EndpointSlice, wanted: EndpointSlice): boolean {
  if ((existing.metadata.namespace ?? '') !== (wanted.metadata.namespace ?? '')) return false;
  if (!sameLabels(existing.metadata.labels ?? {}, wanted.metadata.labels ?? {})) return false;
  const eo = (existing.metadata.ownerReferences ?? []).map(ownerRefString);
  const wo = (wanted.metadata.ownerReferences ?? []).map(ownerRefString);
  if (eo.length !== wo.length || eo.some((s, i) => s !== wo[i])) return false;
  return existing.addressType === wanted.addressType && (existing.endpoints?.length ?? 0) === 0 && (existing.ports?.length ?? 0) === 0 && (wanted.ports?.length ?? 0) === 0;
}

/** hintsEnabled: the topology-mode (or deprecated topology-aware-hints) annotation is Auto. */
export function topologyHintsEnabled(annotations: Readonly<Record<string, string>> | undefined): boolean {
  const v = annotations?.[ANNOTATION_TOPOLOGY_AWARE_HINTS] ?? annotations?.[ANNOTATION_TOPOLOGY_MODE];
  return v === 'Auto' || v === 'auto';
}
