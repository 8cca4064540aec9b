import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from '../../api/types/apps/index.js';
import type { Pod } from '../../api/types/core/index.js';
import { DeploymentSync, type DeploymentActions } from './sync.js';

const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });

function deployment(replicas: number, image: string, annotations: Record<string, string> = {}): Deployment {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'd-uid', generation: 2, annotations },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: template(image),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: { observedGeneration: 1, replicas: 5, updatedReplicas: 5, readyReplicas: 5, availableReplicas: 5 },
  };
}

function rs(name: string, image: string, replicas: number, available: number, revision: string, extra: Record<string, string> = {}): ReplicaSet {
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `${name}-uid`,
      creationTimestamp: '2024-01-01T00:00:00Z',
      annotations: { 'deployment.kubernetes.io/revision': revision, ...extra },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: template(image) },
    status: { replicas, readyReplicas: available, availableReplicas: available },
  };
}

function fakeActions() {
  const events: string[] = [];
  const created: ReplicaSet[] = [];
  const updated: ReplicaSet[] = [];
  const statuses: Deployment[] = [];
  const actions: DeploymentActions = {
    now: () => Date.UTC(2024, 0, 2),
    createReplicaSet: async (r) => {
      const c = { ...r, metadata: { ...r.metadata, uid: `${r.metadata.name}-uid`, creationTimestamp: '2024-01-02T00:00:00Z' } };
      created.push(c);
      return c;
    },
    updateReplicaSet: async (r) => {
      updated.push(r);
      return r;
    },
    deleteReplicaSet: async () => {},
    updateDeploymentStatus: async (d) => {
      statuses.push(structuredClone(d));
      return { ...d, metadata: { ...d.metadata, resourceVersion: String(statuses.length) } };
    },
    cachedReplicaSet: () => undefined,
    event: (_d, type, reason, message) => void events.push(`${type} ${reason} ${message}`),
    isAlreadyExists: () => false,
    isNotFound: () => false,
    isNamespaceTerminating: () => false,
  };
  return { actions, events, created, updated, statuses };
}

