// The objects the controllers benchmark writes (Nodes, Services, Pods, Pod status) and the check
// that a Service's EndpointSlices and Endpoints are exactly what its Pods call for. Kept apart
// from controllers.ts, which runs on import, so the check can be tested.

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
export const TARGET_PORT = 8080;

/** How Pods are spread over Services: `grouped` writes one Service's Pods back to back, as a ReplicaSet would; `interleaved` deals them round-robin, so each Service's Pods arrive spread over the whole run. */
export const LAYOUTS = ['interleaved', 'grouped'] as const;
export type Layout = (typeof LAYOUTS)[number];

export interface Shape {
  readonly services: number;
  readonly podsPerService: number;
  readonly nodes: number;
  readonly layout: Layout;
}

export const serviceName = (i: number): string => `s${i}`;
export const podName = (j: number): string => `p${j}`;
export const nodeName = (n: number): string => `bench-node-${n}`;

/** The Service Pod j belongs to. */
export function serviceOfPod(shape: Shape, j: number): number {
  return shape.layout === 'grouped' ? Math.floor(j / shape.podsPerService) : j % shape.services;
}

/** A unique IPv4 in 10.244.0.0/16 per Pod (no .0 host part, so it never looks like a network). */
export function podIP(j: number): string {
  if (j < 0 || j >= 250 * 256) throw new Error(`pod index ${j} out of range`);
  return `10.244.${Math.floor(j / 250)}.${(j % 250) + 1}`;
}

export function nodeManifest(n: number): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: nodeName(n), labels: { 'kubernetes.io/hostname': nodeName(n) } },
    spec: { podCIDR: `10.244.${n}.0/24` },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'bench node', lastHeartbeatTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() }],
      addresses: [{ type: 'InternalIP', address: `172.18.0.${10 + n}` }],
    },
  };
}

export function serviceManifest(i: number): object {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: serviceName(i) },
    spec: { selector: { app: serviceName(i) }, ports: [{ port: 80, targetPort: TARGET_PORT, protocol: 'TCP' }] },
  };
}

export function podManifest(shape: Shape, j: number): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: podName(j), labels: { app: serviceName(serviceOfPod(shape, j)) } },
    spec: {
      nodeName: nodeName(j % shape.nodes),
      containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', ports: [{ containerPort: TARGET_PORT, protocol: 'TCP' }] }],
    },
  };
}

/** What a kubelet reports once the Pod's container runs and passes readiness: a merge patch for pods/status. */
export function readyStatusPatch(j: number): object {
  const now = new Date().toISOString();
  const cond = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now });
  return {
    status: {
      phase: 'Running',
      podIP: podIP(j),
      podIPs: [{ ip: podIP(j) }],
      hostIP: `172.18.0.${10 + (j % 2)}`,
      startTime: now,
      conditions: [cond('PodScheduled'), cond('Initialized'), cond('ContainersReady'), cond('Ready')],
    },
  };
}

/** The Pod IPs each Service should end up with, by Service name. */
export function expectedIPs(shape: Shape): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (let i = 0; i < shape.services; i++) out.set(serviceName(i), new Set());
  for (let j = 0; j < shape.services * shape.podsPerService; j++) out.get(serviceName(serviceOfPod(shape, j)))!.add(podIP(j));
  return out;
}

interface SliceLike {
  metadata?: { name?: string; labels?: Record<string, string>; deletionTimestamp?: string };
  addressType?: string;
  ports?: { name?: string; port?: number; protocol?: string }[] | null;
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean } }[] | null;
}

interface EndpointsLike {
  subsets?: { addresses?: { ip?: string }[]; notReadyAddresses?: unknown[]; ports?: { port?: number; protocol?: string }[] }[] | null;
}

function sameSet(got: readonly string[], want: ReadonlySet<string>): boolean {
  return got.length === want.size && new Set(got).size === got.length && got.every((ip) => want.has(ip));
}

