import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configMapPrinter, leasePrinter, namespacePrinter, serviceAccountPrinter } from './simple.js';
import { DAY, MINUTE, NOW, ago } from './test-helpers.js';

// TestPrintNamespace, TestPrintServiceAccount and TestPrintLease, plus ConfigMap (Data counts
// data and binaryData keys).
test('printNamespace', () => {
  assert.deepEqual(
    namespacePrinter.cells({ metadata: { name: 'namespace1', creationTimestamp: ago(-1900) }, status: { phase: 'FooStatus' } }, NOW),
    ['namespace1', 'FooStatus', '0s'],
  );
  assert.deepEqual(namespacePrinter.cells({ metadata: { name: 'namespace2' } }, NOW), ['namespace2', '', '<unknown>']);
  assert.deepEqual(
    namespacePrinter.cells({ metadata: { name: 'kube-system', creationTimestamp: ago(400 * DAY) }, status: { phase: 'Active' } }, NOW),
    ['kube-system', 'Active', '400d'],
  );
});

test('printServiceAccount', () => {
  assert.deepEqual(serviceAccountPrinter.cells({ metadata: { name: 'sa1', creationTimestamp: ago(-1900) }, secrets: [] }, NOW), ['sa1', 0, '0s']);
  assert.deepEqual(
    serviceAccountPrinter.cells({ metadata: { name: 'sa1', creationTimestamp: ago(-1900) }, secrets: [{ name: 'Secret1' }, { name: 'Secret2' }] }, NOW),
    ['sa1', 2, '0s'],
  );
  assert.deepEqual(serviceAccountPrinter.cells({ metadata: { name: 'default' } }, NOW), ['default', 0, '<unknown>']);
});

test('printLease', () => {
  assert.deepEqual(
    leasePrinter.cells({ metadata: { name: 'lease1', creationTimestamp: ago(-1900) }, spec: { holderIdentity: 'holder1' } }, NOW),
    ['lease1', 'holder1', '0s'],
  );
  assert.deepEqual(
    leasePrinter.cells({ metadata: { name: 'lease2', creationTimestamp: ago(5 * MINUTE) }, spec: { holderIdentity: 'holder2' } }, NOW),
    ['lease2', 'holder2', '5m'],
  );
  assert.deepEqual(leasePrinter.cells({ metadata: { name: 'free' }, spec: {} }, NOW), ['free', '', '<unknown>']);
});

test('printConfigMap', () => {
  const cm = { metadata: { name: 'kube-root-ca.crt', creationTimestamp: ago(90 * MINUTE) }, data: { 'ca.crt': '...' }, binaryData: { blob: 'AA==' } };
  assert.deepEqual(configMapPrinter.cells(cm, NOW), ['kube-root-ca.crt', 2, '90m']);
  assert.deepEqual(configMapPrinter.cells({ metadata: { name: 'empty' } }, NOW), ['empty', 0, '<unknown>']);
});
