// Discovery documents, derived from the resource table: aggregated discovery (apidiscovery.k8s.io/v2,
// what kubectl 1.27+ asks for first: two requests instead of one per group version) and the legacy
// APIVersions / APIGroupList / APIResourceList documents older clients and client-node use.
import { RESOURCES, apiVersionOf, groupVersions, type ResourceDef } from './resources.js';

export const AGGREGATED_DISCOVERY_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const AGGREGATED_V2BETA1_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Which discovery format the client accepts first (client-go decides by the response Content-Type). */
export function negotiateDiscovery(accept: string): 'v2' | 'v2beta1' | 'legacy' {
  for (const part of accept.split(',')) {
    const p = part.replace(/\s+/g, '');
    if (p.includes('g=apidiscovery.k8s.io') && p.includes('as=APIGroupDiscoveryList')) {
      if (p.includes('v=v2beta1')) return 'v2beta1';
      if (p.includes('v=v2')) return 'v2';
    }
    if (p.startsWith('application/json') || p.startsWith('*/*')) return 'legacy';
  }
  return 'legacy';
}

export function aggregatedContentType(v: 'v2' | 'v2beta1'): string {
  return v === 'v2' ? AGGREGATED_DISCOVERY_CONTENT_TYPE : AGGREGATED_V2BETA1_CONTENT_TYPE;
}

function discoveryResource(r: ResourceDef) {
  const out: Record<string, unknown> = {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: [...r.verbs],
  };
  if (r.shortNames.length) out.shortNames = [...r.shortNames];
  if (r.categories.length) out.categories = [...r.categories];
  if (r.subresources.length) {
    out.subresources = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
      verbs: [...s.verbs],
    }));
  }
  return out;
}

/** /api (core only) or /apis (every named group) as an APIGroupDiscoveryList. */
export function aggregatedDiscovery(core: boolean, v: 'v2' | 'v2beta1') {
  const groups = new Map<string, Map<string, ResourceDef[]>>();
  for (const r of RESOURCES) {
    if ((r.group === '') !== core) continue;
    const byVersion = groups.get(r.group) ?? new Map<string, ResourceDef[]>();
    groups.set(r.group, byVersion);
    const list = byVersion.get(r.version) ?? [];
    list.push(r);
    byVersion.set(r.version, list);
  }
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${v}`,
    metadata: {},
    items: [...groups].map(([group, versions]) => ({
      metadata: { name: group, creationTimestamp: null },
      versions: [...versions].map(([version, resources]) => ({
        version,
        resources: resources.map(discoveryResource),
        freshness: 'Current',
      })),
    })),
  };
}

export function legacyAPIVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function legacyAPIGroupList() {
  const groups = new Map<string, string[]>();
  for (const { group, version } of groupVersions()) {
    if (!group) continue;
    const vs = groups.get(group) ?? [];
    vs.push(version);
    groups.set(group, vs);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => ({
      name,
      versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  };
}

export function legacyAPIGroup(group: string) {
  const list = legacyAPIGroupList().groups.find((g) => g.name === group);
  return list ? { kind: 'APIGroup', apiVersion: 'v1', ...list } : undefined;
}

export function apiResourceList(group: string, version: string) {
  const rs = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (rs.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const r of rs) {
    const entry: Record<string, unknown> = {
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: [...r.verbs],
    };
    if (r.shortNames.length) entry.shortNames = [...r.shortNames];
    if (r.categories.length) entry.categories = [...r.categories];
    resources.push(entry);
    for (const s of r.subresources) {
      const sub: Record<string, unknown> = {
        name: `${r.resource}/${s.name}`,
        singularName: '',
        namespaced: r.namespaced,
        kind: s.kind,
        verbs: [...s.verbs],
      };
      if (s.group !== undefined) sub.group = s.group;
      if (s.version !== undefined) sub.version = s.version;
      resources.push(sub);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources };
}
