// Topology hints (k8s.io/endpointslice/trafficdist, as of 1.32). With
// `trafficDistribution: PreferClose` every ready endpoint that has a zone gets the hint
// `forZones: [{name: <its zone>}]`; otherwise hints are removed. The topology-mode annotation
// (`Auto`, which needs the CPU-proportional topology cache) is not implemented: such Services
// get no hints, as with the topology cache disabled upstream.
import type { Service } from '../../api/types/core/index.js';
import type { Endpoint, EndpointSlice } from '../../api/types/discovery/index.js';
import { topologyHintsEnabled } from './slice-meta.js';

export type HintMode = 'none' | 'preferClose';

export function hintModeFor(svc: Service): HintMode {
  return svc.spec?.trafficDistribution === 'PreferClose' && !topologyHintsEnabled(svc.metadata.annotations) ? 'preferClose' : 'none';
}

const isReady = (ep: Endpoint) => ep.conditions?.ready === true;

function needsUpdate(mode: HintMode, slice: EndpointSlice): boolean {
  for (const ep of slice.endpoints ?? []) {
    if (mode === 'none') {
      if (ep.hints) return true;
      continue;
    }
    if (!isReady(ep)) continue;
    const zones = ep.hints?.forZones ?? [];
    if (ep.zone !== undefined) {
      if (zones.length !== 1 || zones[0]!.name !== ep.zone) return true;
    } else if (zones.length > 0) return true;
  }
  return false;
}

function applyHints(mode: HintMode, slice: EndpointSlice): void {
  for (const ep of slice.endpoints ?? []) {
    if (mode === 'none') {
      delete ep.hints;
      continue;
    }
    if (!isReady(ep)) continue;
    if (ep.zone !== undefined) ep.hints = { forZones: [{ name: ep.zone }] };
    else delete ep.hints;
  }
}

/**
 * ReconcileHints: sets hints on the slices being written, and moves unchanged slices whose hints
 * are wrong into the updates (cloned: unchanged slices are informer cache objects).
 */
export function reconcileHints(mode: HintMode, create: EndpointSlice[], update: EndpointSlice[], unchanged: readonly EndpointSlice[]): void {
  for (const s of unchanged) if (needsUpdate(mode, s)) update.push(structuredClone(s));
  for (const s of create) applyHints(mode, s);
  for (const s of update) applyHints(mode, s);
}
