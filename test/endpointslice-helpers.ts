// Shared by the endpoint controller end-to-end tests: a server with the three controllers, and
// Nodes, Pods and Pod status written by hand through the API (there is no kubelet here).
import { isNotFound, RestClient, resources } from '../src/client/index.js';
import type { KubeObject } from '../src/api/meta.js';
import { EndpointsController } from '../src/controllers/endpoints/index.js';
import { EndpointSliceMirroringController } from '../src/controllers/endpointslice-mirroring/index.js';
import type { Endpoints } from '../src/api/types/core/index.js';
import type { EndpointSlice } from '../src/api/types/discovery/index.js';
import { EndpointSliceController } from '../src/controllers/endpointslice/index.js';
import { startTestServer, type TestServer } from './helpers/apiserver.js';

export interface EndpointsWorld {
  readonly srv: TestServer;
  readonly client: RestClient;
  stop(): Promise<void>;
}

export async function startEndpointsWorld(): Promise<EndpointsWorld> {
  const srv = await startTestServer({
    controllers: [new EndpointSliceController(), new EndpointsController(), new EndpointSliceMirroringController()],
  });
  const client = RestClient.fromKubeconfig(srv.cp.kubeconfigPath);
  return {
    srv,
    client,
    async stop() {
      client.close();
      await srv.stop();
    },
  };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function createNode(client: RestClient, name: string, zone?: string): Promise<void> {
  await client.create(resources.nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: zone ? { 'topology.kubernetes.io/zone': zone } : {} } });
}

export interface PodSpecOpts {
  labels: Record<string, string>;
  node?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  hostname?: string;
  subdomain?: string;
}

export async function createPod(client: RestClient, name: string, o: PodSpecOpts): Promise<KubeObject> {
  return client.create({ ...resources.pods, namespace: 'default' }, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: o.labels },
    spec: {
      nodeName: o.node ?? 'node-1',
      hostname: o.hostname,
      subdomain: o.subdomain,
      containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.9', ports: o.ports }],
    },
  });
}

/** What a kubelet would report: Running with an IP, Ready or not. */
export async function setPodStatus(client: RestClient, name: string, ip: string, ready: boolean): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await client.patch(
    { ...resources.pods, namespace: 'default', name, subresource: 'status' },
    {
      status: {
        phase: 'Running',
        podIP: ip,
        podIPs: [{ ip }],
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }],
      },
    },
    'merge',
  );
}

export async function deletePod(client: RestClient, name: string, gracePeriodSeconds = 0): Promise<void> {
  await client.delete({ ...resources.pods, namespace: 'default', name }, { gracePeriodSeconds });
}

export async function slicesOf(client: RestClient, svc: string): Promise<EndpointSlice[]> {
  const list = await client.list<EndpointSlice>({ ...resources.endpointslices, namespace: 'default' }, { labelSelector: `kubernetes.io/service-name=${svc}` });
  return list.items;
}

export async function endpointsOf(client: RestClient, svc: string): Promise<Endpoints | undefined> {
  try {
    return await client.get<Endpoints>({ ...resources.endpoints, namespace: 'default', name: svc });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Sorted "ip:ready" of every endpoint of the Service's slices. */
export function sliceEndpoints(slices: readonly EndpointSlice[]): string[] {
  return slices
    .flatMap((s) => (s.endpoints ?? []).map((e) => `${e.addresses[0]}:${e.conditions?.ready}`))
    .sort();
}

/** Sorted ready and not-ready IPs of an Endpoints object. */
export function endpointsIPs(ep: Endpoints | undefined): { ready: string[]; notReady: string[] } {
  const subsets = ep?.subsets ?? [];
  return {
    ready: subsets.flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort(),
    notReady: subsets.flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.ip)).sort(),
  };
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
