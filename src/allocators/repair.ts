// The repair loops kube-apiserver runs at startup and every few minutes
// (pkg/registry/core/service/{ipallocator,portallocator}/controller/repair.go), over svcnet's
// one-key-per-value store: read the stored values, then the Services; warn on Services whose
// values are broken, store the values Services hold but the store lacks, and free values no
// Service holds after a few passes (an allocation may be ahead of its Service's write). A value
// allocated by someone else while the pass runs makes the pass start over.
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError, KeyExistsError, KeyNotFoundError } from '../storage/index.js';
import type { ClusterIPRange } from './cluster-ip.js';
import { AlreadyAllocatedError, NotInRangeError, RangeFullError } from './errors.js';
import { collectServiceNodePortsForRepair, isServiceIPSet } from '../api/service.js';
import type { Service } from '../api/types/core/v1.js';
import { formatIP, parseIPSloppy, type IPFamily } from '../util/ip.js';
import type { NodePortRange } from './node-port.js';
import type { PersistedAllocator } from './persisted.js';
import type { RangeCore } from './range-core.js';

export type EventType = 'Normal' | 'Warning';

/** Where repair events go (the caller writes them as core/v1 Events on the Service). */
export interface EventRecorder {
  event(service: Service, type: EventType, reason: string, message: string): void;
}

/** The Services, or a function listing them (called after the stored values are read, as upstream orders it). */
export type ServiceSource = readonly Service[] | (() => Promise<readonly Service[]>);

/** How many passes a value must look leaked before it is freed. */
export const numRepairsBeforeLeakCleanup = 3;

/** retry.RetryOnConflict with retry.DefaultBackoff: 4 attempts, 10 ms growing fivefold. */
const conflictBackoffMs = [10, 50, 250];

/** Per-value leak counters, carried from one pass to the next. */
export type LeakCounters<K> = Map<K, number>;

export interface RepairResult<K> {
  /** Values used by no Service but kept this pass (grace). */
  readonly kept: K[];
  /** Values freed this pass after their grace ran out. */
  readonly freed: K[];
}

export type ClusterIPAllocator = PersistedAllocator<string, ClusterIPRange>;
export type NodePortAllocator = PersistedAllocator<number, NodePortRange>;

export async function repairClusterIPs(
  services: ServiceSource,
  allocators: ClusterIPAllocator | readonly ClusterIPAllocator[],
  recorder: EventRecorder,
  leaks: LeakCounters<string> = new Map(),
): Promise<RepairResult<string>> {
  const list = Array.isArray(allocators) ? (allocators as readonly ClusterIPAllocator[]) : [allocators as ClusterIPAllocator];
  return retryOnConflict(async () => {
    const counters = new Map(leaks);
    const byFamily = new Map<IPFamily, RangeState<string, ClusterIPRange>>();
    for (const alloc of list) {
      const state = await readState(alloc);
      byFamily.set(state.rebuilt.family, state);
    }
    for (const svc of await listServices(services)) {
      if (!isServiceIPSet(svc)) continue;
      for (const text of svc.spec?.clusterIPs ?? []) {
        // Upstream reads stored ClusterIPs with netutils.ParseIPSloppy.
        const parsed = parseIPSloppy(text);
        if (!parsed) {
          // Upstream formats the failed parse result, a nil net.IP, which prints as "<nil>".
          recorder.event(svc, 'Warning', 'ClusterIPNotValid', 'Cluster IP <nil> is not a valid IP; please recreate service');
          continue;
        }
        const ip = formatIP(parsed);
        const family = parsed.family;
        const f = byFamily.get(family);
        if (!f) {
          recorder.event(svc, 'Warning', 'ClusterIPNotValid', `Cluster IP ${ip}(${family}) is of ip family that is no longer configured on cluster; please recreate service`);
          continue;
        }
        // Held by a Service: whatever else is wrong with it, its key is not a leak.
        f.unused.delete(ip);
        try {
          f.rebuilt.allocate(ip);
          if (!f.stored.has(ip)) {
            recorder.event(svc, 'Warning', 'ClusterIPNotAllocated', `Cluster IP [${family}]:${ip} is not allocated; repairing`);
            f.missing.push(ip);
          }
          counters.delete(ip);
        } catch (err) {
          if (err instanceof AlreadyAllocatedError) {
            recorder.event(svc, 'Warning', 'ClusterIPAlreadyAllocated', `Cluster IP [${family}]:${ip} was assigned to multiple services; please recreate service`);
          } else if (err instanceof NotInRangeError) {
            recorder.event(svc, 'Warning', 'ClusterIPOutOfRange', `Cluster IP [${family}]:${ip} is not within the service CIDR ${f.rebuilt.cidr}; please recreate service`);
          } else if (err instanceof RangeFullError) {
            const cidr = f.rebuilt.cidr;
            recorder.event(svc, 'Warning', 'ServiceCIDRFull', `Service CIDR ${cidr} is full; you must widen the CIDR in order to create new services for Cluster IP [${family}]:${ip}`);
            throw new Error(`the service CIDR ${cidr} is full; you must widen the CIDR in order to create new services for Cluster IP [${family}]:${ip}`);
          } else {
            recorder.event(svc, 'Warning', 'UnknownError', `Unable to allocate cluster IP [${family}]:${ip} due to an unknown error`);
            throw err;
          }
        }
      }
    }
    const result: RepairResult<string> = { kept: [], freed: [] };
    for (const f of byFamily.values()) await saveState(f, counters, result);
    forgetStale(counters, [...byFamily.values()]);
    replaceMap(leaks, counters);
    return result;
  });
}

