import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReplicaSet } from '../../api/types/apps/index.js';
import type { Pod } from '../../api/types/core/index.js';
import { Indexer } from '../../client/index.js';
import { controllerOf, newControllerRef, objectRef, resolveControllerRef, serviceSelects } from './selection.js';

const rs = (uid: string): ReplicaSet => ({ metadata: { name: 'web-abc', namespace: 'default', uid }, spec: { selector: { matchLabels: { app: 'web' } } } });

test('resolveControllerRef: same kind, name and UID; a same-named successor is not the owner', () => {
  const cache = new Indexer<ReplicaSet>();
  cache.set(rs('new-uid'));
  const pod = (uid: string, kind = 'ReplicaSet'): Pod => ({
    metadata: { name: 'p', namespace: 'default', ownerReferences: [{ ...newControllerRef(rs(uid), 'apps/v1', kind) }] },
  });
  assert.equal(resolveControllerRef(cache, 'default', controllerOf(pod('new-uid')), 'ReplicaSet')?.metadata.uid, 'new-uid');
  // The Deployment controller's Pod-delete handler used to look the ReplicaSet up by name only.
  assert.equal(resolveControllerRef(cache, 'default', controllerOf(pod('old-uid')), 'ReplicaSet'), undefined);
  assert.equal(resolveControllerRef(cache, 'default', controllerOf(pod('new-uid', 'StatefulSet')), 'ReplicaSet'), undefined);
  assert.equal(resolveControllerRef(cache, 'other', controllerOf(pod('new-uid')), 'ReplicaSet'), undefined);
});

test('objectRef omits an empty namespace and resourceVersion', () => {
  assert.deepEqual(objectRef({ metadata: { name: 'n1', uid: 'u' } }, 'v1', 'Node'), { kind: 'Node', apiVersion: 'v1', name: 'n1', uid: 'u' });
});

test('serviceSelects: exact label equality; a nil selector selects nothing', () => {
  const svc = (selector: Record<string, string> | null) => ({ metadata: { name: 's' }, spec: { selector } });
  assert.equal(serviceSelects(svc({ app: 'web' }), { app: 'web', tier: 'fe' }), true);
  assert.equal(serviceSelects(svc({ app: 'web' }), { app: 'web2' }), false);
  assert.equal(serviceSelects(svc({ app: 'web' }), { app: 'we' }), false);
  assert.equal(serviceSelects(svc(null), { app: 'web' }), false);
  assert.equal(serviceSelects(svc({}), {}), true);
});
