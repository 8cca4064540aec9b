// ServiceChangeTracker + ServicePortMap (pkg/proxy/servicechangetracker.go, serviceport.go):
// informer events are folded per Service into {previous, current} between two syncs, so many
// updates of one object become one change, an update that returns to the synced state is no
// change at all, and a sync learns exactly which Services it must re-render.
import type { IPFamily, Service } from '../../api/types/core/v1.js';
import { servicePortKey, servicePortInfoEqual, servicePortsFromService, type ServicePortInfo } from './service-port.js';

/** Service ports of one Service, keyed by servicePortKey. */
export type ServicePorts = Map<string, ServicePortInfo>;

interface ServiceChange {
  previous: ServicePorts;
  current: ServicePorts;
}

function portsOf(svc: Service | undefined, family: IPFamily): ServicePorts {
  const out: ServicePorts = new Map();
  if (!svc) return out;
  for (const p of servicePortsFromService(svc, family)) out.set(servicePortKey(p.name), p);
  return out;
}

function portsEqual(a: ServicePorts, b: ServicePorts): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || !servicePortInfoEqual(v, w)) return false;
  }
  return true;
}

export function namespacedName(svc: Pick<Service, 'metadata'>): string {
  return `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name ?? ''}`;
}

export class ServiceChangeTracker {
  private readonly items = new Map<string, ServiceChange>();

  constructor(readonly family: IPFamily) {}

  /**
   * Records an add (previous undefined), update or delete (current undefined). Returns whether
   * any change is pending afterwards (the caller then schedules a sync).
   */
  update(previous: Service | undefined, current: Service | undefined): boolean {
    const svc = current ?? previous;
    if (!svc) return this.items.size > 0;
    const key = namespacedName(svc);
    let change = this.items.get(key);
    if (!change) {
      change = { previous: portsOf(previous, this.family), current: new Map() };
      this.items.set(key, change);
    }
    change.current = portsOf(current, this.family);
    // Back where the last sync left it: nothing to do for this Service.
    if (portsEqual(change.previous, change.current)) this.items.delete(key);
    return this.items.size > 0;
  }

  /** Number of Services with pending changes (sync_proxy_rules_service_changes_pending). */
  pending(): number {
    return this.items.size;
  }

  /** Hands the pending changes to the caller and starts over. */
  checkout(): Map<string, ServiceChange> {
    const out = new Map(this.items);
    this.items.clear();
    return out;
  }
}

export interface ServiceUpdateResult {
  /** Namespaced names ("ns/name") whose ports were added, changed or removed. */
  readonly updatedServices: ReadonlySet<string>;
  /** Any changed or removed port is UDP (conntrack cleanup needed). */
  readonly udpChanged: boolean;
}

/** The applied service ports of all Services, keyed by servicePortKey. */
export class ServicePortMap {
  readonly ports = new Map<string, ServicePortInfo>();

  update(tracker: ServiceChangeTracker): ServiceUpdateResult {
    const updatedServices = new Set<string>();
    let udpChanged = false;
    for (const [svc, change] of tracker.checkout()) {
      updatedServices.add(svc);
      for (const [key, p] of change.previous) {
        if (p.protocol === 'UDP') udpChanged = true;
        this.ports.delete(key);
      }
      for (const [key, p] of change.current) {
        if (p.protocol === 'UDP') udpChanged = true;
        this.ports.set(key, p);
      }
    }
    return { updatedServices, udpChanged };
  }

  /** healthCheckNodePort per Service ("ns/name"), for the per-Service health servers. */
  healthCheckNodePorts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const p of this.ports.values()) {
      if (p.healthCheckNodePort) out.set(`${p.name.namespace}/${p.name.name}`, p.healthCheckNodePort);
    }
    return out;
  }
}
