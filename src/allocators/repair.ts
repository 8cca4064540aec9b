// The repair loops kube-apiserver runs at startup and every few minutes
// (pkg/registry/core/service/{ipallocator,portallocator}/controller/repair.go): rebuild each
// bitmap from the Services that exist, warn on Services whose values are broken, keep values
// that look leaked for a few passes (an allocation may be ahead of its Service's write), then
// save the rebuilt bitmap with a compare-and-swap and start over if someone wrote in between.
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError, KeyNotFoundError } from '../storage/index.js';
import type { ClusterIPRange } from './cluster-ip.js';
import { AlreadyAllocatedError, NotInRangeError, RangeFullError } from './errors.js';
import { formatIP, parseIP } from './ip-address.js';
import type { IPFamily } from './ip-address.js';
import type { NodePortRange } from './node-port.js';
import type { PersistedAllocator } from './persisted.js';

export type EventType = 'Normal' | 'Warning';

/** Where repair events go (the caller writes them as core/v1 Events on the Service). */
export interface EventRecorder {
  event(service: ServiceLike, type: EventType, reason: string, message: string): void;
}

/** The parts of a core/v1 Service the repair loops read. */
export interface ServiceLike {
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly spec?: {
    readonly clusterIP?: string;
    readonly clusterIPs?: readonly string[];
    readonly ports?: ReadonlyArray<{ readonly nodePort?: number; readonly protocol?: string }>;
    readonly healthCheckNodePort?: number;
  };
}

/** The Services, or a function listing them (called after the stored bitmap is read, as upstream orders it). */
export type ServiceSource = readonly ServiceLike[] | (() => Promise<readonly ServiceLike[]>);

/** How many passes a value must look leaked before it is freed. */
export const numRepairsBeforeLeakCleanup = 3;

/** retry.DefaultBackoff: 4 attempts, 10 ms growing fivefold. */
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
    const byFamily = new Map<IPFamily, { alloc: ClusterIPAllocator; stored: ClusterIPRange; revision: number; rebuilt: ClusterIPRange }>();
    for (const alloc of list) {
      const { core, revision } = await alloc.readStored();
      byFamily.set(core.family, { alloc, stored: core, revision, rebuilt: core.withRange(core.rangeSpec) });
    }
    for (const svc of await listServices(services)) {
      if (!isServiceIPSet(svc)) continue;
      for (const text of svc.spec?.clusterIPs ?? []) {
        const parsed = parseIP(text);
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
        try {
          f.rebuilt.allocate(ip);
          if (f.stored.has(ip)) f.stored.release(ip); // what is left in `stored` looks leaked
          else recorder.event(svc, 'Warning', 'ClusterIPNotAllocated', `Cluster IP [${family}]:${ip} is not allocated; repairing`);
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
    for (const f of byFamily.values()) checkLeaked(f.stored, f.rebuilt, counters, result);
    for (const f of byFamily.values()) await f.alloc.replace(f.rebuilt, f.revision);
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
    const { core: stored, revision } = await allocator.readStored();
    const rebuilt = stored.withRange(stored.rangeSpec);
    for (const svc of await listServices(services)) {
      for (const port of collectServiceNodePorts(svc)) {
        try {
          rebuilt.allocate(port);
          if (stored.has(port)) stored.release(port);
          else recorder.event(svc, 'Warning', 'PortNotAllocated', `Port ${port} is not allocated; repairing`);
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
    checkLeaked(stored, rebuilt, counters, result);
    await allocator.replace(rebuilt, revision);
    replaceMap(leaks, counters);
    return result;
  });
}

/** helper.IsServiceIPSet: a ClusterIP that is neither empty nor "None". */
export function isServiceIPSet(svc: ServiceLike): boolean {
  const ip = svc.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

/**
 * The nodePorts a Service holds, as upstream collects them: the same nodePort under the same
 * protocol is listed twice (so a duplicate shows up as "assigned to multiple services"), under
 * different protocols once; healthCheckNodePort counts as TCP.
 */
export function collectServiceNodePorts(svc: ServiceLike): number[] {
  const out: number[] = [];
  const seen = new Map<number, Set<string>>();
  for (const p of svc.spec?.ports ?? []) {
    const nodePort = p.nodePort ?? 0;
    if (nodePort === 0) continue;
    const proto = p.protocol ?? 'TCP';
    const s = seen.get(nodePort);
    if (!s) {
      seen.set(nodePort, new Set([proto]));
      out.push(nodePort);
    } else if (s.has(proto)) {
      out.push(nodePort);
    } else {
      s.add(proto);
    }
  }
  const health = svc.spec?.healthCheckNodePort ?? 0;
  if (health !== 0) {
    const s = seen.get(health);
    if (!s || s.has('TCP')) out.push(health);
  }
  return out;
}

interface LeakCore<K> {
  forEach(fn: (v: K) => void): void;
  allocate(v: K): void;
}

/**
 * Values still in `stored` are used by no Service. The first sighting starts a countdown of
 * numRepairsBeforeLeakCleanup passes during which the value stays allocated; then it is freed.
 * (Unlike upstream, a freed value's counter is dropped, so a later allocation of it gets the full
 * grace again instead of being freed on sight.)
 */
function checkLeaked<K>(stored: LeakCore<K>, rebuilt: LeakCore<K>, leaks: LeakCounters<K>, result: RepairResult<K>): void {
  stored.forEach((v) => {
    const count = leaks.get(v) ?? numRepairsBeforeLeakCleanup - 1;
    if (count > 0) {
      leaks.set(v, count - 1);
      try {
        rebuilt.allocate(v);
      } catch {
        // cannot happen for a value of the same range; upstream only logs it
      }
      result.kept.push(v);
    } else {
      leaks.delete(v);
      result.freed.push(v);
    }
  });
}

/** Counters advance only when the pass's save succeeded, so a retried pass does not count twice. */
function replaceMap<K>(target: LeakCounters<K>, source: LeakCounters<K>): void {
  target.clear();
  for (const [k, v] of source) target.set(k, v);
}

async function listServices(source: ServiceSource): Promise<readonly ServiceLike[]> {
  return typeof source === 'function' ? source() : source;
}

async function retryOnConflict<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const conflict = err instanceof ConflictError || err instanceof KeyNotFoundError;
      if (!conflict || attempt >= conflictBackoffMs.length) throw err;
      await sleep(conflictBackoffMs[attempt]!);
    }
  }
}
