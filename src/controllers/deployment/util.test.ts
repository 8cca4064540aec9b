import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, DeploymentStatus, DeploymentStrategyType, ReplicaSet } from '../../api/types/apps/index.js';
import { equalIgnoreHash, findNewReplicaSet, maxSurge, maxUnavailable, resolveFenceposts, scaledValue, setCondition, setNewReplicaSetAnnotations } from './util.js';

const dep = (replicas: number, maxSurge?: number | string, maxUnavailable?: number | string, type: DeploymentStrategyType = 'RollingUpdate'): Deployment => ({
  metadata: { name: 'web', namespace: 'default', annotations: { 'kubernetes.io/change-cause': 'x', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, strategy: { type, rollingUpdate: { maxSurge, maxUnavailable } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

describe('deployment util', () => {
  it('scales IntOrString values: percentages round up for surge, down for unavailable', () => {
    const table: [number | string, number, boolean, number][] = [
      [3, 10, true, 3],
      ['25%', 10, true, 3],
      ['25%', 10, false, 2],
      ['25%', 1, true, 1],
      ['25%', 1, false, 0],
      ['100%', 5, false, 5],
    ];
    for (const [v, total, up, want] of table) assert.equal(scaledValue(v, total, up), want, `${v} of ${total}`);
    assert.throws(() => scaledValue('abc', 10, true), /not a percentage/);
  });

  it('resolves fenceposts as upstream (both zero → 1 unavailable; unavailable capped at replicas)', () => {
    assert.deepEqual(resolveFenceposts(dep(4)), { surge: 1, unavailable: 1 });
    assert.deepEqual(resolveFenceposts(dep(1, 0, 0)), { surge: 0, unavailable: 1 });
    assert.equal(maxUnavailable(dep(2, 1, 5)), 2);
    assert.equal(maxUnavailable(dep(0)), 0);
    assert.equal(maxSurge(dep(10, '30%')), 3);
    assert.equal(maxSurge(dep(10, 3, 1, 'Recreate')), 0);
  });

  it('finds the new ReplicaSet by template, ignoring pod-template-hash, oldest first', () => {
    const d = dep(1);
    const rs = (name: string, created: string, image: string): ReplicaSet => ({
      metadata: { name, uid: name, creationTimestamp: created },
      spec: { selector: {}, template: { metadata: { labels: { app: 'web', 'pod-template-hash': name } }, spec: { containers: [{ name: 'c', image }] } } },
    });
    assert.ok(equalIgnoreHash(rs('a', '2024-01-01T00:00:00Z', 'nginx').spec!.template, d.spec!.template));
    const found = findNewReplicaSet(d, [rs('b', '2024-01-02T00:00:00Z', 'nginx'), rs('old', '2024-01-01T00:00:00Z', 'nginx:1'), rs('a', '2024-01-01T00:00:00Z', 'nginx')]);
    assert.equal(found?.metadata.name, 'a');
  });

  it('copies annotations, bumps the revision and records the history of a re-used ReplicaSet', () => {
    const d = dep(3);
    const rs: ReplicaSet = { metadata: { name: 'web-1', annotations: { 'deployment.kubernetes.io/revision': '1' } }, spec: { selector: {} } };
    assert.equal(setNewReplicaSetAnnotations(d, rs, '3', true), true);
    assert.deepEqual(rs.metadata.annotations, {
      'deployment.kubernetes.io/revision': '3',
      'deployment.kubernetes.io/revision-history': '1',
      'kubernetes.io/change-cause': 'x',
    });
    assert.equal(setNewReplicaSetAnnotations(d, rs, '3', true), false);
    const fresh: ReplicaSet = { metadata: { name: 'web-2' }, spec: { selector: {} } };
    setNewReplicaSetAnnotations(d, fresh, '1', false);
    assert.equal(fresh.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], '3');
    assert.equal(fresh.metadata.annotations!['deployment.kubernetes.io/max-replicas'], '4');
  });

  it('SetDeploymentCondition keeps the transition time when only the reason changes', () => {
    const s: DeploymentStatus = { conditions: [{ type: 'Progressing', status: 'True', reason: 'A', lastTransitionTime: 't0', lastUpdateTime: 't0' }] };
    setCondition(s, { type: 'Progressing', status: 'True', reason: 'A', lastTransitionTime: 't1', lastUpdateTime: 't1' });
    assert.equal(s.conditions![0]!.lastUpdateTime, 't0', 'same status and reason: no change');
    setCondition(s, { type: 'Progressing', status: 'True', reason: 'B', lastTransitionTime: 't2', lastUpdateTime: 't2' });
    assert.deepEqual(s.conditions![0], { type: 'Progressing', status: 'True', reason: 'B', lastTransitionTime: 't0', lastUpdateTime: 't2' });
  });
});
