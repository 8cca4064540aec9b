import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { namespaceConditions, remainingFailures } from './conditions.js';

describe('namespace deletion conditions', () => {
  it('renders remaining content as upstream, sorted', () => {
    const f = remainingFailures({
      byResource: new Map([['pods.', 2], ['deployments.apps', 1]]),
      byFinalizer: new Map([['foregroundDeletion', 1], ['example.com/x', 3]]),
    });
    assert.equal(f.NamespaceContentRemaining, 'Some resources are remaining: deployments.apps has 1 resource instances, pods. has 2 resource instances');
    assert.equal(f.NamespaceFinalizersRemaining, 'Some content in the namespace has finalizers remaining: example.com/x in 3 resource instances, foregroundDeletion in 1 resource instances');
    assert.deepEqual(remainingFailures({ byResource: new Map(), byFinalizer: new Map() }), {});
  });

  it('writes all five conditions and keeps transition times that did not flip', () => {
    const t0 = Date.UTC(2024, 0, 1);
    const first = namespaceConditions(undefined, { NamespaceContentRemaining: 'x' }, t0);
    assert.deepEqual(first.map((c) => `${c.type}=${c.status}/${c.reason}`), [
      'NamespaceDeletionDiscoveryFailure=False/ResourcesDiscovered',
      'NamespaceDeletionGroupVersionParsingFailure=False/ParsedGroupVersions',
      'NamespaceDeletionContentFailure=False/ContentDeleted',
      'NamespaceContentRemaining=True/SomeResourcesRemain',
      'NamespaceFinalizersRemaining=False/ContentHasNoFinalizers',
    ]);
    const second = namespaceConditions(first, {}, t0 + 60_000);
    assert.equal(second[0]!.lastTransitionTime, '2024-01-01T00:00:00Z');
    assert.equal(second[3]!.status, 'False');
    assert.equal(second[3]!.reason, 'ContentRemoved');
    assert.equal(second[3]!.lastTransitionTime, '2024-01-01T00:01:00Z');
  });
});