export async function repairNodePorts(
  services: ServiceSource,
  allocator: NodePortAllocator,
  recorder: EventRecorder,
  leaks: LeakCounters<number> = new Map(),
): Promise<RepairResult<number>> {
  return retryOnConflict(async () => {
    const counters = new Map(leaks);
    const f = await readState(allocator);
    const { rebuilt } = f;
    for (const svc of await listServices(services)) {
      for (const port of collectServiceNodePortsForRepair(svc)) {
        f.unused.delete(port);
        try {
          rebuilt.allocate(port);
          if (!f.stored.has(port)) {
            recorder.event(svc, 'Warning', 'PortNotAllocated', `Port ${port} is not allocated; repairing`);
            f.missing.push(port);
          }
          counters.delete(port);
        } catch (err) {
          if (err instanceof AlreadyAllocatedError) {
            recorder.event(svc, 'Warning', 'PortAlreadyAllocated', `Port ${port} was assigned to multiple services; please recreate service`);
          } else if (err instanceof NotInRangeError) {
            recorder.event(svc, 'Warning', 'PortOutOfRange', `Port ${port} is not within the port range ${rebuilt.rangeSpec}; please recreate service`);
          } else if (err instanceof RangeFullError) {
            recorder.event(svc, 'Warning', 'PortRangeFull', `Port range ${rebuilt.rangeSpec} is full; you must widen the port range in order to create new services`);
            throw new Error(`the port range ${rebuilt.rangeSpec} is full; you must widen the port range in order to create new services`);
          } else {
            recorder.event(svc, 'Warning', 'UnknownError', `Unable to allocate port ${port} due to an unknown error`);
            throw err;
          }
        }
      }
    }
    const result: RepairResult<number> = { kept: [], freed: [] };
    await saveState(f, counters, result);
    forgetStale(counters, [f]);
    replaceMap(leaks, counters);
    return result;
  });
}

/** One allocator's pass: what the store holds, and what the Services say it should. */
interface RangeState<K, C extends RangeCore<K>> {
  readonly alloc: PersistedAllocator<K, C>;
  /** Stored values (in range or not) with their keys' mod revisions. */
  readonly stored: ReadonlyMap<K, number>;
  /** Stored values no Service holds (so far in the pass). */
  readonly unused: Map<K, number>;
  /** The values the Services hold, to spot duplicates and values outside the range. */
  readonly rebuilt: C;
  /** Values Services hold that the store lacks. */
  readonly missing: K[];
}

async function readState<K, C extends RangeCore<K>>(alloc: PersistedAllocator<K, C>): Promise<RangeState<K, C>> {
  const { values, core } = await alloc.readStored();
  return { alloc, stored: values, unused: new Map(values), rebuilt: core.withRange(core.rangeSpec), missing: [] };
}

/** Stores the missing values, then frees the leaked ones whose grace ran out. */
async function saveState<K, C extends RangeCore<K>>(f: RangeState<K, C>, leaks: LeakCounters<K>, result: RepairResult<K>): Promise<void> {
  // A create that finds the key means someone allocated the value since it was read: the
  // rejection (KeyExistsError) starts the pass over, which then sees it stored.
  await Promise.all(f.missing.map((v) => f.alloc.repairMissing(v)));
  const leaked = checkLeaked(f.unused.keys(), leaks, result);
  const outcomes = await Promise.allSettled(leaked.map((v) => f.alloc.repairLeaked(v, f.unused.get(v)!)));
  outcomes.forEach((o, i) => {
    if (o.status === 'fulfilled') return;
    const v = leaked[i]!;
    // Released since it was read (and maybe allocated again, which deserves a full grace):
    // not ours to free this pass.
    if (o.reason instanceof ConflictError || o.reason instanceof KeyNotFoundError) {
      result.freed.splice(result.freed.indexOf(v), 1);
      leaks.delete(v);
    } else {
      throw o.reason;
    }
  });
}

/**
 * `unused` values are stored but held by no Service. The first sighting starts a countdown of
 * numRepairsBeforeLeakCleanup passes during which the value stays allocated; then it is freed.
 * Answers the values to free now. (Unlike upstream, a counter is dropped once its value is freed
 * or no longer looks leaked, so a later allocation of it gets the full grace again instead of
 * being freed on sight.)
 */
function checkLeaked<K>(unused: Iterable<K>, leaks: LeakCounters<K>, result: RepairResult<K>): K[] {
  const free: K[] = [];
  for (const v of unused) {
    const count = leaks.get(v) ?? numRepairsBeforeLeakCleanup - 1;
    if (count > 0) {
      leaks.set(v, count - 1);
      result.kept.push(v);
    } else {
      leaks.delete(v);
      result.freed.push(v);
      free.push(v);
    }
  }
  return free;
}

/**
 * Drops the counters of values that no longer look leaked (released since, or held by a Service):
 * a count is of consecutive passes, so a later allocation of the value starts a full grace.
 */
function forgetStale<K>(leaks: LeakCounters<K>, states: ReadonlyArray<RangeState<K, RangeCore<K>>>): void {
  for (const v of leaks.keys()) if (!states.some((f) => f.unused.has(v))) leaks.delete(v);
}

/** Counters advance only when the pass's save succeeded, so a retried pass does not count twice. */
function replaceMap<K>(target: LeakCounters<K>, source: LeakCounters<K>): void {
  target.clear();
  for (const [k, v] of source) target.set(k, v);
}

async function listServices(source: ServiceSource): Promise<readonly Service[]> {
  return typeof source === 'function' ? source() : source;
}

async function retryOnConflict<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const conflict = err instanceof ConflictError || err instanceof KeyNotFoundError || err instanceof KeyExistsError;
      if (!conflict || attempt >= conflictBackoffMs.length) throw err;
      await sleep(conflictBackoffMs[attempt]!);
    }
  }
}
