// ClusterIP and NodePort allocation for Service writes, following the use cases of upstream's
// Allocators (pkg/registry/core/service/storage/alloc.go): allocation errors are returned before
// validation runs, and everything taken is given back if the write fails.
import { apiErrors, StatusError } from '../../../api/errors.js';
import { fieldErr, GoValue, goStringSlice } from '../../../api/field-errors.js';
import { initIPFamilyFields, isMatchingPreferDualStackClusterIPFields } from './ip-families.js';
import {
  collectServiceNodePorts,
  isExternalName,
  isHeadlessForAllocation,
  needsHealthCheck,
  needsNodePorts,
  shouldAllocateNodePorts,
} from '../../../api/service.js';
import type { IPFamily, ServicePort } from '../../../api/types/core/v1.js';
import type { AllocationTxn, ServiceIPConfig, ServiceWithSpec as Service } from './types.js';

const invalid = (svc: Service, field: string, value: unknown, detail: string) =>
  apiErrors.invalid('', 'Service', svc.metadata.name ?? '', [fieldErr.invalid(field, value, detail)]);

const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Allocates (or reserves the requested) IP per family; fills clusterIPs and clusterIP. */
async function allocIPs(svc: Service, toAlloc: Map<IPFamily, string>, txn: AllocationTxn): Promise<Map<IPFamily, string>> {
  const allocated = new Map<IPFamily, string>();
  for (const [family, ip] of toAlloc) {
    if (ip === '') {
      try {
        allocated.set(family, await txn.allocateNextIP(family));
      } catch (err) {
        if (err instanceof StatusError) throw err;
        throw apiErrors.internal(`failed to allocate a serviceIP: ${errText(err)}`);
      }
    } else {
      try {
        await txn.allocateIP(family, ip);
      } catch (err) {
        throw invalid(svc, 'spec.clusterIPs', new GoValue(goStringSlice(svc.spec.clusterIPs ?? [])), `failed to allocate IP ${ip}: ${errText(err)}`);
      }
      allocated.set(family, ip);
    }
  }
  return allocated;
}

async function allocClusterIPs(svc: Service, txn: AllocationTxn): Promise<void> {
  const spec = svc.spec;
  if (isExternalName(svc)) return;
  // Headless Services get no ClusterIPs (upstream tests clusterIPs[0] after normalization).
  if (isHeadlessForAllocation(svc)) return;
  const families = spec.ipFamilies ?? [];
  const ips = [...(spec.clusterIPs ?? [])];
  const toAlloc = new Map<IPFamily, string>();
  families.forEach((f, i) => {
    if (i >= ips.length) ips.push('');
    toAlloc.set(f, ips[i]!);
  });
  const allocated = await allocIPs(svc, toAlloc, txn);
  families.forEach((f, i) => {
    const ip = allocated.get(f);
    if (ip !== undefined) ips[i] = ip;
  });
  spec.clusterIPs = ips;
  if (ips[0]) spec.clusterIP = ips[0];
}

/** The node port a user asked for on any port with the same port number (53/TCP + 53/UDP share). */
function findRequestedNodePort(port: number, ports: readonly ServicePort[]): number {
  for (const p of ports) if (p.port === port && p.nodePort) return p.nodePort;
  return 0;
}

async function initNodePorts(svc: Service, txn: AllocationTxn): Promise<void> {
  const byPort = new Map<number, number>();
  const ports = svc.spec.ports ?? [];
  for (let i = 0; i < ports.length; i++) {
    const sp = ports[i]!;
    if (!sp.nodePort && !shouldAllocateNodePorts(svc)) continue;
    const allocated = byPort.get(sp.port) ?? 0;
    if (allocated === 0) {
      const np = findRequestedNodePort(sp.port, ports);
      if (np !== 0) {
        try {
          await txn.allocatePort(np);
        } catch (err) {
          throw invalid(svc, `spec.ports[${i}].nodePort`, np, errText(err));
        }
        sp.nodePort = np;
        byPort.set(sp.port, np);
      } else {
        let next: number;
        try {
          next = await txn.allocateNextPort();
        } catch (err) {
          throw apiErrors.internal(`failed to allocate a nodePort: ${errText(err)}`);
        }
        sp.nodePort = next;
        byPort.set(sp.port, next);
      }
    } else if (sp.nodePort !== allocated) {
      if (!sp.nodePort) sp.nodePort = allocated;
      else {
        try {
          await txn.allocatePort(sp.nodePort);
        } catch (err) {
          throw invalid(svc, `spec.ports[${i}].nodePort`, sp.nodePort, errText(err));
        }
      }
    }
  }
}

async function allocHealthCheckNodePort(svc: Service, txn: AllocationTxn): Promise<void> {
  const requested = svc.spec.healthCheckNodePort ?? 0;
  if (requested) {
    try {
      await txn.allocatePort(requested);
    } catch (err) {
      throw apiErrors.internal(`failed to allocate requested HealthCheck NodePort ${requested}: ${errText(err)}`);
    }
  } else {
    try {
      svc.spec.healthCheckNodePort = await txn.allocateNextPort();
    } catch (err) {
      throw apiErrors.internal(`failed to allocate a HealthCheck NodePort 0: ${errText(err)}`);
    }
  }
}

