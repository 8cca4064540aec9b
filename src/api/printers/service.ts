// printService, printEndpoints and printEndpointSlice from pkg/printers/internalversion/printers.go.
import * as d from './descriptions.js';
import { translateTimestampSince } from './duration.js';
import { byteCompare, formatLabels } from './labels.js';
import { column, type Printer } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

const LOAD_BALANCER_WIDTH = 16;

/**
 * loadBalancerStatusStringer: sorted, de-duplicated ingress IPs (or hostnames). Clipping only
 * applies to non-wide output, which the server never produces; kept for fidelity.
 */
export function loadBalancerStatusStringer(lb: Obj, wide: boolean): string {
  const result = new Set<string>();
  for (const ing of lb?.ingress ?? []) {
    if (ing?.ip) result.add(ing.ip);
    else if (ing?.hostname) result.add(ing.hostname);
  }
  let r = [...result].sort(byteCompare).join(',');
  if (!wide && r.length > LOAD_BALANCER_WIDTH) r = r.slice(0, LOAD_BALANCER_WIDTH - 3) + '...';
  return r;
}

export function serviceExternalIP(svc: Obj, wide: boolean): string {
  const externalIPs: readonly string[] = svc?.spec?.externalIPs ?? [];
  switch (svc?.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lbIps = loadBalancerStatusStringer(svc?.status?.loadBalancer, wide);
      if (externalIPs.length > 0) {
        const results = lbIps.length > 0 ? lbIps.split(',') : [];
        return [...results, ...externalIPs].join(',');
      }
      return lbIps.length > 0 ? lbIps : '<pending>';
    }
    case 'ExternalName':
      return svc?.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function makePortString(ports: readonly Obj[]): string {
  return ports
    .map((p) => {
      // Defaulting always sets protocol before storage; TCP matches it for odd inputs.
      const proto = p?.protocol ?? 'TCP';
      return p?.nodePort > 0 ? `${p.port}:${p.nodePort}/${proto}` : `${p?.port}/${proto}`;
    })
    .join(',');
}

export const servicePrinter: Printer = {
  columns: [
    column('Name', 'string', d.metaName, { format: 'name' }),
    column('Type', 'string', d.serviceSpecType),
    column('Cluster-IP', 'string', d.serviceSpecClusterIP),
    column('External-IP', 'string', d.serviceSpecExternalIPs),
    column('Port(s)', 'string', d.serviceSpecPorts),
    column('Age', 'string', d.metaCreationTimestamp),
    column('Selector', 'string', d.serviceSpecSelector, { priority: 1 }),
  ],
  cells(svc: Obj, now: Date): unknown[] {
    const spec = svc?.spec ?? {};
    // Internal objects always carry clusterIPs; older stored objects may only have clusterIP.
    const clusterIP: string | undefined = spec.clusterIPs?.[0] ?? (spec.clusterIP || undefined);
    const ports = makePortString(spec.ports ?? []);
    return [
      svc?.metadata?.name ?? '',
      spec.type ?? '',
      clusterIP ?? '<none>',
      // The server converts with Wide=true (pkg/printers/storage), so the list is never clipped.
      serviceExternalIP(svc, true),
      ports.length === 0 ? '<none>' : ports,
      translateTimestampSince(svc?.metadata?.creationTimestamp, now),
      formatLabels(spec.selector),
    ];
  },
};

/** net.JoinHostPort: IPv6 literals get brackets. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** formatEndpoints(endpoints, nil): up to 3 ready ip:port pairs, then " + N more...". */
export function formatEndpoints(ep: Obj): string {
  const subsets: readonly Obj[] = ep?.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses: readonly Obj[] = ss?.addresses ?? [];
    const ports: readonly Obj[] = ss?.ports ?? [];
    if (ports.length === 0) {
      // Headless services may have no ports.
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a?.ip ?? '');
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(a?.ip ?? '', port?.port ?? 0));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export const endpointsPrinter: Printer = {
  columns: [
    column('Name', 'string', d.metaName, { format: 'name' }),
    column('Endpoints', 'string', d.endpointsSubsets),
    column('Age', 'string', d.metaCreationTimestamp),
  ],
  cells(ep: Obj, now: Date): unknown[] {
    return [ep?.metadata?.name ?? '', formatEndpoints(ep), translateTimestampSince(ep?.metadata?.creationTimestamp, now)];
  },
};

function listWithMoreString(list: readonly string[], more: boolean, count: number, max: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret === '' ? '<unset>' : ret;
}

export function formatDiscoveryPorts(ports: readonly Obj[] | null | undefined): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const port of ports ?? []) {
    if (list.length < max) {
      let portNum = '*';
      if (port?.port != null) portNum = String(port.port);
      else if (port?.name != null) portNum = port.name;
      list.push(portNum);
    } else if (list.length === max) {
      more = true;
    }
    count++;
  }
  return listWithMoreString(list, more, count, max);
}

export function formatDiscoveryEndpoints(endpoints: readonly Obj[] | null | undefined): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ep of endpoints ?? []) {
    for (const address of ep?.addresses ?? []) {
      if (list.length < max) list.push(address);
      else if (list.length === max) more = true;
      count++;
    }
  }
  return listWithMoreString(list, more, count, max);
}

export const endpointSlicePrinter: Printer = {
  columns: [
    column('Name', 'string', d.metaName, { format: 'name' }),
    column('AddressType', 'string', d.endpointSliceAddressType),
    column('Ports', 'string', d.endpointSlicePorts),
    column('Endpoints', 'string', d.endpointSliceEndpoints),
    column('Age', 'string', d.metaCreationTimestamp),
  ],
  cells(slice: Obj, now: Date): unknown[] {
    return [
      slice?.metadata?.name ?? '',
      slice?.addressType ?? '',
      formatDiscoveryPorts(slice?.ports),
      formatDiscoveryEndpoints(slice?.endpoints),
      translateTimestampSince(slice?.metadata?.creationTimestamp, now),
    ];
  },
};
