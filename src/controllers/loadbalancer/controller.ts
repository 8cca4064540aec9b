// The LoadBalancer controller, as k3s ServiceLB and MetalLB give bare-metal clusters: it gives
// Services of type LoadBalancer an address from a pool, written to status.loadBalancer.ingress
// (ipMode VIP) through the services/status subresource, and takes it back when the Service goes,
// stops being a LoadBalancer or leaves our loadBalancerClass.
//
// The allocations live in memory and are rebuilt from the Services' status when the controller
// starts, as MetalLB's controller does, so a restart reassigns nothing. Decisions are made by
// the pure reconcileLoadBalancer; this file only queues keys, writes status and records events.
import type { KubeObject } from '../../api/meta.js';
import type { Service } from '../../api/types/core/index.js';
import { isNotFound, resources, splitMetaNamespaceKey, type EventRecorder, type RestClient, type SharedInformer } from '../../client/index.js';
import type { Logger } from '../../util/logger.js';
import { KeyedWorker, logSyncError } from '../shared/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { Allocations } from './allocations.js';
import { DEFAULT_LB_POOL, DEFAULT_LB_POOL_NAME, describePool, parsePool, type IPPool } from './pool.js';
import { rebuildAllocations, reconcileLoadBalancer, type LBConfig } from './reconcile.js';
import { ingressFor } from './service.js';

/** source.component of the Events this controller records. */
export const LB_CONTROLLER_COMPONENT = 'svcnet-lb-controller';

export interface LoadBalancerControllerOptions {
  /** Ranges (`a-b`), CIDRs and single IPs, IPv4 and/or IPv6; default 172.18.255.200-172.18.255.250. */
  readonly pool?: string | readonly string[];
  /** The pool's name in messages; default `default`. */
  readonly poolName?: string;
  /** The loadBalancerClass served; default none, i.e. Services that name no class. */
  readonly loadBalancerClass?: string;
  readonly workers?: number;
}

export class LoadBalancerController implements Controller {
  readonly name = 'svcnet-lb';
  readonly #cfg: LBConfig;
  readonly #workers: number;
  readonly #worker = new KeyedWorker({ name: 'svcnet-lb' });
  /** Services that want an address and have none: synced again whenever one is freed. */
  readonly #pending = new Set<string>();
  #state = new Allocations();
  #client?: RestClient;
  #recorder?: EventRecorder;
  #logger?: Logger;
  #services?: SharedInformer<Service>;

  constructor(opts: LoadBalancerControllerOptions = {}) {
    // Parsed here so a bad pool fails at startup, not on the first Service.
    const pool: IPPool = parsePool(opts.pool ?? DEFAULT_LB_POOL, opts.poolName ?? DEFAULT_LB_POOL_NAME);
    this.#cfg = { pool, loadBalancerClass: opts.loadBalancerClass || undefined };
    this.#workers = opts.workers ?? 2;
  }

  get pool(): IPPool {
    return this.#cfg.pool;
  }

  /** Which Service holds which address (a copy), for status output and tests. */
  allocations(): Map<string, readonly string[]> {
    return new Map(this.#state.entries());
  }

  init(ctx: ControllerContext): void {
    this.#client = ctx.client;
    this.#recorder = ctx.recorder(LB_CONTROLLER_COMPONENT);
    this.#logger = ctx.logger;
    this.#services = ctx.informers.informerFor<Service>(resources.services);
    this.#worker.enqueueOnEvents(this.#services);
  }

  async run(): Promise<void> {
    const cache = this.#cache();
    this.#state = rebuildAllocations(cache.list(), this.#cfg);
    this.#logger?.info('load balancer pool ready', { pool: describePool(this.#cfg.pool), inUse: this.#state.size });
    await this.#worker.run(this.#workers, (key) => this.#sync(key), logSyncError(this.#logger!, 'syncing load balancer failed', { field: 'service' }));
  }

  async stop(): Promise<void> {
    this.#worker.stop();
  }

  #cache(): SharedInformer<Service>['store'] {
    if (!this.#services) throw new Error('LoadBalancerController.run before init');
    return this.#services.store;
  }

  async #sync(key: string): Promise<void> {
    const svc = this.#cache().get(key);
    const decision = reconcileLoadBalancer(key, svc, this.#state, this.#cfg);
    if (decision.pending) this.#pending.add(key);
    else this.#pending.delete(key);
    if (decision.released.length > 0) for (const k of this.#pending) if (k !== key) this.#worker.add(k);

    if (svc && decision.ingress !== undefined) {
      const updated = structuredClone(svc);
      updated.status = { ...updated.status, loadBalancer: decision.ingress.length ? { ingress: ingressFor(decision.ingress) } : {} };
      const { namespace, name } = splitMetaNamespaceKey(key);
      try {
        await this.#client!.update({ ...resources.services, namespace, name, subresource: 'status' }, updated);
      } catch (err) {
        // Gone: its delete event releases the address. Conflict: the cache is behind; retry.
        if (isNotFound(err)) return;
        throw err;
      }
    }
    // The recorder references the object as cached (with its own kind/apiVersion, if any).
    if (svc) for (const ev of decision.events) void this.#recorder!.event(svc as unknown as KubeObject, ev.type, ev.reason, ev.message);
  }
}
