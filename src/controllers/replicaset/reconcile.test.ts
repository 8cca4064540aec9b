import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getPodsToDelete } from './rank.js';
import { calculateReplicaSetStatus, claimPods, podFromTemplate, replicaSetSelector, slowStartBatches } from './reconcile.js';
import type { ReplicaSet } from '../../api/types/apps/index.js';
import type { Pod, PodCondition, PodPhase } from '../../api/types/core/index.js';

const NOW = Date.UTC(2024, 0, 1, 12);
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const rs: ReplicaSet = {
  metadata: { name: 'web-abc', namespace: 'default', uid: 'rs-uid', generation: 3 },
  spec: { replicas: 2, minReadySeconds: 10, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'fe' }, annotations: { a: 'b' } }, spec: { containers: [{ name: 'c' }] } } },
};

function pod(name: string, o: { node?: string; phase?: PodPhase; readySince?: number; created?: number; labels?: Record<string, string>; owner?: string; restarts?: number; deleting?: boolean } = {}): Pod {
  const conditions: PodCondition[] = o.readySince === undefined ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: ago(o.readySince) }];
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: name,
      creationTimestamp: ago(o.created ?? 1000),
      labels: o.labels ?? { app: 'web', tier: 'fe' },
      ownerReferences: o.owner === undefined ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs-uid', controller: true }] : o.owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: o.owner, controller: true }] : [],
      ...(o.deleting ? { deletionTimestamp: ago(0) } : {}),
    },
    spec: { containers: [], nodeName: o.node },
    status: { phase: o.phase ?? 'Running', conditions, containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0, ready: false, image: '', imageID: '' }] },
  };
}

describe('ReplicaSet reconcile', () => {
  it('claims owned Pods, adopts matching orphans, releases non-matching Pods, ignores others', () => {
    const pods = [
      pod('owned', { node: 'n' }),
      pod('orphan', { owner: '' }),
      pod('orphan-other-labels', { owner: '', labels: { app: 'db' } }),
      pod('released', { labels: { app: 'other' } }),
      pod('someone-elses', { owner: 'other-uid' }),
      pod('finished', { phase: 'Succeeded' }),
      pod('terminating', { deleting: true }),
    ];
    const c = claimPods(rs, replicaSetSelector(rs), pods);
    assert.deepEqual(c.owned.map((p) => p.metadata.name), ['owned']);
    assert.deepEqual(c.adopt.map((p) => p.metadata.name), ['orphan']);
    assert.deepEqual(c.release.map((p) => p.metadata.name), ['released']);
    const deleting = claimPods({ ...rs, metadata: { ...rs.metadata, deletionTimestamp: ago(0) } }, replicaSetSelector(rs), pods);
    assert.deepEqual([deleting.adopt.length, deleting.release.length], [0, 0]);
  });

  it('builds Pods from the template with a controller reference and generateName', () => {
    const p = podFromTemplate(rs);
    assert.equal(p.metadata.generateName, 'web-abc-');
    assert.deepEqual(p.metadata.labels, { app: 'web', tier: 'fe' });
    assert.deepEqual(p.metadata.annotations, { a: 'b' });
    assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(p.spec, { containers: [{ name: 'c' }] });
  });

  it('counts fully labeled, ready and available (minReadySeconds) replicas', () => {
    const pods = [pod('a', { readySince: 60 }), pod('b', { readySince: 5 }), pod('c', { labels: { app: 'web' } })];
    const s = calculateReplicaSetStatus(rs, pods, NOW);
    assert.deepEqual(s, { replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, observedGeneration: 3 });
    const failed = calculateReplicaSetStatus(rs, [], NOW, { diff: -2, message: 'quota' });
    assert.equal(failed.conditions?.[0]?.reason, 'FailedCreate');
    assert.deepEqual(calculateReplicaSetStatus({ ...rs, status: failed }, [], NOW).conditions, undefined);
  });

  it('creates in slow-start batches', () => {
    assert.deepEqual(slowStartBatches(10), [1, 2, 4, 3]);
    assert.deepEqual(slowStartBatches(0), []);
  });

  it('deletes unscheduled, pending, not-ready, doubled-up, recently ready, restarting, then newer Pods first', () => {
    const pods = [
      pod('old-ready', { node: 'n1', readySince: 5000, created: 9000 }),
      pod('unscheduled', { phase: 'Pending' }),
      pod('pending', { node: 'n2', phase: 'Pending' }),
      pod('not-ready', { node: 'n2' }),
      pod('new-ready', { node: 'n3', readySince: 10, created: 20 }),
    ];
    assert.deepEqual(getPodsToDelete(pods, pods, 4, NOW).map((p) => p.metadata.name), ['unscheduled', 'pending', 'not-ready', 'new-ready']);
    // Doubled up: the Pod sharing a node with more related Pods goes first.
    const a = pod('alone', { node: 'n1', readySince: 100 });
    const b = pod('crowded', { node: 'n2', readySince: 100 });
    const related = [a, b, pod('sibling', { node: 'n2', readySince: 100, owner: 'other-rs' })];
    assert.deepEqual(getPodsToDelete([a, b], related, 1, NOW).map((p) => p.metadata.name), ['crowded']);
    // Same ready time: more restarts first.
    const r1 = pod('r1', { node: 'n1', readySince: 100, restarts: 0 });
    const r2 = pod('r2', { node: 'n2', readySince: 100, restarts: 3 });
    assert.deepEqual(getPodsToDelete([r1, r2], [r1, r2], 1, NOW).map((p) => p.metadata.name), ['r2']);
    // pod-deletion-cost wins over readiness time.
    const cheap = pod('cheap', { node: 'n1', readySince: 5000 });
    cheap.metadata.annotations = { 'controller.kubernetes.io/pod-deletion-cost': '-10' };
    assert.deepEqual(getPodsToDelete([pod('young', { node: 'n2', readySince: 1 }), cheap], [], 1, NOW).map((p) => p.metadata.name), ['cheap']);
  });
});