describe('DeploymentSync', () => {
  it('starts a rolling update: new ReplicaSet with surge, one old replica down, revision 2', async () => {
    const f = fakeActions();
    const old = rs('web-old', 'nginx:1', 5, 5, '1', { 'deployment.kubernetes.io/desired-replicas': '5', 'deployment.kubernetes.io/max-replicas': '6' });
    await new DeploymentSync(deployment(5, 'nginx:2'), [old], new Map(), f.actions).run();
    assert.equal(f.created.length, 1);
    const newRS = f.created[0]!;
    const hash = newRS.metadata.labels!['pod-template-hash']!;
    assert.equal(newRS.metadata.name, `web-${hash}`);
    assert.equal(newRS.spec!.replicas, 1);
    assert.deepEqual(newRS.spec!.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
    assert.equal(newRS.spec!.template!.metadata!.labels!['pod-template-hash'], hash);
    assert.equal(newRS.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
    assert.equal(newRS.metadata.ownerReferences![0]!.uid, 'd-uid');
    assert.deepEqual(f.events, [`Normal ScalingReplicaSet Scaled up replica set web-${hash} from 0 to 1`, 'Normal ScalingReplicaSet Scaled down replica set web-old from 5 to 4']);
    assert.equal(f.updated.at(-1)!.spec!.replicas, 4);
    const first = f.statuses[0]!;
    assert.equal(first.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
    assert.equal(first.status!.conditions!.find((c) => c.type === 'Progressing')!.reason, 'NewReplicaSetCreated');
    assert.equal(first.status!.conditions!.find((c) => c.type === 'Progressing')!.message, `Created new replica set "web-${hash}"`);
  });

  it('does not scale old replicas down while that would drop below replicas - maxUnavailable', async () => {
    const f = fakeActions();
    const d = deployment(5, 'nginx:2');
    const old = rs('web-old', 'nginx:1', 4, 4, '1');
    const cur = rs('web-new', 'nginx:2', 2, 0, '2');
    await new DeploymentSync(d, [old, cur], new Map(), f.actions).run();
    // 6 pods total = replicas + surge: no scale up; 4 available = minAvailable: no scale down.
    assert.deepEqual(f.events, []);
    const status = f.statuses.at(-1)!.status!;
    assert.equal(status.replicas, 6);
    assert.equal(status.updatedReplicas, 2);
    assert.equal(status.availableReplicas, 4);
    assert.equal(status.unavailableReplicas, 2);
    assert.equal(status.conditions!.find((c) => c.type === 'Available')!.status, 'True');
  });

  it('scales proportionally when spec.replicas changes mid-rollout', async () => {
    const f = fakeActions();
    const ann = { 'deployment.kubernetes.io/desired-replicas': '5', 'deployment.kubernetes.io/max-replicas': '6' };
    const old = rs('web-old', 'nginx:1', 4, 4, '1', ann);
    const cur = { ...rs('web-new', 'nginx:2', 2, 2, '2', ann), metadata: { ...rs('web-new', 'nginx:2', 2, 2, '2', ann).metadata, creationTimestamp: '2024-01-01T01:00:00Z' } };
    await new DeploymentSync(deployment(10, 'nginx:2'), [old, cur], new Map(), f.actions).run();
    assert.deepEqual(f.events.sort(), ['Normal ScalingReplicaSet Scaled up replica set web-new from 2 to 4', 'Normal ScalingReplicaSet Scaled up replica set web-old from 4 to 7']);
    for (const u of f.updated) assert.equal(u.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], '10');
  });

  it('completes: NewReplicaSetAvailable, and old ReplicaSets beyond the history limit are deleted', async () => {
    const f = fakeActions();
    const deleted: string[] = [];
    f.actions.deleteReplicaSet = async (r) => void deleted.push(r.metadata.name!);
    const d = deployment(2, 'nginx:3');
    d.spec!.revisionHistoryLimit = 1;
    d.status = { observedGeneration: 2, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 };
    const old1 = rs('web-1', 'nginx:1', 0, 0, '1');
    const old2 = rs('web-2', 'nginx:2', 0, 0, '2');
    const cur = rs('web-3', 'nginx:3', 2, 2, '3');
    for (const r of [old1, old2]) r.status = { replicas: 0 };
    await new DeploymentSync(d, [old1, old2, cur], new Map(), f.actions).run();
    assert.deepEqual(deleted, ['web-1']);
    const p = f.statuses.at(-1)!.status!.conditions!.find((c) => c.type === 'Progressing')!;
    assert.equal(p.reason, 'NewReplicaSetAvailable');
    assert.equal(p.message, 'ReplicaSet "web-3" has successfully progressed.');
  });

  it('Recreate scales old ReplicaSets to zero and waits for their Pods before creating the new one', async () => {
    const f = fakeActions();
    const d = deployment(2, 'nginx:2');
    d.spec!.strategy = { type: 'Recreate' };
    const old = rs('web-old', 'nginx:1', 2, 2, '1');
    await new DeploymentSync(d, [old], new Map(), f.actions).run();
    assert.deepEqual(f.events, ['Normal ScalingReplicaSet Scaled down replica set web-old from 2 to 0']);
    assert.equal(f.created.length, 0);
    const f2 = fakeActions();
    const gone: ReplicaSet = { ...old, spec: { ...old.spec!, replicas: 0 }, status: { replicas: 0 } };
    const pods = new Map<string, Pod[]>([['web-old-uid', [{ metadata: { name: 'p' }, status: { phase: 'Running' } }]]]);
    await new DeploymentSync(d, [gone], pods, f2.actions).run();
    assert.equal(f2.created.length, 0, 'an old Pod still runs');
    await new DeploymentSync(d, [gone], new Map(), f2.actions).run();
    assert.equal(f2.created.length, 1);
    assert.equal(f2.created[0]!.spec!.replicas, 2);
  });
});