/** A Service's slices are right when there is exactly one, IPv4, port 8080/TCP, holding every wanted IP once and ready. */
export function slicesAreRight(slices: readonly SliceLike[], want: ReadonlySet<string>): boolean {
  const live = slices.filter((s) => !s.metadata?.deletionTimestamp);
  if (live.length !== 1) return false;
  const s = live[0]!;
  if (s.addressType !== 'IPv4') return false;
  const ports = s.ports ?? [];
  if (ports.length !== 1 || ports[0]!.port !== TARGET_PORT || (ports[0]!.protocol ?? 'TCP') !== 'TCP' || (ports[0]!.name ?? '') !== '') return false;
  const eps = s.endpoints ?? [];
  if (!eps.every((e) => e.conditions?.ready === true && e.addresses?.length === 1)) return false;
  return sameSet(eps.map((e) => e.addresses![0]!), want);
}

/** The Endpoints object is right with one subset: every wanted IP ready, none not-ready, port 8080/TCP. */
export function endpointsAreRight(ep: EndpointsLike | undefined, want: ReadonlySet<string>): boolean {
  const subsets = ep?.subsets ?? [];
  if (subsets.length !== 1) return false;
  const ss = subsets[0]!;
  if ((ss.notReadyAddresses?.length ?? 0) !== 0) return false;
  const ports = ss.ports ?? [];
  if (ports.length !== 1 || ports[0]!.port !== TARGET_PORT || (ports[0]!.protocol ?? 'TCP') !== 'TCP') return false;
  return sameSet((ss.addresses ?? []).map((a) => a.ip ?? ''), want);
}

interface WatchEvent {
  type: string;
  object: SliceLike & EndpointsLike & { metadata?: { name?: string; labels?: Record<string, string> } };
}

/**
 * Follows a watch of EndpointSlices or Endpoints and knows, after every event, how many Services
 * are right; records when all of them last became right and counts the writes it saw.
 */
export class ConvergenceTracker {
  readonly #kind: 'slices' | 'endpoints';
  readonly #want: ReadonlyMap<string, ReadonlySet<string>>;
  readonly #objects = new Map<string, WatchEvent['object']>();
  readonly #byService = new Map<string, Set<string>>();
  readonly #right = new Set<string>();
  readonly events: Record<string, number> = { ADDED: 0, MODIFIED: 0, DELETED: 0 };
  /** When (caller's clock) all Services were last seen right, and when the last write arrived. */
  convergedAt: number | undefined;
  lastEventAt: number | undefined;

  constructor(kind: 'slices' | 'endpoints', want: ReadonlyMap<string, ReadonlySet<string>>) {
    this.#kind = kind;
    this.#want = want;
  }

  get rightCount(): number {
    return this.#right.size;
  }

  get done(): boolean {
    return this.#right.size === this.#want.size;
  }

  /** Feeds one watch line; returns false for lines that are not object events (bookmarks). */
  observe(line: string, at: number): boolean {
    const ev = JSON.parse(line) as WatchEvent;
    if (!(ev.type in this.events)) return false;
    const name = ev.object.metadata?.name ?? '';
    const svc = this.#kind === 'slices' ? ev.object.metadata?.labels?.[LABEL_SERVICE_NAME] : name;
    if (svc === undefined || !this.#want.has(svc)) return false;
    if (this.#kind === 'slices' && ev.object.metadata?.labels?.[LABEL_MANAGED_BY] !== SLICE_CONTROLLER) return false;
    this.events[ev.type]!++;
    this.lastEventAt = at;
    let names = this.#byService.get(svc);
    if (!names) this.#byService.set(svc, (names = new Set()));
    if (ev.type === 'DELETED') {
      this.#objects.delete(name);
      names.delete(name);
    } else {
      this.#objects.set(name, ev.object);
      names.add(name);
    }
    const want = this.#want.get(svc)!;
    const objs = [...names].map((n) => this.#objects.get(n)!);
    const ok = this.#kind === 'slices' ? slicesAreRight(objs, want) : objs.length === 1 && endpointsAreRight(objs[0], want);
    if (ok) this.#right.add(svc);
    else this.#right.delete(svc);
    if (ok && this.done) this.convergedAt = at;
    return true;
  }
}
