// The namespace controller (pkg/controller/namespace): when a Namespace has a deletionTimestamp,
// delete every namespaced object in it (resources found through discovery), report progress in
// status.conditions, and once nothing is left remove the `kubernetes` finalizer through the
// finalize subresource, after which the API server deletes the Namespace.
import { jsonEqual, type KubeObject } from '../../api/meta.js';
import type { Namespace, Pod } from '../../api/types/core/index.js';
import { isConflict, isNotFound, realClock, resources, type Clock, type RestClient } from '../../client/index.js';
import type { Logger } from '../../util/logger.js';
import { discoverResources, type DiscoveredResource } from '../garbage-collector/index.js';
import { KeyedWorker, logSyncError } from '../shared/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { namespaceConditions, remainingFailures, type NamespaceConditionType } from './conditions.js';

export const FINALIZER_KUBERNETES = 'kubernetes';

export interface NamespaceControllerOptions {
  /** --concurrent-namespace-syncs (default 10). */
  readonly workers?: number;
  /**
   * Longest wait before looking again while content remains. Upstream waits for the Pods' grace
   * period estimate; svcnet also looks again at least this often (default 5 s).
   */
  readonly maxRecheckMs?: number;
  readonly clock?: Clock;
}

class ContentRemainingError extends Error {
  constructor(readonly recheckMs: number, message: string) {
    super(message);
  }
}

export class NamespaceController implements Controller {
  readonly name = 'namespace';
  readonly #opts: NamespaceControllerOptions;
  readonly #clock: Clock;
  readonly #worker: KeyedWorker;
  #client!: RestClient;
  #logger!: Logger;

  constructor(opts: NamespaceControllerOptions = {}) {
    this.#opts = opts;
    this.#clock = opts.clock ?? realClock;
    this.#worker = new KeyedWorker({ name: 'namespace', clock: this.#clock });
  }

  init(ctx: ControllerContext): void {
    this.#client = ctx.client;
    this.#logger = ctx.logger;
    const informer = ctx.informers.informerFor<Namespace>(resources.namespaces);
    const { onAdd, onUpdate } = this.#worker.enqueueHandler<Namespace>((ns) => !!ns.metadata.deletionTimestamp);
    informer.addEventHandler({ onAdd, onUpdate });
  }

  async run(): Promise<void> {
    await this.#worker.run(
      this.#opts.workers ?? 10,
      async (name) => {
        try {
          await this.#sync(name);
        } catch (err) {
          // Waiting on graceful deletion is not a failure: look again after the estimate.
          if (err instanceof ContentRemainingError) {
            this.#worker.forget(name);
            this.#worker.addAfter(name, err.recheckMs);
            return;
          }
          throw err;
        }
      },
      logSyncError(this.#logger, 'error syncing namespace', { field: 'namespace', conflictsAtDebug: false }),
    );
  }

  async stop(): Promise<void> {
    this.#worker.stop();
  }

  async #sync(name: string): Promise<void> {
    const ns = await this.#getNamespace(name);
    if (!ns?.metadata.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return;

    const failures: Partial<Record<NamespaceConditionType, string>> = {};
    let discovered: DiscoveredResource[] = [];
    try {
      discovered = (await discoverResources(this.#client)).filter((r) => r.namespaced && r.verbs.includes('delete') && r.verbs.includes('list'));
    } catch (err) {
      failures.NamespaceDeletionDiscoveryFailure = String((err as Error).message ?? err);
    }

    const deleteErrors: string[] = [];
    let estimateSeconds = 0;
    for (const r of discovered) {
      try {
        estimateSeconds = Math.max(estimateSeconds, await this.#deleteAll(r, name));
      } catch (err) {
        if (!isNotFound(err)) deleteErrors.push(String((err as Error).message ?? err));
      }
    }
    if (deleteErrors.length) failures.NamespaceDeletionContentFailure = `Failed to delete all resource types, ${deleteErrors.length} remaining: ${deleteErrors.join(', ')}`;

    const byResource = new Map<string, number>();
    const byFinalizer = new Map<string, number>();
    for (const r of discovered) {
      const list = await this.#client.list<KubeObject>({ ...r, namespace: name }).catch(() => ({ items: [] as KubeObject[] }));
      if (!list.items.length) continue;
      byResource.set(`${r.resource}.${r.group}`, list.items.length);
      for (const item of list.items) for (const f of item.metadata.finalizers ?? []) byFinalizer.set(f, (byFinalizer.get(f) ?? 0) + 1);
    }
    Object.assign(failures, remainingFailures({ byResource, byFinalizer }));
    await this.#writeConditions(name, failures);

    if (Object.keys(failures).length) {
      const recheck = Math.min(Math.max(estimateSeconds * 1000, 1000), this.#opts.maxRecheckMs ?? 5000);
      throw new ContentRemainingError(recheck, `namespace ${name}: content remains: ${JSON.stringify(failures)}`);
    }
    await this.#finalize(name);
  }

  /** deleteAllContentForGroupVersionResource; returns the graceful-termination estimate (s). */
  async #deleteAll(r: DiscoveredResource, namespace: string): Promise<number> {
    let estimate = 0;
    if (r.group === '' && r.resource === 'pods') {
      const pods = await this.#client.list<Pod>({ ...r, namespace });
      for (const p of pods.items) estimate = Math.max(estimate, p.metadata.deletionGracePeriodSeconds ?? p.spec?.terminationGracePeriodSeconds ?? 0);
    }
    const opts = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' };
    if (r.verbs.includes('deletecollection')) {
      const path = `${r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`}/namespaces/${encodeURIComponent(namespace)}/${r.resource}`;
      const res = await this.#client.raw('DELETE', path, { body: opts });
      if (res.status >= 200 && res.status < 300) return estimate;
      if (res.status !== 405 && res.status !== 404) throw new Error(`deletecollection ${r.resource}: ${res.status} ${res.body.toString('utf8').slice(0, 200)}`);
    }
    const list = await this.#client.list<KubeObject>({ ...r, namespace });
    for (const item of list.items) {
      if (item.metadata.deletionTimestamp) continue;
      await this.#client.delete({ ...r, namespace, name: item.metadata.name! }, undefined, opts).catch((err) => {
        if (!isNotFound(err)) throw err;
      });
    }
    return estimate;
  }

  async #writeConditions(name: string, failures: Partial<Record<NamespaceConditionType, string>>): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const ns = await this.#client.get<Namespace>({ ...resources.namespaces, name });
      const conditions = namespaceConditions(ns.status?.conditions, failures, this.#clock.now());
      if (jsonEqual(conditions, ns.status?.conditions ?? [])) return;
      try {
        await this.#client.update({ ...resources.namespaces, name, subresource: 'status' }, { ...ns, status: { ...(ns.status ?? {}), conditions } });
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err)) throw err;
      }
    }
  }

  /** The Namespace as the server has it now; undefined once it is gone. */
  async #getNamespace(name: string): Promise<Namespace | undefined> {
    try {
      return await this.#client.get<Namespace>({ ...resources.namespaces, name });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** finalizeNamespace: PUT namespaces/{name}/finalize without our finalizer. */
  async #finalize(name: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const ns = await this.#getNamespace(name);
      if (!ns) return;
      const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES);
      try {
        await this.#client.update({ ...resources.namespaces, name, subresource: 'finalize' }, { ...ns, spec: { ...(ns.spec ?? {}), finalizers } });
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err)) throw err;
      }
    }
  }
}
