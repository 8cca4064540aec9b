import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventPrinter } from './event.js';
import { DAY, NOW, ago } from './test-helpers.js';

// TestPrintEvent, rewritten as v1 JSON (the server always prints wide). Cells: Last Seen, Type,
// Reason, Object, Subobject, Source, Message, First Seen, Count, Name.
const deployment = { kind: 'Deployment', name: 'Deployment Name', fieldPath: 'spec.containers{foo}' };
const kubeletNode1 = { component: 'kubelet', host: 'Node1' };
const base = { involvedObject: deployment, reason: 'Event Reason', message: 'Message Data' };

const cases: [string, object, unknown[]][] = [
  [
    'basic pod event',
    {
      source: { component: 'kubelet' },
      involvedObject: { kind: 'Pod', name: 'Pod Name', fieldPath: 'spec.containers{foo}' },
      reason: 'Event Reason',
      message: 'Message Data',
      firstTimestamp: ago(3 * DAY),
      lastTimestamp: ago(2 * DAY),
      count: 6,
      type: 'Normal',
      metadata: { name: 'event1' },
    },
    ['2d', 'Normal', 'Event Reason', 'pod/Pod Name', 'spec.containers{foo}', 'kubelet', 'Message Data', '3d', 6, 'event1'],
  ],
  [
    'basic wide',
    { ...base, source: kubeletNode1, firstTimestamp: ago(3 * DAY), lastTimestamp: ago(2 * DAY), count: 6, type: 'Warning', metadata: { name: 'event2' } },
    ['2d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', '3d', 6, 'event2'],
  ],
  [
    'no firstTimestamp: eventTime',
    { ...base, source: kubeletNode1, eventTime: ago(3 * DAY), lastTimestamp: ago(3 * DAY), count: 1, type: 'Warning', metadata: { name: 'event3' } },
    ['3d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', '3d', 1, 'event3'],
  ],
  [
    'no lastTimestamp: first seen',
    { ...base, source: kubeletNode1, eventTime: ago(3 * DAY), firstTimestamp: ago(3 * DAY), count: 1, type: 'Warning', metadata: { name: 'event4' } },
    ['3d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', '3d', 1, 'event4'],
  ],
  [
    'neither timestamp',
    { ...base, source: kubeletNode1, eventTime: ago(3 * DAY), count: 1, type: 'Warning', metadata: { name: 'event5' } },
    ['3d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', '3d', 1, 'event5'],
  ],
  [
    'series',
    {
      ...base,
      source: kubeletNode1,
      series: { count: 2, lastObservedTime: ago(2 * DAY) },
      eventTime: ago(3 * DAY),
      type: 'Warning',
      metadata: { name: 'event6' },
    },
    ['2d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', '3d', 2, 'event6'],
  ],
  [
    'singleton without count',
    { ...base, source: kubeletNode1, eventTime: ago(3 * DAY), type: 'Warning', metadata: { name: 'event7' } },
    ['3d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', '3d', 1, 'event7'],
  ],
  [
    'empty source: reporting controller and instance',
    {
      ...base,
      reportingComponent: 'kubelet',
      reportingInstance: 'test',
      firstTimestamp: ago(3 * DAY),
      lastTimestamp: ago(2 * DAY),
      count: 6,
      type: 'Warning',
      metadata: { name: 'event2' },
    },
    ['2d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, test', 'Message Data', '3d', 6, 'event2'],
  ],
  [
    'object without name, message trimmed',
    {
      involvedObject: { kind: 'Node' },
      reason: 'Starting',
      message: '  Starting kubelet.\n',
      source: { component: 'kubelet' },
      firstTimestamp: ago(40_000),
      lastTimestamp: ago(40_000),
      count: 1,
      type: 'Normal',
      metadata: { name: 'n.1' },
    },
    ['40s', 'Normal', 'Starting', 'node', '', 'kubelet', 'Starting kubelet.', '40s', 1, 'n.1'],
  ],
];

test('printEvent', () => {
  for (const [name, ev, want] of cases) assert.deepEqual(eventPrinter.cells(ev, NOW), want, name);
});

test('event columns: wide ones have priority 1', () => {
  assert.deepEqual(
    eventPrinter.columns.filter((c) => c.priority === 0).map((c) => c.name),
    ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
  );
  assert.deepEqual(
    eventPrinter.columns.filter((c) => c.priority === 1).map((c) => c.name),
    ['Subobject', 'Source', 'First Seen', 'Count', 'Name'],
  );
});
