// The EndpointSlice reconciler (k8s.io/endpointslice reconciler.go), as a pure function: from a
// Service, its Pods, the Nodes and the slices that exist, the creates, updates and deletes that
// bring the slices in line with as little churn as possible. The controller performs the plan.
import type { Pod, Service } from '../../api/types/core/index.js';
import { ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME } from '../../api/types/core/index.js';
import type { AddressType, Endpoint, EndpointPort, EndpointSlice } from '../../api/types/discovery/index.js';
import { ENDPOINTSLICE_CONTROLLER_NAME } from '../../api/types/discovery/index.js';
import { desiredEndpoints, type NodeGetter } from './desired.js';
import { endpointsEqualBeyondHash, portMapKey, type EndpointSet } from './endpoint-set.js';
import { hintModeFor, reconcileHints } from './hints.js';
import { addressTypesForService, isSamePlaceholder, newEndpointSlice, ownedBy, sliceLabelsFor, sliceToFill } from './slice-meta.js';

export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

export interface SliceReconcileInput {
  readonly service: Service;
  /** Pods the Service's selector matches (the reconciler filters out those it must skip). */
  readonly pods: readonly Pod[];
  /** The Service's slices managed by this controller, without those already being deleted. */
  readonly existingSlices: readonly EndpointSlice[];
  readonly nodes: NodeGetter;
  readonly maxEndpointsPerSlice?: number;
  readonly controllerName?: string;
  /** `endpoints.kubernetes.io/last-change-trigger-time` for written slices; undefined removes it. */
  readonly triggerTime?: string;
}

export interface SlicePlan {
  /** New slices (generateName set, no name). */
  readonly create: EndpointSlice[];
  /** Full objects to PUT (resourceVersion kept from the cache, or none for recycled slices). */
  readonly update: EndpointSlice[];
  readonly delete: EndpointSlice[];
  /** Problems that did not stop the plan but must fail the sync (Pods on missing Nodes). */
  readonly errors: string[];
}

interface PortMappingPlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

/** reconcileByPortMapping: steps 1–3 for the slices of one (address type, port set). */
function reconcileByPortMapping(
  svc: Service,
  existing: readonly EndpointSlice[],
  desired: EndpointSet,
  ports: readonly EndpointPort[],
  addressType: AddressType,
  max: number,
  controllerName: string,
): PortMappingPlan {
  const byName = new Map<string, EndpointSlice>();
  const unchanged = new Set<string>();
  const toUpdate = new Set<string>();
  const toDelete = new Set<string>();

  // 1. Keep the endpoints still wanted (in their desired form), drop the rest.
  for (const slice of existing) {
    const name = slice.metadata.name!;
    byName.set(name, slice);
    const kept: Endpoint[] = [];
    let endpointUpdated = false;
    for (const ep of slice.endpoints ?? []) {
      const want = desired.get(ep);
      if (!want) continue;
      kept.push(want);
      if (!endpointsEqualBeyondHash(want, ep)) endpointUpdated = true;
      desired.delete(ep);
    }
    const { labels, changed } = sliceLabelsFor(slice, svc, controllerName);
    if (endpointUpdated || kept.length !== (slice.endpoints?.length ?? 0)) {
      if (kept.length === 0) toDelete.add(name);
      else {
        const copy = structuredClone(slice);
        copy.endpoints = kept;
        copy.metadata.labels = labels;
        byName.set(name, copy);
        toUpdate.add(name);
      }
    } else if (changed) {
      const copy = structuredClone(slice);
      copy.metadata.labels = labels;
      byName.set(name, copy);
      toUpdate.add(name);
    } else unchanged.add(name);
  }

  // 2. Slices being updated anyway take new endpoints first, fullest first.
  if (desired.size > 0 && toUpdate.size > 0) {
    const slices = [...toUpdate].map((n) => byName.get(n)!).sort((a, b) => (b.endpoints?.length ?? 0) - (a.endpoints?.length ?? 0));
    for (const s of slices) {
      const eps = (s.endpoints ??= []);
      while (desired.size > 0 && eps.length < max) eps.push(desired.pop()!);
    }
  }

  // 3. The rest: into the unchanged slice that ends closest to full, else into new slices.
  const create: EndpointSlice[] = [];
  while (desired.size > 0) {
    let fill: EndpointSlice | undefined;
    if (desired.size < max && unchanged.size > 0) {
      fill = sliceToFill([...unchanged].map((n) => byName.get(n)!), desired.size, max);
    }
    if (!fill) fill = newEndpointSlice(svc, ports, addressType, controllerName);
    else {
      fill = structuredClone(fill);
      byName.set(fill.metadata.name!, fill);
    }
    const eps = (fill.endpoints ??= []);
    while (desired.size > 0 && eps.length < max) eps.push(desired.pop()!);
    if (fill.metadata.name) {
      toUpdate.add(fill.metadata.name);
      unchanged.delete(fill.metadata.name);
    } else create.push(fill);
  }

  return {
    create,
    update: [...toUpdate].map((n) => byName.get(n)!),
    delete: [...toDelete].map((n) => byName.get(n)!),
  };
}