export async function allocateCreate(svc: Service, cfg: ServiceIPConfig, txn: AllocationTxn): Promise<void> {
  initIPFamilyFields(svc, undefined, cfg);
  await allocClusterIPs(svc, txn);
  if (needsNodePorts(svc)) await initNodePorts(svc, txn);
  if (needsHealthCheck(svc)) await allocHealthCheckNodePort(svc, txn);
}

async function updateClusterIPs(svc: Service, old: Service, txn: AllocationTxn): Promise<void> {
  if (isMatchingPreferDualStackClusterIPFields(svc, old)) return;
  // A: ExternalName → a type with a ClusterIP: allocate everything.
  if (isExternalName(old) && !isExternalName(svc)) return allocClusterIPs(svc, txn);
  if (isHeadlessForAllocation(old)) return;
  // B: → ExternalName: release everything (on commit).
  if (!isExternalName(old) && isExternalName(svc)) {
    (old.spec.ipFamilies ?? []).forEach((f, i) => {
      const ip = old.spec.clusterIPs?.[i];
      if (ip) txn.releaseIPDeferred(f, ip);
    });
    return;
  }
  const before = (old.spec.ipFamilies ?? []).length;
  const after = (svc.spec.ipFamilies ?? []).length;
  // C: single → dual stack: allocate the secondary.
  if (before === 1 && after === 2) {
    const ips = [...(svc.spec.clusterIPs ?? [])];
    if (ips.length < 2) ips.push('');
    svc.spec.clusterIPs = ips;
    const fam = svc.spec.ipFamilies![1]!;
    const got = await allocIPs(svc, new Map([[fam, ips[1]!]]), txn);
    ips[1] = got.get(fam)!;
    return;
  }
  // D: dual → single stack: release the secondary.
  if (before === 2 && after === 1) {
    const ip = old.spec.clusterIPs?.[1];
    if (ip) txn.releaseIPDeferred(old.spec.ipFamilies![1]!, ip);
  }
}

async function updateNodePorts(svc: Service, old: Service, txn: AllocationTxn): Promise<void> {
  const oldNumbers = collectServiceNodePorts(old);
  const seen: { protocol: string; nodePort: number }[] = [];
  const taken = new Set<number>();
  const ports = svc.spec.ports ?? [];
  for (let i = 0; i < ports.length; i++) {
    const sp = ports[i]!;
    if (!sp.nodePort && !shouldAllocateNodePorts(svc)) continue;
    if (sp.nodePort) {
      if (!oldNumbers.includes(sp.nodePort) && !taken.has(sp.nodePort)) {
        try {
          await txn.allocatePort(sp.nodePort);
        } catch (err) {
          throw invalid(svc, `spec.ports[${i}].nodePort`, sp.nodePort, errText(err));
        }
        taken.add(sp.nodePort);
      }
    } else {
      try {
        sp.nodePort = await txn.allocateNextPort();
      } catch (err) {
        throw apiErrors.internal(`failed to allocate a nodePort: ${errText(err)}`);
      }
    }
    const protocol = sp.protocol ?? 'TCP';
    if (seen.some((s) => s.protocol === protocol && s.nodePort === sp.nodePort)) {
      // Upstream returns a plain error here, which the apiserver turns into a 500 without a reason.
      throw new StatusError(500, '', `duplicate nodePort: {${protocol} ${sp.nodePort}}`);
    }
    seen.push({ protocol, nodePort: sp.nodePort! });
  }
  const newNumbers = collectServiceNodePorts(svc);
  for (const n of oldNumbers) if (!newNumbers.includes(n)) txn.releasePortDeferred(n);
}

async function updateHealthCheckNodePort(svc: Service, old: Service, txn: AllocationTxn): Promise<void> {
  const needed = needsHealthCheck(old);
  const needs = needsHealthCheck(svc);
  if (!needed && needs) {
    await allocHealthCheckNodePort(svc, txn);
  } else if (needed && !needs) {
    if (old.spec.healthCheckNodePort) txn.releasePortDeferred(old.spec.healthCheckNodePort);
    delete svc.spec.healthCheckNodePort;
  }
  // Both need it: the value is immutable, which validation enforces.
}

export async function allocateUpdate(svc: Service, old: Service, cfg: ServiceIPConfig, txn: AllocationTxn): Promise<void> {
  initIPFamilyFields(svc, old, cfg);
  await updateClusterIPs(svc, old, txn);
  if (needsNodePorts(old) && (svc.spec.type === 'ExternalName' || svc.spec.type === 'ClusterIP')) {
    for (const n of collectServiceNodePorts(old)) txn.releasePortDeferred(n);
  }
  if (needsNodePorts(svc)) await updateNodePorts(svc, old, txn);
  await updateHealthCheckNodePort(svc, old, txn);
}

/** After a delete: give back the ClusterIPs and node ports the Service held. */
export function releaseAll(svc: Service, txn: AllocationTxn): void {
  if (!isExternalName(svc) && !isHeadlessForAllocation(svc)) {
    (svc.spec.ipFamilies ?? []).forEach((f, i) => {
      const ip = svc.spec.clusterIPs?.[i];
      if (ip) txn.releaseIPDeferred(f, ip);
    });
  }
  for (const n of collectServiceNodePorts(svc)) txn.releasePortDeferred(n);
  if (svc.spec.healthCheckNodePort) txn.releasePortDeferred(svc.spec.healthCheckNodePort);
}
