// EndpointsChangeTracker + EndpointsMap (pkg/proxy/endpointschangetracker.go,
// endpointslicecache.go): EndpointSlice events are cached per Service and slice name; a sync
// checks out the Services whose merged endpoints actually changed.
import type { IPFamily } from '../../api/types/core/v1.js';
import type { EndpointSlice } from '../../api/types/discovery/v1.js';
import { serviceNameOf } from '../../api/endpointslice.js';
import { endpointListsEqual, endpointsFromSlices, type EndpointInfo, type SkippedEndpoint } from './endpoint.js';

/** The parts of a slice that affect the proxy (metadata churn such as resourceVersion does not). */
function sliceFingerprint(s: EndpointSlice): string {
  return JSON.stringify([s.addressType, s.ports ?? [], s.endpoints ?? []]);
}

export class EndpointsChangeTracker {
  /** Applied slices: "ns/svc" → slice name → slice. */
  private readonly applied = new Map<string, Map<string, EndpointSlice>>();
  /** Pending slices since the last checkout; null marks a deletion. */
  private readonly pendingSlices = new Map<string, Map<string, EndpointSlice | null>>();

  constructor(
    readonly family: IPFamily,
    readonly nodeName: string,
  ) {}

  /**
   * Records an add/update (removed false) or delete (removed true) of a slice. Slices of another
   * address type or without a service-name label are ignored. Returns whether a sync is needed.
   */
  endpointSliceUpdate(slice: EndpointSlice, removed: boolean): boolean {
    if (slice.addressType !== this.family) return false;
    const svcName = serviceNameOf(slice);
    if (!svcName) return false;
    const svc = `${slice.metadata.namespace ?? 'default'}/${svcName}`;
    const sliceName = slice.metadata.name ?? '';
    let pending = this.pendingSlices.get(svc);
    if (!pending) this.pendingSlices.set(svc, (pending = new Map()));
    pending.set(sliceName, removed ? null : slice);
    // A pending state equal to the applied one is not a change (upstream's cache does the same).
    const applied = this.applied.get(svc)?.get(sliceName);
    const same = removed ? applied === undefined : applied !== undefined && sliceFingerprint(applied) === sliceFingerprint(slice);
    if (same) {
      pending.delete(sliceName);
      if (pending.size === 0) this.pendingSlices.delete(svc);
    }
    return this.pendingSlices.size > 0;
  }

  pending(): number {
    return this.pendingSlices.size;
  }

  /** Applies pending slices; returns per Service the slices before and after. */
  checkout(): Map<string, { previous: EndpointSlice[]; current: EndpointSlice[] }> {
    const out = new Map<string, { previous: EndpointSlice[]; current: EndpointSlice[] }>();
    for (const [svc, pending] of this.pendingSlices) {
      const applied = this.applied.get(svc) ?? new Map<string, EndpointSlice>();
      const previous = [...applied.values()];
      for (const [name, slice] of pending) {
        if (slice) applied.set(name, slice);
        else applied.delete(name);
      }
      if (applied.size > 0) this.applied.set(svc, applied);
      else this.applied.delete(svc);
      out.set(svc, { previous, current: [...applied.values()] });
    }
    this.pendingSlices.clear();
    return out;
  }
}

export interface EndpointsUpdateResult {
  readonly updatedServices: ReadonlySet<string>;
  readonly skipped: readonly SkippedEndpoint[];
}

/** The applied endpoints of all service ports, keyed by servicePortKey. */
export class EndpointsMap {
  readonly byPort = new Map<string, EndpointInfo[]>();

  /**
   * Applies the tracker's changes. `excludedIPs` are addresses never to DNAT to (ClusterIPs of
   * Services, which would loop through the proxy again).
   */
  update(tracker: EndpointsChangeTracker, excludedIPs: ReadonlySet<string> = new Set()): EndpointsUpdateResult {
    const updatedServices = new Set<string>();
    const skipped: SkippedEndpoint[] = [];
    for (const [svc, change] of tracker.checkout()) {
      const before = endpointsFromSlices(change.previous, tracker.family, tracker.nodeName, excludedIPs).byPort;
      const after = endpointsFromSlices(change.current, tracker.family, tracker.nodeName, excludedIPs);
      for (const sk of after.skipped) skipped.push(sk);
      let changed = before.size !== after.byPort.size;
      for (const key of before.keys()) {
        if (!after.byPort.has(key)) this.byPort.delete(key);
      }
      for (const [key, { endpoints }] of after.byPort) {
        const old = before.get(key)?.endpoints;
        if (!old || !endpointListsEqual(old, endpoints)) changed = true;
        this.byPort.set(key, endpoints);
      }
      if (changed) updatedServices.add(svc);
    }
    return { updatedServices, skipped };
  }
}