function reconcileByAddressType(input: SliceReconcileInput, existing: readonly EndpointSlice[], addressType: AddressType, max: number, controllerName: string) {
  const svc = input.service;
  let create: EndpointSlice[] = [];
  const update: EndpointSlice[] = [];
  const del: EndpointSlice[] = [];

  const existingByPorts = new Map<string, EndpointSlice[]>();
  for (const s of existing) {
    if (!ownedBy(s, svc)) {
      del.push(s);
      continue;
    }
    const key = portMapKey(s.ports);
    const list = existingByPorts.get(key);
    if (list) list.push(s);
    else existingByPorts.set(key, [s]);
  }

  const desired = desiredEndpoints(svc, input.pods, input.nodes, addressType);
  for (const [key, group] of desired.groups) {
    const r = reconcileByPortMapping(svc, existingByPorts.get(key) ?? [], group.endpoints, group.ports, addressType, max, controllerName);
    create.push(...r.create);
    update.push(...r.update);
    del.push(...r.delete);
  }
  // 4. Port sets nobody resolves to any more.
  for (const [key, slices] of existingByPorts) if (!desired.groups.has(key)) del.push(...slices);

  // 5. A Service with no endpoints still gets one (placeholder) slice per address type.
  if (existing.length === del.length && create.length === 0) {
    const placeholder = newEndpointSlice(svc, [], addressType, controllerName);
    if (del.length === 1 && isSamePlaceholder(del[0]!, placeholder)) del.length = 0;
    else create.push(placeholder);
  }

  // 6. Hints, on what is written and on unchanged slices whose hints are wrong.
  const changed = new Set([...update, ...del].map((s) => s.metadata.name));
  reconcileHints(
    hintModeFor(svc),
    create,
    update,
    existing.filter((s) => !changed.has(s.metadata.name)),
  );

  // 7. Recycle slices about to be deleted instead of creating new ones.
  for (let i = 0; i < del.length && create.length > 0; ) {
    const victim = del[i]!;
    const slice = create[create.length - 1]!;
    if (victim.addressType === slice.addressType && ownedBy(victim, svc)) {
      slice.metadata.name = victim.metadata.name;
      create.pop();
      update.push(slice);
      del.splice(i, 1);
    } else i++;
  }
  // Creating slices for a Service being deleted would race the garbage collector.
  if (svc.metadata.deletionTimestamp) create = [];
  return { create, update, delete: del, errors: desired.errors };
}

function setTriggerTime(slice: EndpointSlice, triggerTime: string | undefined): void {
  const annotations = (slice.metadata.annotations ??= {});
  if (triggerTime) annotations[ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME] = triggerTime;
  else delete annotations[ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME];
}

/** Reconcile: one pass per address type of the Service; slices of other address types go. */
export function reconcileEndpointSlices(input: SliceReconcileInput): SlicePlan {
  const max = input.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE;
  const controllerName = input.controllerName ?? ENDPOINTSLICE_CONTROLLER_NAME;
  const types = addressTypesForService(input.service);
  const plan: SlicePlan = { create: [], update: [], delete: [], errors: [] };
  const byType = new Map<AddressType, EndpointSlice[]>();
  const unsupported: EndpointSlice[] = [];
  for (const s of input.existingSlices) {
    if (!types.includes(s.addressType)) unsupported.push(s);
    else byType.set(s.addressType, [...(byType.get(s.addressType) ?? []), s]);
  }
  for (const t of types) {
    const r = reconcileByAddressType(input, byType.get(t) ?? [], t, max, controllerName);
    plan.create.push(...r.create);
    plan.update.push(...r.update);
    plan.delete.push(...r.delete);
    for (const e of r.errors) if (!plan.errors.includes(e)) plan.errors.push(e);
  }
  plan.delete.push(...unsupported);
  for (const s of [...plan.create, ...plan.update]) setTriggerTime(s, input.triggerTime);
  return plan;
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several as `[a, b]`. */
export function aggregateMessage(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}
