import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ConditionStatusValue, Node, NodeSelectorOperator, Pod, PodSpec, Taint } from '../../api/types/core/index.js';
import { filterNode, fitErrorMessage, toleratesTaint } from './filters.js';
import { pickNode } from './score.js';

const node = (name: string, o: { labels?: Record<string, string>; taints?: Taint[]; ready?: ConditionStatusValue; unschedulable?: boolean } = {}): Node => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) } },
  spec: { taints: o.taints, unschedulable: o.unschedulable },
  status: { conditions: [{ type: 'Ready', status: o.ready ?? 'True' }] },
});
const pod = (spec: Partial<PodSpec> = {}, owner?: string): Pod => ({
  metadata: { name: 'p', namespace: 'default', labels: { app: 'x' }, ownerReferences: owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: owner, controller: true }] : [] },
  spec: spec as PodSpec,
});

describe('scheduler filters', () => {
  it('matches tolerations as v1.Toleration.ToleratesTaint', () => {
    const taint: Taint = { key: 'k', value: 'v', effect: 'NoSchedule' };
    const table: [object, boolean][] = [
      [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }, true],
      [{ key: 'k', value: 'v' }, true],
      [{ key: 'k', operator: 'Exists' }, true],
      [{ operator: 'Exists' }, true],
      [{ key: 'k', value: 'w' }, false],
      [{ key: 'k', operator: 'Exists', effect: 'NoExecute' }, false],
      [{ key: 'other', operator: 'Exists' }, false],
    ];
    for (const [tol, want] of table) assert.equal(toleratesTaint(tol, taint), want, JSON.stringify(tol));
  });

  it('filters in upstream order with upstream reasons', () => {
    assert.equal(filterNode(pod(), node('a')), undefined);
    assert.equal(filterNode(pod(), node('a', { unschedulable: true, taints: [{ key: 'x', effect: 'NoSchedule' }] })), 'node(s) were unschedulable');
    assert.equal(filterNode(pod(), node('a', { taints: [{ key: 'x', value: 'y', effect: 'NoSchedule' }] })), 'node(s) had untolerated taint {x: y}');
    assert.equal(filterNode(pod(), node('a', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] })), undefined);
    assert.equal(filterNode(pod(), node('a', { ready: 'False' })), 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }');
    assert.equal(filterNode(pod(), node('a', { ready: 'Unknown' })), 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }');
    assert.equal(filterNode(pod({ nodeSelector: { disk: 'ssd' } }), node('a')), "node(s) didn't match Pod's node affinity/selector");
    assert.equal(filterNode(pod({ nodeSelector: { disk: 'ssd' } }), node('a', { labels: { disk: 'ssd' } })), undefined);
    const affinity = (operator: NodeSelectorOperator, values?: string[]) =>
      pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'gen', operator, values }] }] } } } });
    assert.equal(filterNode(affinity('Gt', ['3']), node('a', { labels: { gen: '4' } })), undefined);
    assert.equal(filterNode(affinity('Lt', ['3']), node('a', { labels: { gen: '4' } })), "node(s) didn't match Pod's node affinity/selector");
    assert.equal(filterNode(affinity('DoesNotExist'), node('a')), undefined);
  });

  it('renders FitError with sorted reason counts and the preemption message', () => {
    assert.equal(
      fitErrorMessage(3, ["node(s) didn't match Pod's node affinity/selector", 'node(s) had untolerated taint {a: }', "node(s) didn't match Pod's node affinity/selector"]),
      "0/3 nodes are available: 1 node(s) had untolerated taint {a: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
  });

  it('spreads a workload before balancing load', () => {
    const [a, b] = [node('a'), node('b')];
    const load: Record<string, Pod[]> = { a: [pod({}, 'rs1')], b: [pod({}, 'other'), pod({}, 'other')] };
    assert.equal(pickNode(pod({}, 'rs1'), [a, b], (n) => ({ pods: load[n] ?? [] }))?.metadata.name, 'b');
    assert.equal(pickNode(pod({}, 'rs2'), [a, b], (n) => ({ pods: load[n] ?? [] }))?.metadata.name, 'a');
  });
});
