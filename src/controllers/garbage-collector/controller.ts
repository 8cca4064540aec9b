// The garbage collector (pkg/controller/garbagecollector): watches every resource the server
// lists, keeps the owner/dependent graph, and
//  - deletes objects whose owners are all gone (background propagation),
//  - for an owner deleted with foregroundDeletion, deletes its blocking dependents first and then
//    removes the finalizer,
//  - for an owner deleted with the orphan finalizer, strips its ownerReferences from the
//    dependents and then removes the finalizer.
import type { KubeObject, OwnerReference } from '../../api/meta.js';
import type { DeletionPropagation } from '../../api/types/meta/index.js';
import { isConflict, isNotFound, RateLimitingQueue, realClock, runWorkers, sleep, type Clock, type RestClient, type SharedInformerFactory } from '../../client/index.js';
import type { Logger } from '../../util/logger.js';
import type { Controller, ControllerContext } from '../types.js';
import { discoverResources, parseApiVersion, type DiscoveredResource } from './discovery.js';
import { DependencyGraph, FINALIZER_FOREGROUND, FINALIZER_ORPHAN, nodeFor, type GraphChanges, type GraphNode } from './graph.js';

export interface GarbageCollectorOptions {
  /** --concurrent-gc-syncs (default 20). */
  readonly workers?: number;
  /** Resources never tracked (default: Events, as upstream's ignoredResources). */
  readonly ignoredResources?: readonly { group: string; resource: string }[];
  readonly clock?: Clock;
}

const DEFAULT_IGNORED = [
  { group: '', resource: 'events' },
  { group: 'events.k8s.io', resource: 'events' },
];

type Policy = DeletionPropagation;

export class GarbageCollector implements Controller {
  readonly name = 'garbagecollector';
  readonly #opts: GarbageCollectorOptions;
  readonly #clock: Clock;
  readonly #graph = new DependencyGraph();
  readonly #attemptToDelete: RateLimitingQueue<string>;
  readonly #attemptToOrphan: RateLimitingQueue<string>;
  /** kind → resource, by `group/Kind`. */
  readonly #kinds = new Map<string, DiscoveredResource>();
  readonly #stopped = new AbortController();
  #client!: RestClient;
  #informers!: SharedInformerFactory;
  #logger!: Logger;

  constructor(opts: GarbageCollectorOptions = {}) {
    this.#opts = opts;
    this.#clock = opts.clock ?? realClock;
    this.#attemptToDelete = new RateLimitingQueue<string>({ name: 'garbage_collector_attempt_to_delete', clock: this.#clock });
    this.#attemptToOrphan = new RateLimitingQueue<string>({ name: 'garbage_collector_attempt_to_orphan', clock: this.#clock });
  }

  init(ctx: ControllerContext): void {
    this.#client = ctx.client;
    this.#informers = ctx.informers;
    this.#logger = ctx.logger;
  }

  /** Discovers resources, starts their informers (shared with other controllers), then works. */
  async run(): Promise<void> {
    const resources = await this.#discover();
    if (!resources) return;
    const ignored = this.#opts.ignoredResources ?? DEFAULT_IGNORED;
    const monitored = resources.filter(
      (r) => ['list', 'watch', 'delete'].every((v) => r.verbs.includes(v)) && !ignored.some((i) => i.group === r.group && i.resource === r.resource),
    );
    for (const r of monitored) {
      const informer = this.#informers.informerFor<KubeObject>(r);
      informer.addEventHandler({
        onAdd: (obj) => this.#apply(this.#graph.upsert(nodeFor(obj, r))),
        onUpdate: (_o, obj) => this.#apply(this.#graph.upsert(nodeFor(obj, r))),
        onDelete: (obj) => this.#apply(this.#graph.remove(obj.metadata.uid!)),
      });
      informer.run();
    }
    await Promise.all(monitored.map((r) => this.#informers.informerFor<KubeObject>(r).waitForSync(this.#stopped.signal)));
    const workers = this.#opts.workers ?? 20;
    await Promise.all([
      runWorkers(this.#attemptToDelete, workers, (uid) => this.#attemptToDeleteItem(uid), {
        onError: (uid, err) => this.#logger.warn('garbage collector: attemptToDelete failed', { uid, err: String(err) }),
      }),
      runWorkers(this.#attemptToOrphan, Math.max(1, workers >> 2), (uid) => this.#attemptToOrphanItem(uid), {
        onError: (uid, err) => this.#logger.warn('garbage collector: attemptToOrphan failed', { uid, err: String(err) }),
      }),
    ]);
  }

  async stop(): Promise<void> {
    this.#stopped.abort();
    this.#attemptToDelete.shutDown();
    this.#attemptToOrphan.shutDown();
  }

  async #discover(): Promise<DiscoveredResource[] | undefined> {
    for (let delay = 200; !this.#stopped.signal.aborted; delay = Math.min(delay * 2, 10_000)) {
      try {
        const list = await discoverResources(this.#client);
        for (const r of list) this.#kinds.set(`${r.group}/${r.kind}`, r);
        return list;
      } catch (err) {
        this.#logger.warn('garbage collector: discovery failed', { err: String(err) });
        await sleep(this.#clock, delay, this.#stopped.signal);
      }
    }
    return undefined;
  }

  #apply(changes: GraphChanges): void {
    for (const uid of changes.attemptToDelete) this.#attemptToDelete.add(uid);
    for (const uid of changes.attemptToOrphan) this.#attemptToOrphan.add(uid);
  }

