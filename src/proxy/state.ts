// Builds a ProxyState straight from Services and EndpointSlices through the change trackers,
// exactly as a sync does after the informers delivered them (tests, benchmarks, one-shot CLI).
import type { IPFamily, Service } from '../api/types/core/v1.js';
import type { EndpointSlice } from '../api/types/discovery/v1.js';
import { EndpointsChangeTracker, EndpointsMap } from './model/endpoints-change-tracker.js';
import { ServiceChangeTracker, ServicePortMap } from './model/service-change-tracker.js';
import type { SkippedEndpoint } from './model/endpoint.js';
import type { ProxyState } from './plan.js';

export function stateFromObjects(
  services: readonly Service[],
  slices: readonly EndpointSlice[],
  family: IPFamily,
  nodeName: string,
): ProxyState & { skipped: readonly SkippedEndpoint[] } {
  const st = new ServiceChangeTracker(family);
  for (const s of services) st.update(undefined, s);
  const et = new EndpointsChangeTracker(family, nodeName);
  for (const s of slices) et.endpointSliceUpdate(s, false);
  const portMap = new ServicePortMap();
  portMap.update(st);
  const clusterIPs = new Set([...portMap.ports.values()].map((p) => p.clusterIP));
  const epMap = new EndpointsMap();
  const { skipped } = epMap.update(et, clusterIPs);
  return { services: portMap.ports, endpoints: epMap.byPort, skipped };
}
