import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ConditionStatusValue, Node } from '../../api/types/core/index.js';
import { desiredTaints, markNodeUnknown } from './health.js';

const NOW = Date.UTC(2024, 0, 1);

describe('node health', () => {
  it('sets the kubelet conditions Unknown with upstream reason and message', () => {
    const out = markNodeUnknown(
      [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: 'hb' },
        { type: 'MemoryPressure', status: 'False' },
        { type: 'NetworkUnavailable', status: 'False' },
      ],
      NOW,
    )!;
    assert.deepEqual(out[0], { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: 'hb', lastTransitionTime: '2024-01-01T00:00:00Z' });
    assert.equal(out[1]!.status, 'Unknown');
    assert.equal(out[2]!.status, 'False', 'only the kubelet-owned conditions');
    assert.equal(markNodeUnknown(out, NOW + 1000), undefined, 'already Unknown: nothing to write');
    assert.equal(markNodeUnknown([], NOW)![0]!.reason, 'NodeStatusNeverUpdated');
  });

  it('derives condition taints from Ready and keeps foreign taints', () => {
    const node = (ready: ConditionStatusValue, taints: NonNullable<Node['spec']>['taints'] = [], unschedulable = false): Node => ({
      metadata: { name: 'n' },
      spec: { taints, unschedulable },
      status: { conditions: [{ type: 'Ready', status: ready }] },
    });
    const keys = (n: Node) => desiredTaints(n, NOW).map((t) => `${t.key}:${t.effect}`).sort();
    assert.deepEqual(keys(node('True')), []);
    assert.deepEqual(keys(node('Unknown')), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    assert.deepEqual(keys(node('False', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, { key: 'mine', effect: 'NoSchedule' }])), [
      'mine:NoSchedule',
      'node.kubernetes.io/not-ready:NoExecute',
      'node.kubernetes.io/not-ready:NoSchedule',
    ]);
    assert.deepEqual(keys(node('True', [], true)), ['node.kubernetes.io/unschedulable:NoSchedule']);
    const kept = desiredTaints(node('Unknown', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: 'earlier' }]), NOW);
    assert.equal(kept.find((t) => t.effect === 'NoSchedule')!.timeAdded, 'earlier');
  });
});
