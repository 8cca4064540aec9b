// The GC's dependency graph (pkg/controller/garbagecollector/graph.go, graph_builder.go): one node
// per object of every watched resource, keyed by UID, with the owner → dependents index. The
// graph builder's reactions to changes are in `GraphChanges`, returned to the controller.
import type { KubeObject, OwnerReference } from '../../api/meta.js';
import type { DiscoveredResource } from './discovery.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

export interface GraphNode {
  readonly uid: string;
  readonly resource: DiscoveredResource;
  readonly namespace: string;
  readonly name: string;
  readonly owners: readonly OwnerReference[];
  /** deletionTimestamp is set. */
  readonly beingDeleted: boolean;
  /** beingDeleted with the foregroundDeletion finalizer: waiting for its blocking dependents. */
  readonly deletingDependents: boolean;
  /** beingDeleted with the orphan finalizer. */
  readonly orphaning: boolean;
}

/** What the garbage collector should look at after a change. */
export interface GraphChanges {
  /** attemptToDelete: UIDs to (re)consider. */
  readonly attemptToDelete: string[];
  /** attemptToOrphan: owners whose dependents lose their references. */
  readonly attemptToOrphan: string[];
}

export function nodeFor(obj: KubeObject, resource: DiscoveredResource): GraphNode {
  const finalizers = obj.metadata.finalizers ?? [];
  const beingDeleted = Boolean(obj.metadata.deletionTimestamp);
  return {
    uid: obj.metadata.uid!,
    resource,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name!,
    owners: obj.metadata.ownerReferences ?? [],
    beingDeleted,
    deletingDependents: beingDeleted && finalizers.includes(FINALIZER_FOREGROUND),
    orphaning: beingDeleted && finalizers.includes(FINALIZER_ORPHAN),
  };
}

export class DependencyGraph {
  readonly #nodes = new Map<string, GraphNode>();
  readonly #dependents = new Map<string, Set<string>>();

  get(uid: string): GraphNode | undefined {
    return this.#nodes.get(uid);
  }

  nodes(): IterableIterator<GraphNode> {
    return this.#nodes.values();
  }

  /** UIDs of objects that list `uid` among their owners. */
  dependentsOf(uid: string): GraphNode[] {
    return [...(this.#dependents.get(uid) ?? [])].map((d) => this.#nodes.get(d)).filter((n): n is GraphNode => !!n);
  }

  /** Dependents whose reference to `uid` has blockOwnerDeletion. */
  blockingDependentsOf(uid: string): GraphNode[] {
    return this.dependentsOf(uid).filter((d) => d.owners.some((o) => o.uid === uid && o.blockOwnerDeletion === true));
  }

  /** processGraphChanges for an add or update. */
  upsert(node: GraphNode): GraphChanges {
    const attemptToDelete: string[] = [];
    const attemptToOrphan: string[] = [];
    const old = this.#nodes.get(node.uid);
    this.#nodes.set(node.uid, node);
    const oldOwners = new Set((old?.owners ?? []).map((o) => o.uid));
    const newOwners = new Set(node.owners.map((o) => o.uid));
    for (const uid of oldOwners) {
      if (newOwners.has(uid)) continue;
      this.#dependents.get(uid)?.delete(node.uid);
      // A foreground-deleting owner may have been waiting on this reference.
      if (this.#nodes.get(uid)?.deletingDependents) attemptToDelete.push(uid);
    }
    for (const uid of newOwners) {
      let set = this.#dependents.get(uid);
      if (!set) this.#dependents.set(uid, (set = new Set()));
      set.add(node.uid);
    }
    // An owner we have never seen (or one deleting its dependents) needs a look at this object.
    if (node.owners.some((o) => !this.#nodes.has(o.uid) || this.#nodes.get(o.uid)!.deletingDependents)) attemptToDelete.push(node.uid);
    // Deleting in the foreground: look at its blocking dependents (again, on every change).
    if (node.deletingDependents) attemptToDelete.push(node.uid);
    if (node.orphaning) attemptToOrphan.push(node.uid);
    return { attemptToDelete: [...new Set(attemptToDelete)], attemptToOrphan };
  }

  /** processGraphChanges for a delete. */
  remove(uid: string): GraphChanges {
    const node = this.#nodes.get(uid);
    const attemptToDelete: string[] = [];
    if (!node) return { attemptToDelete, attemptToOrphan: [] };
    this.#nodes.delete(uid);
    for (const o of node.owners) {
      this.#dependents.get(o.uid)?.delete(uid);
      if (this.#dependents.get(o.uid)?.size === 0 && !this.#nodes.has(o.uid)) this.#dependents.delete(o.uid);
      // A blocking dependent is gone: a foreground-deleting owner may be able to finish.
      if (this.#nodes.get(o.uid)?.deletingDependents) attemptToDelete.push(o.uid);
    }
    // The owner is gone: its dependents may now be garbage.
    for (const dep of this.#dependents.get(uid) ?? []) attemptToDelete.push(dep);
    return { attemptToDelete, attemptToOrphan: [] };
  }
}
