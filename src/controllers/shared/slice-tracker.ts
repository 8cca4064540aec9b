// EndpointSliceTracker (k8s.io/endpointslice/util endpointslice_tracker.go): remembers the
// version of every slice this controller wrote, so that (a) informer events for its own writes
// do not trigger another sync, and (b) a sync refuses to work from a cache older than its own
// writes ("stale informer cache") instead of recreating what it just wrote.
//
// The version is metadata.generation where the server tracks it for EndpointSlices (upstream
// does); otherwise the resourceVersion, which svcnet's server makes a number that grows.
import type { EndpointSlice } from '../../api/types/discovery/index.js';

const DELETION_EXPECTED = -1;

export function sliceVersion(slice: EndpointSlice): number {
  const g = slice.metadata.generation;
  if (typeof g === 'number' && g > 0) return g;
  const rv = Number(slice.metadata.resourceVersion);
  return Number.isFinite(rv) ? rv : 0;
}

export class EndpointSliceTracker {
  /** service key → slice UID → version (or DELETION_EXPECTED). */
  readonly #byService = new Map<string, Map<string, number>>();

  constructor(readonly serviceKeyOf: (slice: EndpointSlice) => string | undefined) {}

  #gens(slice: EndpointSlice, create: boolean): Map<string, number> | undefined {
    const key = this.serviceKeyOf(slice);
    if (key === undefined) return undefined;
    let m = this.#byService.get(key);
    if (!m && create) this.#byService.set(key, (m = new Map()));
    return m;
  }

  has(slice: EndpointSlice): boolean {
    return this.#gens(slice, false)?.has(slice.metadata.uid ?? '') ?? false;
  }

  /** ShouldSync: the slice is unknown or newer than what this controller wrote. */
  shouldSync(slice: EndpointSlice): boolean {
    const g = this.#gens(slice, false)?.get(slice.metadata.uid ?? '');
    return g === undefined || sliceVersion(slice) > g;
  }

  /**
   * StaleSlices: a cached slice is older than our write, or one we deleted is still there, or
   * one we wrote is missing.
   */
  staleSlices(serviceKey: string, slices: readonly EndpointSlice[]): boolean {
    const gens = this.#byService.get(serviceKey);
    if (!gens) return false;
    const provided = new Set<string>();
    for (const s of slices) {
      const uid = s.metadata.uid ?? '';
      provided.add(uid);
      const g = gens.get(uid);
      if (g !== undefined && (g === DELETION_EXPECTED || g > sliceVersion(s))) return true;
    }
    for (const [uid, g] of gens) if (g !== DELETION_EXPECTED && !provided.has(uid)) return true;
    return false;
  }

  update(slice: EndpointSlice): void {
    this.#gens(slice, true)!.set(slice.metadata.uid ?? '', sliceVersion(slice));
  }

  expectDeletion(slice: EndpointSlice): void {
    this.#gens(slice, true)!.set(slice.metadata.uid ?? '', DELETION_EXPECTED);
  }

  /** HandleDeletion: forgets the slice; false when the deletion was not ours (resync needed). */
  handleDeletion(slice: EndpointSlice): boolean {
    const gens = this.#gens(slice, false);
    const uid = slice.metadata.uid ?? '';
    const g = gens?.get(uid);
    gens?.delete(uid);
    return g === undefined || g === DELETION_EXPECTED;
  }

  deleteService(serviceKey: string): void {
    this.#byService.delete(serviceKey);
  }
}
