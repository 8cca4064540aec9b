// Per-resource strategies. The defaults (validation dispatch, status handling) come from
// baseStrategy; each resource overrides only what upstream's pkg/registry/<resource>/strategy.go
// does differently.
import { setDefaults } from '../../api/defaults/index.js';
import { admitPodDefaultTolerations, admitPodServiceAccount, computePodQOSClass } from '../../api/defaults/index.js';
import { validate } from '../../api/validation/index.js';
import { deepClone, type KubeObject } from '../../api/meta.js';
import { apiErrors } from '../../api/errors.js';
import { RESOURCES, type ResourceDef } from '../resources.js';
import type { RequestContext, Strategy } from './strategy.js';
import { serviceStrategy, type ServiceAllocation } from './service/strategy.js';
import { endpointSliceAddressWarnings } from './endpointslice/warnings.js';

type Overrides = Partial<Omit<Strategy, 'def'>>;

function baseStrategy(def: ResourceDef, o: Overrides = {}): Strategy {
  const hasStatus = def.subresources.some((s) => s.name === 'status');
  return {
    def,
    tracksGeneration: false,
    hasStatusSubresource: hasStatus,
    allowCreateOnUpdate: false,
    returnDeletedObject: false,
    applyDefaults(obj) {
      setDefaults(def.group, def.version, def.kind, obj);
    },
    prepareForCreate(obj) {
      if (hasStatus) delete obj.status;
    },
    prepareForUpdate() {},
    validate(obj) {
      return validate(def.group, def.version, def.kind, obj);
    },
    validateUpdate(obj, old) {
      return validate(def.group, def.version, def.kind, obj, old);
    },
    ...o,
  };
}

function podGracePeriod(pod: KubeObject, requested: number | undefined): number | undefined {
  const spec = (pod.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  // Upstream deletes unscheduled and finished Pods at once: no kubelet has to stop anything.
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  let grace = requested ?? spec.terminationGracePeriodSeconds ?? 30;
  if (grace < 0) grace = 1;
  return grace;
}

const IMMORTAL_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public']);

function overridesFor(def: ResourceDef, opts: StrategyOptions): Overrides {
  switch (`${def.group}/${def.kind}`) {
    case '/Namespace':
      return {
        prepareForCreate(obj) {
          const spec = (obj.spec ??= {}) as { finalizers?: string[] };
          const f = new Set(spec.finalizers ?? []);
          f.add('kubernetes');
          spec.finalizers = [...f];
          obj.status = { phase: 'Active' };
          obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name! };
        },
        validateDelete(obj) {
          // NamespaceLifecycle admission: the immortal namespaces (kube-node-lease is not one).
          const name = obj.metadata.name ?? '';
          if (IMMORTAL_NAMESPACES.has(name)) {
            throw apiErrors.forbidden({ group: '', resource: 'namespaces' }, name, 'this namespace may not be deleted');
          }
        },
        hasPendingFinalizers(obj) {
          return ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0;
        },
        beginGracefulDeletion(obj) {
          obj.status = { ...((obj.status as object) ?? {}), phase: 'Terminating' };
        },
        prepareForUpdate(obj, old) {
          obj.spec = deepClone(old.spec);
          obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name! };
        },
      };
    case '/Service':
      return opts.service
        ? serviceStrategy(opts.service)
        : {
            allowCreateOnUpdate: true,
            prepareForCreate(obj) {
              obj.status = { loadBalancer: {} };
            },
          };
    case '/Pod':
      return {
        prepareForCreate(obj) {
          admitPodServiceAccount(obj);
          admitPodDefaultTolerations(obj);
          obj.status = { phase: 'Pending', qosClass: computePodQOSClass(obj) };
        },
        gracePeriod: podGracePeriod,
      };
    case '/Node':
      return {
        prepareForCreate(obj) {
          // Node status is written by the node itself, but a create may carry it.
          obj.status ??= {};
        },
        prepareForStatusUpdate(obj, old) {
          obj.spec = deepClone(old.spec);
          if (obj.spec === undefined) delete obj.spec;
        },
      };
    case '/Endpoints':
    case '/Event':
    case 'coordination.k8s.io/Lease':
      return { allowCreateOnUpdate: true };
    case 'apps/Deployment':
    case 'apps/ReplicaSet':
      return {
        tracksGeneration: true,
        prepareForCreate(obj) {
          obj.status = {};
        },
      };
    case 'discovery.k8s.io/EndpointSlice': {
      const owner = opts.clusterIPOwner ?? (() => undefined);
      // EndpointSlice writes bump metadata.generation (consumers track their own writes by it).
      // Warnings only once validation passed, as upstream's WarningsOnCreate/Update.
      const withWarnings = (obj: KubeObject, ctx: RequestContext, errs: ReturnType<typeof validate>) => {
        if (!errs.length) ctx.warnings.push(...endpointSliceAddressWarnings(obj as never, owner));
        return errs;
      };
      return {
        tracksGeneration: true,
        validate: (obj, ctx) => withWarnings(obj, ctx, validate(def.group, def.version, def.kind, obj)),
        validateUpdate: (obj, old, ctx) => withWarnings(obj, ctx, validate(def.group, def.version, def.kind, obj, old)),
      };
    }
    default:
      return {};
  }
}

export interface StrategyOptions {
  /** ClusterIP/NodePort allocation for Services (absent: Services get no allocation). */
  readonly service?: ServiceAllocation;
  /** Which Service ("ns/name") owns a ClusterIP, for EndpointSlice address warnings. */
  readonly clusterIPOwner?: (ip: string) => string | undefined;
}

export function buildStrategies(opts: StrategyOptions = {}): Map<string, Strategy> {
  const m = new Map<string, Strategy>();
  for (const def of RESOURCES) m.set(`${def.group}/${def.resource}`, baseStrategy(def, overridesFor(def, opts)));
  return m;
}

export { setDefaults };
