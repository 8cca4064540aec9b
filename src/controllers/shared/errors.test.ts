import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../client/index.js';
import { isNamespaceTerminatingError } from './errors.js';

// What kube-apiserver answers a create in a terminating namespace with (NamespaceLifecycle
// admission): StatusCause's Go field Type is serialized as "reason".
const terminating = () =>
  new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'endpointslices.discovery.k8s.io "web-abcde" is forbidden: unable to create new content in namespace demo because it is being terminated',
    reason: 'Forbidden',
    details: { name: 'web-abcde', group: 'discovery.k8s.io', kind: 'endpointslices', causes: [{ reason: 'NamespaceTerminating', message: 'namespace demo is being terminated', field: 'metadata.namespace' }] },
    code: 403,
  });

test('isNamespaceTerminatingError: the NamespaceTerminating cause under its JSON key "reason"', () => {
  // The EndpointSlice writer used to look for a "type" key, which no response carries.
  assert.equal(isNamespaceTerminatingError(terminating()), true);
});

test('isNamespaceTerminatingError: text mentioning NamespaceTerminating is not the cause', () => {
  // The Deployment and ReplicaSet controllers used to search the whole Status as text.
  const err = new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'pods "web-1" is forbidden: admission webhook "NamespaceTerminating-guard" denied the request',
    reason: 'Forbidden',
    details: { name: 'web-1', kind: 'pods', causes: [{ reason: 'FieldValueForbidden', message: 'NamespaceTerminating', field: 'metadata.labels' }] },
    code: 403,
  });
  assert.equal(isNamespaceTerminatingError(err), false);
  assert.equal(isNamespaceTerminatingError(new Error('NamespaceTerminating')), false);
});