  #ref(r: DiscoveredResource, namespace: string, name: string) {
    return { group: r.group, version: r.version, resource: r.resource, namespace: r.namespaced ? namespace : undefined, name };
  }

  async #getLatest(node: GraphNode): Promise<KubeObject | undefined> {
    try {
      const obj = await this.#client.get<KubeObject>(this.#ref(node.resource, node.namespace, node.name));
      return obj.metadata.uid === node.uid ? obj : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** isDangling with a live lookup: 'absent', or the owner object. */
  async #lookupOwner(ref: OwnerReference, namespace: string): Promise<KubeObject | 'absent' | 'unknown'> {
    const { group } = parseApiVersion(ref.apiVersion);
    const r = this.#kinds.get(`${group}/${ref.kind}`);
    if (!r) return 'unknown';
    try {
      const owner = await this.#client.get<KubeObject>(this.#ref(r, namespace, ref.name));
      return owner.metadata.uid === ref.uid ? owner : 'absent';
    } catch (err) {
      if (isNotFound(err)) return 'absent';
      throw err;
    }
  }

  async #attemptToDeleteItem(uid: string): Promise<void> {
    const node = this.#graph.get(uid);
    if (!node) return;
    const latest = await this.#getLatest(node);
    if (!latest) return;
    const finalizers = latest.metadata.finalizers ?? [];
    if (latest.metadata.deletionTimestamp && !finalizers.includes(FINALIZER_FOREGROUND)) return;
    if (latest.metadata.deletionTimestamp) return this.#processDeletingDependents(node, latest);

    const owners = latest.metadata.ownerReferences ?? [];
    if (owners.length === 0) return;
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of owners) {
      const owner = await this.#lookupOwner(ref, node.namespace);
      if (owner === 'unknown') {
        this.#logger.warn('garbage collector: unknown owner kind, keeping dependent', { owner: `${ref.apiVersion}/${ref.kind}`, dependent: `${node.namespace}/${node.name}` });
        solid.push(ref);
      } else if (owner === 'absent') dangling.push(ref);
      else if (owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FINALIZER_FOREGROUND)) waiting.push(ref);
      else solid.push(ref);
    }
    if (solid.length) {
      if (!dangling.length && !waiting.length) return;
      const drop = new Set([...dangling, ...waiting].map((r) => r.uid));
      await this.#patchOwners(node, latest, owners.filter((r) => !drop.has(r.uid)));
      return;
    }
    let policy: Policy;
    if (waiting.length && this.#graph.dependentsOf(uid).length) policy = 'Foreground';
    else if (finalizers.includes(FINALIZER_ORPHAN)) policy = 'Orphan';
    else if (finalizers.includes(FINALIZER_FOREGROUND)) policy = 'Foreground';
    else policy = 'Background';
    await this.#delete(node, latest, policy);
  }

  /** processDeletingDependentsItem. */
  async #processDeletingDependents(node: GraphNode, latest: KubeObject): Promise<void> {
    const blocking = this.#graph.blockingDependentsOf(node.uid);
    if (blocking.length === 0) {
      await this.#removeFinalizer(node, latest, FINALIZER_FOREGROUND);
      return;
    }
    for (const dep of blocking) if (!dep.deletingDependents) this.#attemptToDelete.add(dep.uid);
  }

  async #attemptToOrphanItem(uid: string): Promise<void> {
    const node = this.#graph.get(uid);
    if (!node) return;
    const latest = await this.#getLatest(node);
    if (!latest || !latest.metadata.deletionTimestamp || !(latest.metadata.finalizers ?? []).includes(FINALIZER_ORPHAN)) return;
    for (const dep of this.#graph.dependentsOf(uid)) {
      const depLatest = await this.#getLatest(dep);
      if (!depLatest) continue;
      const refs = depLatest.metadata.ownerReferences ?? [];
      if (!refs.some((r) => r.uid === uid)) continue;
      await this.#patchOwners(dep, depLatest, refs.filter((r) => r.uid !== uid));
    }
    await this.#removeFinalizer(node, latest, FINALIZER_ORPHAN);
  }

  /** A merge patch guarded by resourceVersion: a stale view fails with Conflict and is retried. */
  async #patchMetadata(node: GraphNode, latest: KubeObject, metadata: Record<string, unknown>): Promise<void> {
    try {
      await this.#client.patch(this.#ref(node.resource, node.namespace, node.name), { metadata: { ...metadata, resourceVersion: latest.metadata.resourceVersion } }, 'merge');
    } catch (err) {
      if (isNotFound(err)) return;
      if (isConflict(err)) throw new Error(`conflict updating ${node.resource.resource} ${node.namespace}/${node.name}; will retry`);
      throw err;
    }
  }

  #patchOwners(node: GraphNode, latest: KubeObject, owners: OwnerReference[]): Promise<void> {
    return this.#patchMetadata(node, latest, { ownerReferences: owners.length ? owners : null });
  }

  #removeFinalizer(node: GraphNode, latest: KubeObject, finalizer: string): Promise<void> {
    const rest = (latest.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    return this.#patchMetadata(node, latest, { finalizers: rest.length ? rest : null });
  }

  async #delete(node: GraphNode, latest: KubeObject, policy: Policy): Promise<void> {
    try {
      await this.#client.delete(this.#ref(node.resource, node.namespace, node.name), undefined, {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        propagationPolicy: policy,
        preconditions: { uid: latest.metadata.uid },
      });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }
}
