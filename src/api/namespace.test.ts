import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasNamespaceTerminatingCause, isNamespaceTerminating } from './namespace.js';

test('isNamespaceTerminating: phase Terminating or a deletionTimestamp', () => {
  assert.equal(isNamespaceTerminating({ status: { phase: 'Active' } }), false);
  assert.equal(isNamespaceTerminating({}), false);
  assert.equal(isNamespaceTerminating({ status: { phase: 'Terminating' } }), true);
  assert.equal(isNamespaceTerminating({ metadata: { deletionTimestamp: '2024-01-01T00:00:00Z' }, status: { phase: 'Active' } }), true);
});

test('hasNamespaceTerminatingCause reads StatusCause.reason as it is on the wire', () => {
  // The Status kube-apiserver sends for a create in a terminating namespace.
  const forbidden = {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure' as const,
    message: 'pods "p" is forbidden: unable to create new content in namespace ns because it is being terminated',
    reason: 'Forbidden',
    details: { name: 'p', kind: 'pods', causes: [{ reason: 'NamespaceTerminating', message: 'namespace ns is being terminated', field: 'metadata.namespace' }] },
    code: 403,
  };
  assert.equal(hasNamespaceTerminatingCause(forbidden), true);
  assert.equal(hasNamespaceTerminatingCause({ ...forbidden, details: { causes: [{ reason: 'FieldValueInvalid' }] } }), false);
  assert.equal(hasNamespaceTerminatingCause({ ...forbidden, details: undefined }), false);
  assert.equal(hasNamespaceTerminatingCause(undefined), false);
  // A "type" key is not how StatusCause serializes; it must not count.
  assert.equal(hasNamespaceTerminatingCause({ details: { causes: [{ type: 'NamespaceTerminating' } as never] } }), false);
});
