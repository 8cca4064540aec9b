// All resource stores over one Storage, plus what the server needs around them: the namespace
// lookup used by namespaced creates, health checks, and the bootstrap objects.
import type { KubeObject } from '../../api/meta.js';
import type { Storage } from '../../storage/types.js';
import type { HealthCheck } from '../health.js';
import { RESOURCES, findResource, type ResourceDef } from '../resources.js';
import { RegistryStore } from './store.js';
import { buildStrategies, type StrategyOptions } from './strategies.js';
import type { RequestContext } from './strategy.js';

/** Namespaces kube-apiserver creates at start (pkg/controlplane/controller/systemnamespaces). */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

export class Registry {
  readonly storage: Storage;
  readonly #stores = new Map<string, RegistryStore>();
  #ready = false;

  constructor(storage: Storage, opts: StrategyOptions = {}) {
    this.storage = storage;
    const strategies = buildStrategies(opts);
    const namespaces = () => this.#stores.get('/namespaces')!;
    const lookup = (ns: string): Promise<KubeObject | undefined> => namespaces().tryGet('', ns);
    for (const def of RESOURCES) {
      const key = `${def.group}/${def.resource}`;
      this.#stores.set(key, new RegistryStore(storage, strategies.get(key)!, lookup));
    }
  }

  store(group: string, resource: string): RegistryStore | undefined {
    return this.#stores.get(`${group}/${resource}`);
  }

  storeFor(def: ResourceDef): RegistryStore {
    return this.#stores.get(`${def.group}/${def.resource}`)!;
  }

  /** The store for a group/version/resource the client asked for, if we serve it. */
  lookup(group: string, version: string, resource: string): RegistryStore | undefined {
    const def = findResource(group, version, resource);
    return def ? this.storeFor(def) : undefined;
  }

  /** Creates the system namespaces if missing (idempotent; runs at every start). */
  async bootstrap(ctx: RequestContext): Promise<void> {
    const ns = this.store('', 'namespaces')!;
    for (const name of SYSTEM_NAMESPACES) {
      if (await ns.tryGet('', name)) continue;
      try {
        await ns.create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, ctx);
      } catch (err) {
        if ((err as { code?: number }).code !== 409) throw err;
      }
    }
    this.#ready = true;
  }

  healthChecks(readiness: boolean): HealthCheck[] {
    const checks: HealthCheck[] = [
      { name: 'ping', check: async () => {} },
      { name: 'log', check: async () => {} },
      {
        name: 'etcd',
        check: async () => {
          await this.storage.currentRevision();
        },
      },
    ];
    if (readiness) {
      checks.push({
        name: 'poststarthook/bootstrap-namespaces',
        check: async () => {
          if (!this.#ready) throw new Error('not finished');
        },
      });
    }
    return checks;
  }
}
