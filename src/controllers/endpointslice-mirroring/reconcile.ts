// The EndpointSlice mirroring reconciler (pkg/controller/endpointslicemirroring reconciler.go),
// as a pure function: the slices that mirror a hand-written Endpoints object of a Service
// without a selector. Each repacked subset becomes one slice per address type (at most
// `maxEndpointsPerSubset` addresses, ready ones first); the first existing slice per key is
// rewritten in place, extra ones are deleted.
import { canonicalIP, parseIPSloppy as parseIP } from '../../util/ip.js';
import type { EndpointAddress, Endpoints } from '../../api/types/core/index.js';
import { ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME, ANNOTATION_LAST_APPLIED_CONFIG } from '../../api/types/core/index.js';
import type { AddressType, Endpoint, EndpointPort, EndpointSlice } from '../../api/types/discovery/index.js';
import { LABEL_MANAGED_BY, LABEL_SERVICE_NAME, MIRRORING_CONTROLLER_NAME } from '../../api/types/discovery/index.js';
import { repackSubsets } from '../endpoints/index.js';
import { EndpointSet, endpointsEqualBeyondHash, portMapKey, slicePrefix } from '../endpointslice/index.js';

export const DEFAULT_MAX_ENDPOINTS_PER_SUBSET = 1000;

export interface MirrorInput {
  readonly endpoints: Endpoints;
  /** Slices labelled managed-by the mirroring controller for this Endpoints' name. */
  readonly existingSlices: readonly EndpointSlice[];
  readonly maxEndpointsPerSubset?: number;
}

export interface MirrorPlan {
  readonly create: EndpointSlice[];
  readonly update: EndpointSlice[];
  readonly delete: EndpointSlice[];
  /** Addresses that are not IPs (Warning InvalidIPAddress). */
  readonly invalidAddresses: number;
  /** All addresses left out, invalid or over the per-subset limit. */
  readonly skippedAddresses: number;
}

/** addressToEndpoint: `ready` only, plus what the address says; the IP written canonically. */
function addressToEndpoint(addr: EndpointAddress, ip: string, ready: boolean): Endpoint {
  const ep: Endpoint = { addresses: [ip], conditions: { ready } };
  if (addr.targetRef) ep.targetRef = structuredClone(addr.targetRef);
  if (addr.nodeName) ep.nodeName = addr.nodeName;
  if (addr.hostname) ep.hostname = addr.hostname;
  return ep;
}

const without = (m: Readonly<Record<string, string>> | undefined, ...keys: string[]) => {
  const out: Record<string, string> = { ...(m ?? {}) };
  for (const k of keys) delete out[k];
  return out;
};

function sameMap(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ak = Object.keys(a);
  return ak.length === Object.keys(b).length && ak.every((k) => b[k] === a[k]);
}

function mirroredAnnotations(ep: Endpoints): Record<string, string> {
  return without(ep.metadata.annotations, ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME, ANNOTATION_LAST_APPLIED_CONFIG);
}

/** newEndpointSlice: owned by the Endpoints, with its labels and (most) annotations. */
export function newMirroredSlice(ep: Endpoints, ports: readonly EndpointPort[], addressType: AddressType, name?: string): EndpointSlice {
  const labels: Record<string, string> = { ...(ep.metadata.labels ?? {}) };
  labels[LABEL_SERVICE_NAME] = ep.metadata.name!;
  labels[LABEL_MANAGED_BY] = MIRRORING_CONTROLLER_NAME;
  const slice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      namespace: ep.metadata.namespace,
      labels,
      annotations: mirroredAnnotations(ep),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Endpoints', name: ep.metadata.name!, uid: ep.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    addressType,
    endpoints: [],
    ports: ports.map((p) => ({ ...p })),
  };
  if (name) slice.metadata.name = name;
  else slice.metadata.generateName = slicePrefix(ep.metadata.name!);
  return slice;
}

interface Desired {
  readonly addressType: AddressType;
  readonly ports: EndpointPort[];
  readonly endpoints: EndpointSet;
}

const keyOf = (addressType: string, ports: readonly EndpointPort[] | null | undefined) => `${addressType}|${portMapKey(ports)}`;

