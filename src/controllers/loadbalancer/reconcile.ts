// What the LoadBalancer controller decides for one Service, as a function of the Service, the
// pool and the current allocations. No I/O: the caller writes the status and records the events.
// The decision updates `state` (the Allocations) in place, so that two Services synced one after
// the other can never be given the same address.
import { Allocations } from './allocations.js';
import type { IPFamily, IPPool } from './pool.js';
import { describePool, firstFree, parseAddress, poolContains, poolHasFamily } from './pool.js';
import type { Service } from '../../api/types/core/index.js';
import { isManaged, requestedIPs, serviceKey, statusIPs, statusMatches, wantedFamilies } from './service.js';

/** Event reasons, MetalLB's (controller/service.go), so runbooks written for MetalLB still apply. */
export const LB_EVENT_REASONS = {
  allocated: 'IPAllocated',
  allocationFailed: 'AllocationFailed',
  invalidRequest: 'LoadBalancerFailed',
} as const;

export interface LBEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}

export interface LBConfig {
  readonly pool: IPPool;
  /** The loadBalancerClass this controller serves; undefined: Services without a class. */
  readonly loadBalancerClass?: string;
}

export interface LBDecision {
  /** The status.loadBalancer.ingress IPs to write; undefined when the status is left alone. */
  readonly ingress?: readonly string[];
  /** Events to record once the status write (if any) has succeeded. */
  readonly events: readonly LBEvent[];
  /** Addresses this decision freed: Services waiting for one should be synced again. */
  readonly released: readonly string[];
  /** The Service wants an address and has none: retry it when one is freed. */
  readonly pending: boolean;
}

/** Go's %q of a []net.IP, as MetalLB's messages print addresses: ["a" "b"]. */
export function quoteIPs(ips: readonly string[]): string {
  return `[${ips.map((ip) => JSON.stringify(ip)).join(' ')}]`;
}

/**
 * Decides for the Service stored under `key`; `svc` undefined means it was deleted. Keys are
 * `namespace/name`.
 */
export function reconcileLoadBalancer(key: string, svc: Service | undefined, state: Allocations, cfg: LBConfig): LBDecision {
  if (!svc) return { events: [], released: state.release(key), pending: false };
  if (!isManaged(svc, cfg.loadBalancerClass)) return release(svc, key, state);

  const fail = (reason: string, why: string): LBDecision => {
    const released = state.release(key);
    // Clear what the status shows only if it shows something: never leave an address on
    // display that another Service may now be given.
    const ingress = statusIPs(svc).length > 0 ? [] : undefined;
    const message = reason === LB_EVENT_REASONS.allocationFailed ? `Failed to allocate IP for "${key}": ${why}` : why;
    // Only a lack of addresses is cured by a release; a bad request waits for its own edit.
    const pending = reason === LB_EVENT_REASONS.allocationFailed;
    return { ingress, events: [{ type: 'Warning', reason, message }], released, pending };
  };

  const requested = requestedIPs(svc);
  if ('error' in requested) return fail(LB_EVENT_REASONS.invalidRequest, `invalid requested loadbalancer IPs: ${requested.error}`);
  const { families, all } = wantedFamilies(svc);
  const held = state.ipsOf(key);
  let chosen: string[];

  if (requested.ips.length > 0) {
    const ips = requested.ips.map((r) => r.ip);
    const fams = requested.ips.map((r) => r.family);
    if (fams.some((f) => !families.includes(f)) || (all && families.some((f) => !fams.includes(f))))
      return fail(LB_EVENT_REASONS.allocationFailed, `requested loadBalancer IP(s) ${quoteIPs(ips)} does not match the ipFamily of the service`);
    const outside = ips.find((ip) => !poolContains(cfg.pool, ip));
    if (outside) return fail(LB_EVENT_REASONS.allocationFailed, `requested IP "${outside}" is not in pool ${describePool(cfg.pool)}`);
    for (const ip of ips) {
      const holder = state.holder(ip);
      if (holder !== undefined && holder !== key)
        return fail(LB_EVENT_REASONS.allocationFailed, `requested IP "${ip}" is already in use by Service ${holder}`);
    }
    chosen = orderByFamily(ips, families);
  } else {
    // Keep what the Service holds (still in the pool, of a wanted family), fill the gaps.
    const kept = held.filter((ip) => poolContains(cfg.pool, ip) && families.includes(familyOf(ip)));
    chosen = [...kept];
    const missing: IPFamily[] = [];
    for (const fam of families) {
      if (chosen.some((ip) => familyOf(ip) === fam)) continue;
      const ip = firstFree(cfg.pool, fam, state.isUsed);
      if (ip !== undefined) chosen.push(ip);
      else missing.push(fam);
    }
    // PreferDualStack settles for one family; the others need every family they asked for.
    if (missing.length > 0 && (all || chosen.length === 0)) return fail(LB_EVENT_REASONS.allocationFailed, exhausted(cfg.pool, missing[0]!));
    chosen = orderByFamily(chosen, families);
  }

  state.assign(key, chosen);
  const released = held.filter((ip) => !chosen.includes(ip));
  if (statusMatches(svc, chosen)) return { events: [], released, pending: false };
  // Announce a change of address, not a mere rewrite (e.g. of an ipMode someone edited).
  const events: LBEvent[] = sameList(statusIPs(svc), chosen)
    ? []
    : [{ type: 'Normal', reason: LB_EVENT_REASONS.allocated, message: `Assigned IP ${quoteIPs(chosen)}` }];
  return { ingress: chosen, events, released, pending: false };
}

/** Not ours (any more): free what we held, and take our addresses off its status. */
function release(svc: Service, key: string, state: Allocations): LBDecision {
  const released = state.release(key);
  const shown = statusIPs(svc);
  // Only clear a status that shows our addresses: another implementation may own it now.
  const ours = released.length > 0 && shown.length > 0 && shown.every((ip) => released.includes(ip));
  return { ingress: ours ? [] : undefined, events: [], released, pending: false };
}

function exhausted(pool: IPPool, fam: IPFamily): string {
  if (!poolHasFamily(pool, fam)) return `pool ${describePool(pool)} has no ${fam} addresses`;
  return `no available IPs in pool ${describePool(pool)} for ${fam} IPFamily`;
}

function familyOf(ip: string): IPFamily {
  return parseAddress(ip)?.family ?? 'IPv4';
}

function orderByFamily(ips: readonly string[], families: readonly IPFamily[]): string[] {
  return [...ips].sort((a, b) => families.indexOf(familyOf(a)) - families.indexOf(familyOf(b)));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The allocations a restarted controller starts from: every Service it manages keeps the
 * addresses its status shows, if they are in the pool and nobody older claimed them first.
 * Nothing is reassigned; a Service whose claim is refused is sorted out by its next sync.
 */
export function rebuildAllocations(services: readonly Service[], cfg: LBConfig): Allocations {
  const state = new Allocations();
  const ordered = services
    .filter((s) => isManaged(s, cfg.loadBalancerClass))
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || serviceKey(a).localeCompare(serviceKey(b)));
  for (const svc of ordered) {
    const ips = statusIPs(svc).map((ip) => parseAddress(ip));
    if (ips.length === 0 || ips.some((p) => !p)) continue;
    const canon = ips.map((p) => p!.ip);
    const fams = new Set(ips.map((p) => p!.family));
    if (fams.size !== canon.length) continue;
    if (canon.some((ip) => !poolContains(cfg.pool, ip) || state.isUsed(ip))) continue;
    state.assign(serviceKey(svc), canon);
  }
  return state;
}
