import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import type { DiscoveredResource } from './discovery.js';
import { DependencyGraph, nodeFor } from './graph.js';

const R: DiscoveredResource = { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true, verbs: [] };
const obj = (uid: string, owners: { uid: string; block?: boolean }[] = [], meta: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  metadata: { uid, name: uid, namespace: 'default', ownerReferences: owners.map((o) => ({ apiVersion: 'v1', kind: 'X', name: o.uid, uid: o.uid, blockOwnerDeletion: o.block })), ...meta },
});

describe('GC dependency graph', () => {
  it('asks about objects whose owners it has not seen, and not about ones it has', () => {
    const g = new DependencyGraph();
    assert.deepEqual(g.upsert(nodeFor(obj('owner'), R)).attemptToDelete, []);
    assert.deepEqual(g.upsert(nodeFor(obj('dep', [{ uid: 'owner' }]), R)).attemptToDelete, []);
    assert.deepEqual(g.upsert(nodeFor(obj('lost', [{ uid: 'ghost' }]), R)).attemptToDelete, ['lost']);
    assert.deepEqual(g.dependentsOf('owner').map((n) => n.uid), ['dep']);
  });

  it('queues dependents when their owner is deleted', () => {
    const g = new DependencyGraph();
    g.upsert(nodeFor(obj('owner'), R));
    g.upsert(nodeFor(obj('a', [{ uid: 'owner' }]), R));
    g.upsert(nodeFor(obj('b', [{ uid: 'owner' }]), R));
    assert.deepEqual(g.remove('owner').attemptToDelete.sort(), ['a', 'b']);
  });

  it('tracks foreground deletion: the owner is queued, and again when a blocking dependent goes', () => {
    const g = new DependencyGraph();
    g.upsert(nodeFor(obj('owner'), R));
    g.upsert(nodeFor(obj('blocker', [{ uid: 'owner', block: true }]), R));
    g.upsert(nodeFor(obj('loose', [{ uid: 'owner' }]), R));
    const ch = g.upsert(nodeFor(obj('owner', [], { deletionTimestamp: 'now', finalizers: ['foregroundDeletion'] }), R));
    assert.deepEqual(ch.attemptToDelete, ['owner']);
    assert.deepEqual(g.blockingDependentsOf('owner').map((n) => n.uid), ['blocker']);
    assert.deepEqual(g.remove('blocker').attemptToDelete, ['owner']);
    assert.deepEqual(g.blockingDependentsOf('owner'), []);
  });

  it('queues orphaning for owners deleted with the orphan finalizer', () => {
    const g = new DependencyGraph();
    const ch = g.upsert(nodeFor(obj('owner', [], { deletionTimestamp: 'now', finalizers: ['orphan'] }), R));
    assert.deepEqual(ch.attemptToOrphan, ['owner']);
  });
});