export function reconcileMirroredSlices(input: MirrorInput): MirrorPlan {
  const max = input.maxEndpointsPerSubset ?? DEFAULT_MAX_ENDPOINTS_PER_SUBSET;
  const ep = input.endpoints;
  const desired = new Map<string, Desired>();
  let invalidAddresses = 0;
  let skippedAddresses = 0;
  for (const subset of repackSubsets(ep.subsets ?? [])) {
    const ports: EndpointPort[] = (subset.ports ?? []).map((p) => {
      const out: EndpointPort = { name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' };
      if (p.appProtocol !== undefined) out.appProtocol = p.appProtocol;
      return out;
    });
    // Every subset claims a key per address type, so slices of a family it lost are deleted.
    for (const t of ['IPv4', 'IPv6'] as const) {
      const k = keyOf(t, ports);
      if (!desired.has(k)) desired.set(k, { addressType: t, ports, endpoints: new EndpointSet() });
    }
    const total = (subset.addresses?.length ?? 0) + (subset.notReadyAddresses?.length ?? 0);
    let added = 0;
    const take = (addrs: readonly EndpointAddress[], ready: boolean) => {
      for (const a of addrs) {
        if (added >= max) break;
        const parsed = parseIP(a.ip);
        if (!parsed) {
          invalidAddresses++;
          continue;
        }
        desired.get(keyOf(parsed.family, ports))!.endpoints.insert(addressToEndpoint(a, canonicalIP(a.ip, { sloppy: true })!, ready));
        added++;
      }
    };
    take(subset.addresses ?? [], true);
    take(subset.notReadyAddresses ?? [], false);
    skippedAddresses += total - added;
  }

  const existingByKey = new Map<string, EndpointSlice[]>();
  for (const s of input.existingSlices) {
    const k = keyOf(s.addressType, s.ports);
    existingByKey.set(k, [...(existingByKey.get(k) ?? []), s]);
  }
  const create: EndpointSlice[] = [];
  const update: EndpointSlice[] = [];
  const del: EndpointSlice[] = [];
  for (const [k, d] of desired) {
    const existing = existingByKey.get(k) ?? [];
    if (d.endpoints.size === 0) {
      del.push(...existing);
      continue;
    }
    const first = existing[0];
    if (first) {
      del.push(...existing.slice(1));
      if (isUpToDate(first, d.endpoints, ep)) continue;
    }
    const slice = newMirroredSlice(ep, d.ports, d.addressType, first?.metadata.name);
    const eps = slice.endpoints!;
    while (d.endpoints.size > 0 && eps.length < max) eps.push(d.endpoints.pop()!);
    (first ? update : create).push(slice);
  }
  for (const [k, slices] of existingByKey) if (!desired.has(k)) del.push(...slices);

  // recycleSlices: turn creates into updates of slices that would be deleted (same address type).
  for (let i = 0; i < create.length; ) {
    const j = del.findIndex((d) => d.addressType === create[i]!.addressType);
    if (j < 0) {
      i++;
      continue;
    }
    const victim = structuredClone(del[j]!);
    victim.endpoints = create[i]!.endpoints;
    victim.ports = create[i]!.ports;
    update.push(victim);
    create.splice(i, 1);
    del.splice(j, 1);
  }
  // Creating slices for an Endpoints being deleted would race its garbage collection.
  if (ep.metadata.deletionTimestamp) create.length = 0;
  return { create, update, delete: del, invalidAddresses, skippedAddresses };
}

/** totalChanges == 0 and labels and annotations already mirrored. */
function isUpToDate(slice: EndpointSlice, desired: EndpointSet, ep: Endpoints): boolean {
  let matches = 0;
  for (const e of slice.endpoints ?? []) {
    const want = desired.get(e);
    if (!want || !endpointsEqualBeyondHash(want, e)) return false;
    matches++;
  }
  if (desired.size !== matches) return false;
  return (
    sameMap(ep.metadata.labels ?? {}, without(slice.metadata.labels, LABEL_MANAGED_BY, LABEL_SERVICE_NAME)) &&
    sameMap(mirroredAnnotations(ep), slice.metadata.annotations ?? {})
  );
}
