// Server resource discovery for controllers that work on "every resource" (the garbage collector
// and the namespace controller), as client-go's discovery client reads it: /api/v1 and, for each
// group in /apis, its preferred version's APIResourceList. Subresources are left out.
import type { RestClient } from '../../client/index.js';

export interface DiscoveredResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

interface APIResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
}

async function getJSON<T>(client: RestClient, path: string): Promise<T> {
  const res = await client.raw('GET', path);
  if (res.status !== 200) throw new Error(`discovery: GET ${path}: ${res.status} ${res.body.toString('utf8').slice(0, 200)}`);
  return JSON.parse(res.body.toString('utf8')) as T;
}

/** ServerPreferredResources: every top-level resource of every group's preferred version. */
export async function discoverResources(client: RestClient): Promise<DiscoveredResource[]> {
  const out: DiscoveredResource[] = [];
  const add = (group: string, version: string, list: { resources?: APIResource[] }) => {
    for (const r of list.resources ?? []) {
      if (r.name.includes('/')) continue;
      out.push({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [] });
    }
  };
  add('', 'v1', await getJSON<{ resources?: APIResource[] }>(client, '/api/v1'));
  const groups = await getJSON<{ groups?: { name: string; preferredVersion?: { version: string }; versions?: { version: string }[] }[] }>(client, '/apis');
  for (const g of groups.groups ?? []) {
    const version = g.preferredVersion?.version ?? g.versions?.[0]?.version;
    if (!version) continue;
    add(g.name, version, await getJSON<{ resources?: APIResource[] }>(client, `/apis/${g.name}/${version}`));
  }
  return out;
}

/** Splits `apps/v1` or `v1` into group and version. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}
