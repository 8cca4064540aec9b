// The `kubernetes` Service in `default` and its Endpoints and EndpointSlice, which kube-apiserver
// maintains itself (pkg/controlplane/controller/kubernetesservice and the endpoint reconciler):
// ClusterIP = the first address of the service range, port https/443 → the API server's port.
import type { KubeObject } from '../../api/meta.js';
import { setDefaults } from '../../api/defaults/index.js';
import { jsonEqual } from '../../api/meta.js';
import type { Registry } from '../registry/registry.js';
import { systemContext } from './events.js';

export interface KubernetesServiceOptions {
  readonly clusterIP: string;
  /** The address Pods reach the API server at (never loopback: Endpoints reject it). */
  readonly advertiseAddress: string;
  readonly port: number;
}

const NAME = 'kubernetes';

async function ensure(
  registry: Registry,
  group: string,
  resource: string,
  desired: KubeObject,
  differs: (current: KubeObject) => boolean,
  apply: (current: KubeObject) => KubeObject,
): Promise<void> {
  const store = registry.store(group, resource)!;
  // Objects built here skip the request decoder, so they get its defaulting explicitly.
  setDefaults(group, 'v1', desired.kind!, desired);
  const current = await store.tryGet('default', NAME);
  if (!current) {
    try {
      await store.create('default', desired, systemContext());
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
    }
    return;
  }
  if (!differs(current)) return;
  await store.guaranteedUpdate('default', NAME, systemContext(), (cur) => apply(cur!));
}

export async function reconcileKubernetesService(registry: Registry, o: KubernetesServiceOptions): Promise<void> {
  const ports = [{ name: 'https', port: 443, protocol: 'TCP', targetPort: o.port }];
  await ensure(
    registry,
    '',
    'services',
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: NAME, namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { type: 'ClusterIP', clusterIP: o.clusterIP, clusterIPs: [o.clusterIP], ipFamilyPolicy: 'SingleStack', sessionAffinity: 'None', ports },
    },
    (cur) => !jsonEqual((cur.spec as { ports?: unknown }).ports, ports),
    (cur) => ({ ...cur, spec: { ...(cur.spec as object), ports } }),
  );
  const subsets = [{ addresses: [{ ip: o.advertiseAddress }], ports: [{ name: 'https', port: o.port, protocol: 'TCP' }] }];
  await ensure(
    registry,
    '',
    'endpoints',
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: NAME, namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets,
    },
    (cur) => !jsonEqual(cur.subsets, subsets),
    (cur) => ({ ...cur, subsets }),
  );
  const endpoints = [{ addresses: [o.advertiseAddress], conditions: { ready: true } }];
  const slicePorts = [{ name: 'https', port: o.port, protocol: 'TCP' }];
  await ensure(
    registry,
    'discovery.k8s.io',
    'endpointslices',
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: NAME, namespace: 'default', labels: { 'kubernetes.io/service-name': NAME } },
      addressType: o.advertiseAddress.includes(':') ? 'IPv6' : 'IPv4',
      endpoints,
      ports: slicePorts,
    },
    (cur) => !jsonEqual(cur.endpoints, endpoints) || !jsonEqual(cur.ports, slicePorts),
    (cur) => ({ ...cur, endpoints, ports: slicePorts }),
  );
}

/** kube-apiserver's --endpoint-reconciler interval and the kubernetes service controller's period. */
export const KUBERNETES_SERVICE_RECONCILE_INTERVAL_MS = 10_000;

export interface KubernetesServiceController {
  /** Stops the loop and waits for a round in flight (storage may close right after). */
  stop(): Promise<void>;
}

/**
 * Keeps the `kubernetes` Service, Endpoints and EndpointSlice in place, as upstream's
 * controlplane "kubernetes service controller" does on its interval: one deleted (or edited)
 * by a user comes back within an interval. A failed round is logged and retried next time.
 */
export function startKubernetesServiceController(
  registry: Registry,
  o: KubernetesServiceOptions,
  opts: { readonly intervalMs?: number; readonly onError?: (err: unknown) => void } = {},
): KubernetesServiceController {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  const round = async () => {
    try {
      await reconcileKubernetesService(registry, o);
    } catch (err) {
      if (!stopped) opts.onError?.(err);
    }
    if (!stopped) schedule();
  };
  const schedule = () => {
    timer = setTimeout(() => (inFlight = round()), opts.intervalMs ?? KUBERNETES_SERVICE_RECONCILE_INTERVAL_MS);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
