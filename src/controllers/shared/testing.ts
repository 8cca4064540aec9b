// Fixtures for the endpoint controllers' unit tests: Services, Pods and Nodes as the API server
// returns them, and a stand-in for the server applying a slice plan (names, UIDs, versions).
import type { ContainerPort, IPFamily, Node, Pod, PodPhase, Service, ServicePort } from '../../api/types/core/index.js';
import type { EndpointSlice } from '../../api/types/discovery/index.js';
import type { SliceWrites as SlicePlan } from './slice-writer.js';

export interface ServiceFixture {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  selector?: Record<string, string> | null;
  ports?: ServicePort[];
  clusterIP?: string;
  ipFamilies?: IPFamily[];
  publishNotReadyAddresses?: boolean;
  trafficDistribution?: string;
  deleting?: boolean;
  creationTimestamp?: string;
}

export function svcFixture(f: ServiceFixture = {}): Service {
  const clusterIP = f.clusterIP ?? '10.96.0.50';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: f.name ?? 'web',
      namespace: f.namespace ?? 'default',
      uid: f.uid ?? 'svc-uid',
      labels: f.labels,
      annotations: f.annotations,
      creationTimestamp: f.creationTimestamp ?? '2024-01-01T00:00:00Z',
      ...(f.deleting ? { deletionTimestamp: '2024-01-02T00:00:00Z' } : {}),
    },
    spec: {
      selector: f.selector === null ? undefined : (f.selector ?? { app: 'web' }),
      clusterIP,
      ipFamilies: f.ipFamilies ?? ['IPv4'],
      ports: f.ports ?? [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
      publishNotReadyAddresses: f.publishNotReadyAddresses,
      trafficDistribution: f.trafficDistribution,
    },
  };
}

export interface PodFixture {
  ip?: string | string[];
  ready?: boolean;
  node?: string;
  labels?: Record<string, string>;
  deleting?: boolean;
  phase?: PodPhase;
  hostname?: string;
  subdomain?: string;
  containerPorts?: ContainerPort[];
  readySince?: string;
  namespace?: string;
}

export function podFixture(name: string, f: PodFixture = {}): Pod {
  const ips = f.ip === undefined ? [] : Array.isArray(f.ip) ? f.ip : [f.ip];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: f.namespace ?? 'default',
      uid: `uid-${name}`,
      resourceVersion: '1',
      labels: f.labels ?? { app: 'web' },
      ...(f.deleting ? { deletionTimestamp: '2024-01-02T00:00:00Z' } : {}),
    },
    spec: {
      nodeName: f.node ?? 'node-1',
      hostname: f.hostname,
      subdomain: f.subdomain,
      containers: [{ name: 'c', ports: f.containerPorts ?? [] }],
    },
    status: {
      phase: f.phase ?? 'Running',
      ...(ips.length ? { podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) } : {}),
      conditions: [{ type: 'Ready', status: f.ready === false ? 'False' : 'True', lastTransitionTime: f.readySince ?? '2024-01-01T00:00:10Z' }],
    },
  };
}

/** `n` ready Pods pod-0 … pod-(n-1) with IPs 10.244.x.y. */
export function podsFixture(n: number, f: PodFixture = {}): Pod[] {
  return Array.from({ length: n }, (_, i) => podFixture(`pod-${i}`, { ip: `10.244.${Math.floor(i / 250)}.${(i % 250) + 1}`, ...f }));
}

export function nodeFixture(name: string, zone?: string): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: zone ? { 'topology.kubernetes.io/zone': zone } : {} } };
}

export function nodeGetter(...nodes: Node[]): (name: string) => Node | undefined {
  const m = new Map(nodes.map((n) => [n.metadata.name!, n]));
  return (name) => m.get(name);
}

/** Applies a plan as the API server would: creates get a name, UID and version; updates a new version. */
export class FakeSliceStore {
  #seq = 0;
  readonly slices = new Map<string, EndpointSlice>();

  apply(plan: Pick<SlicePlan, 'create' | 'update' | 'delete'>): void {
    for (const s of plan.create) {
      const c = structuredClone(s);
      const n = ++this.#seq;
      c.metadata.name = `${c.metadata.generateName ?? ''}${String(n).padStart(5, 'x')}`;
      c.metadata.uid = `slice-uid-${n}`;
      c.metadata.resourceVersion = String(n);
      this.slices.set(c.metadata.name, c);
    }
    for (const s of plan.update) {
      const c = structuredClone(s);
      const prev = this.slices.get(c.metadata.name!);
      if (!prev) throw new Error(`update of missing slice ${c.metadata.name}`);
      c.metadata.uid = prev.metadata.uid;
      c.metadata.resourceVersion = String(++this.#seq);
      this.slices.set(c.metadata.name!, c);
    }
    for (const s of plan.delete) {
      if (!this.slices.delete(s.metadata.name!)) throw new Error(`delete of missing slice ${s.metadata.name}`);
    }
  }

  list(): EndpointSlice[] {
    return [...this.slices.values()];
  }

  clone(): FakeSliceStore {
    const c = new FakeSliceStore();
    c.#seq = this.#seq;
    for (const [k, v] of this.slices) c.slices.set(k, structuredClone(v));
    return c;
  }
}
