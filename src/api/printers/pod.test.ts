import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podPrinter } from './pod.js';
import { DAY, MINUTE, NOW, ago } from './test-helpers.js';

// Cases transcribed from printers_test.go (TestPrintPod, TestPrintPodWithRestartableInitContainer,
// TestPrintNonTerminatedPod), rewritten as v1 JSON. Cells are [name, ready, status, restarts, age].
const running = { running: {} };
const waiting = { waiting: {} };
const finished = (msAgo: number) => ({ terminated: { finishedAt: ago(msAgo) } });
const two = [{}, {}];
const one = [{}];
const always = 'Always';
const deleted = { deletionTimestamp: ago(10_000) };

interface Case {
  name: string;
  pod: object;
  want: unknown[];
  conditions?: string;
}

const cases: Case[] = [
  {
    name: 'test1 restarts summed, one ready',
    pod: {
      metadata: { name: 'test1' },
      spec: { containers: two },
      status: { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { restartCount: 3 }] },
    },
    want: ['test1', '1/2', 'podPhase', '6', '<unknown>'],
  },
  {
    name: 'test2 container waiting reason overrides phase',
    pod: {
      metadata: { name: 'test2' },
      spec: { containers: two },
      status: {
        phase: 'podPhase',
        containerStatuses: [
          { ready: true, restartCount: 3, state: running },
          { state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 },
        ],
      },
    },
    want: ['test2', '1/2', 'ContainerWaitingReason', '6', '<unknown>'],
  },
  {
    name: 'test3 first container wins',
    pod: {
      metadata: { name: 'test3' },
      spec: { containers: two },
      status: {
        phase: 'podPhase',
        containerStatuses: [
          { state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 },
          { state: { terminated: { reason: 'ContainerTerminatedReason' } }, restartCount: 3 },
        ],
      },
    },
    want: ['test3', '0/2', 'ContainerWaitingReason', '6', '<unknown>'],
  },
  {
    name: 'test4 ready without running is not counted',
    pod: {
      metadata: { name: 'test4' },
      spec: { containers: two },
      status: { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }] },
    },
    want: ['test4', '1/2', 'podPhase', '6', '<unknown>'],
  },
  {
    name: 'test5 pod reason overrides phase',
    pod: {
      metadata: { name: 'test5' },
      spec: { containers: two },
      status: {
        reason: 'podReason',
        phase: 'podPhase',
        containerStatuses: [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }],
      },
    },
    want: ['test5', '1/2', 'podReason', '6', '<unknown>'],
  },
  {
    name: 'test6 completed + running without Ready condition is NotReady',
    pod: {
      metadata: { name: 'test6' },
      spec: { containers: two },
      status: {
        phase: 'Running',
        containerStatuses: [
          { ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } },
          { ready: true, restartCount: 3, state: running },
        ],
      },
    },
    want: ['test6', '1/2', 'NotReady', '6', '<unknown>'],
  },
  {
    name: 'test6 completed + running with Ready condition is Running',
    pod: {
      metadata: { name: 'test6' },
      spec: { containers: two },
      status: {
        phase: 'Running',
        containerStatuses: [
          { ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } },
          { ready: true, restartCount: 3, state: running },
        ],
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    },
    want: ['test6', '1/2', 'Running', '6', '<unknown>'],
  },
  {
    name: 'test7 init container restarting',
    pod: {
      metadata: { name: 'test7' },
      spec: { initContainers: one, containers: one },
      status: {
        phase: 'podPhase',
        initContainerStatuses: [{ ready: false, restartCount: 3, state: running, lastState: finished(10_000) }],
        containerStatuses: [{ ready: false, restartCount: 0, state: waiting }],
      },
    },
    want: ['test7', '0/1', 'Init:0/1', '3 (10s ago)', '<unknown>'],
  },
  {
    name: 'test8 two init containers, first restarting',
    pod: {
      metadata: { name: 'test8' },
      spec: { initContainers: two, containers: one },
      status: {
        phase: 'podPhase',
        initContainerStatuses: [
          { ready: false, restartCount: 3, state: running, lastState: finished(10_000) },
          { ready: false, state: waiting },
        ],
        containerStatuses: [{ ready: false, state: waiting }],
      },
    },
    want: ['test8', '0/1', 'Init:0/2', '3 (10s ago)', '<unknown>'],
  },
  {
    name: 'test9 first init completed, second restarting',
    pod: {
      metadata: { name: 'test9' },
      spec: { initContainers: two, containers: one },
      status: {
        phase: 'podPhase',
        initContainerStatuses: [
          { ready: false, state: { terminated: {} } },
          { ready: false, restartCount: 3, state: running, lastState: finished(10_000) },
        ],
        containerStatuses: [{ ready: false, state: waiting }],
      },
    },
    want: ['test9', '0/1', 'Init:1/2', '3 (10s ago)', '<unknown>'],
  },
  {
    name: 'test10 init restarts summed, latest restart shown',
    pod: {
      metadata: { name: 'test10' },
      spec: { initContainers: two, containers: one },
      status: {
        phase: 'podPhase',
        initContainerStatuses: [
          { ready: false, restartCount: 2, state: { terminated: {} }, lastState: finished(2 * MINUTE) },
          { ready: false, restartCount: 3, state: running, lastState: finished(10_000) },
        ],
        containerStatuses: [{ ready: false, state: waiting }],
      },
    },
    want: ['test10', '0/1', 'Init:1/2', '5 (10s ago)', '<unknown>'],
  },
  {
    name: 'test11 init done: only app container restarts count',
    pod: {
      metadata: { name: 'test11' },
      spec: { initContainers: one, containers: one },
      status: {
        phase: 'Running',
        initContainerStatuses: [{ ready: false, restartCount: 2, state: { terminated: {} }, lastState: finished(2 * MINUTE) }],
        containerStatuses: [{ ready: false, restartCount: 4, state: running, lastState: finished(20_000) }],
      },
    },
    want: ['test11', '0/1', 'Running', '4 (20s ago)', '<unknown>'],
  },
  {
    name: 'test12 restarted 5d ago',
    pod: {
      metadata: { name: 'test12' },
      spec: { containers: one },
      status: { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 3, state: running, lastState: finished(5 * DAY) }] },
    },
    want: ['test12', '1/1', 'Running', '3 (5d ago)', '<unknown>'],
  },
  {
    name: 'test13 only one container restarted',
    pod: {
      metadata: { name: 'test13' },
      spec: { containers: two },
      status: {
        phase: 'Running',
        containerStatuses: [
          { ready: true, restartCount: 0, state: running },
          { ready: true, restartCount: 3, state: running, lastState: finished(10 * DAY) },
        ],
      },
    },
    want: ['test13', '2/2', 'Running', '3 (10d ago)', '<unknown>'],
  },
  {
    name: 'test14 most recent restart wins',
    pod: {
      metadata: { name: 'test14' },
      spec: { containers: two },
      status: {
        phase: 'Running',
        containerStatuses: [
          { ready: true, restartCount: 6, state: running, lastState: finished(5 * DAY) },
          { ready: true, restartCount: 3, state: running, lastState: finished(20 * DAY) },
        ],
      },
    },
    want: ['test14', '2/2', 'Running', '9 (5d ago)', '<unknown>'],
  },
  {
    name: 'test15 SchedulingGated',
    pod: {
      metadata: { name: 'test15' },
      spec: { containers: two },
      status: { phase: 'podPhase', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] },
    },
    want: ['test15', '0/2', 'SchedulingGated', '0', '<unknown>'],
  },
  {
    name: 'test16 succeeded',
    pod: {
      metadata: { name: 'test16' },
      spec: { containers: one },
      status: { phase: 'Succeeded', containerStatuses: [{ ready: false, restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } }] },
    },
    want: ['test16', '0/1', 'Completed', '0', '<unknown>'],
    conditions: 'Succeeded',
  },
  {
    name: 'test17 failed',
    pod: {
      metadata: { name: 'test17' },
      spec: { containers: one },
      status: { phase: 'Failed', containerStatuses: [{ ready: false, restartCount: 0, state: { terminated: { reason: 'Error', exitCode: 1 } } }] },
    },
    want: ['test17', '0/1', 'Error', '0', '<unknown>'],
    conditions: 'Failed',
  },
  {
    name: 'test18 succeeded pod being deleted is not Terminating',
    pod: {
      metadata: { name: 'test18', ...deleted },
      spec: { containers: one },
      status: { phase: 'Succeeded', containerStatuses: [{ ready: false, restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } }] },
    },
    want: ['test18', '0/1', 'Completed', '0', '<unknown>'],
    conditions: 'Succeeded',
  },
  {
    name: 'test19 running pod being deleted',
    pod: {
      metadata: { name: 'test19', ...deleted },
      spec: { containers: one },
      status: { phase: 'Running', containerStatuses: [{ ready: false, restartCount: 0, state: running }] },
    },
    want: ['test19', '0/1', 'Terminating', '0', '<unknown>'],
  },
  {
    name: 'test20 pending pod being deleted',
    pod: { metadata: { name: 'test20', ...deleted }, spec: { containers: one }, status: { phase: 'Pending' } },
    want: ['test20', '0/1', 'Terminating', '0', '<unknown>'],
  },
  // TestPrintPodWithRestartableInitContainer
  {
    name: 'sidecar running but not started',
    pod: {
      metadata: { name: 'test1' },
      spec: {
        initContainers: [
          { name: 'restartable-init-1', restartPolicy: always },
          { name: 'restartable-init-2', restartPolicy: always },
        ],
        containers: one,
      },
      status: {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'restartable-init-1', ready: false, restartCount: 3, state: running, started: false, lastState: finished(10_000) },
          { name: 'restartable-init-2', ready: false, state: waiting, started: false },
        ],
        containerStatuses: [{ ready: false, restartCount: 0, state: waiting }],
        conditions: [{ type: 'Initialized', status: 'False' }],
      },
    },
    want: ['test1', '0/3', 'Init:0/2', '3 (10s ago)', '<unknown>'],
  },
  {
    name: 'first sidecar started, second not',
    pod: {
      metadata: { name: 'test1' },
      spec: {
        initContainers: [
          { name: 'restartable-init-1', restartPolicy: always },
          { name: 'restartable-init-2', restartPolicy: always },
        ],
        containers: one,
      },
      status: {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'restartable-init-1', ready: false, restartCount: 3, state: running, started: true, lastState: finished(10_000) },
          { name: 'restartable-init-2', ready: false, state: running, started: false },
        ],
        containerStatuses: [{ ready: false, restartCount: 0, state: waiting }],
        conditions: [{ type: 'Initialized', status: 'False' }],
      },
    },
    want: ['test1', '0/3', 'Init:1/2', '3 (10s ago)', '<unknown>'],
  },
  {
    name: 'sidecars started and app running',
    pod: {
      metadata: { name: 'test2' },
      spec: {
        initContainers: [
          { name: 'restartable-init-1', restartPolicy: always },
          { name: 'restartable-init-2', restartPolicy: always },
        ],
        containers: one,
      },
      status: {
        phase: 'Running',
        initContainerStatuses: [
          { name: 'restartable-init-1', ready: false, restartCount: 3, state: running, started: true, lastState: finished(10_000) },
          { name: 'restartable-init-2', ready: false, state: running, started: true },
        ],
        containerStatuses: [{ ready: true, restartCount: 4, state: running, lastState: finished(20_000) }],
        conditions: [{ type: 'Initialized', status: 'True' }],
      },
    },
    want: ['test2', '1/3', 'Running', '7 (10s ago)', '<unknown>'],
  },
  {
    name: 'sidecars failed, app completed',
    pod: {
      metadata: { name: 'test3' },
      spec: {
        initContainers: [
          { name: 'restartable-init-1', restartPolicy: always },
          { name: 'restartable-init-2', restartPolicy: always },
        ],
        containers: one,
      },
      status: {
        phase: 'Succeeded',
        initContainerStatuses: [
          {
            name: 'restartable-init-1',
            ready: false,
            restartCount: 3,
            state: { terminated: { reason: 'Error', exitCode: 137 } },
            started: false,
            lastState: finished(10_000),
          },
          { name: 'restartable-init-2', ready: false, state: { terminated: { reason: 'Error', exitCode: 137 } }, started: false },
        ],
        containerStatuses: [
          { ready: false, restartCount: 4, state: { terminated: { reason: 'Completed', exitCode: 0 } }, lastState: finished(20_000) },
        ],
        conditions: [{ type: 'Initialized', status: 'True' }],
      },
    },
    want: ['test3', '0/3', 'Completed', '7 (10s ago)', '<unknown>'],
    conditions: 'Succeeded',
  },
  {
    name: 'statuses for containers missing from the spec',
    pod: {
      metadata: { name: 'test4' },
      spec: {
        initContainers: [
          { name: 'init1', image: 'initimage' },
          { name: 'sidecar1', image: 'sidecarimage', restartPolicy: always },
        ],
        containers: [{ name: 'container1', image: 'containerimage' }],
      },
      status: {
        phase: 'Running',
        initContainerStatuses: [{ name: 'initinvalid' }, { name: 'init1' }, { name: 'sidecar1' }],
        containerStatuses: [{ name: 'containerinvalid' }, { name: 'container1' }],
      },
    },
    want: ['test4', '0/2', 'Init:0/2', '0', '<unknown>'],
  },
  // TestPrintNonTerminatedPod: the phase shows when containers say nothing.
  ...(['Running', 'Pending', 'Unknown'] as const).map((phase) => ({
    name: `phase ${phase}`,
    pod: {
      metadata: { name: 'p' },
      spec: { containers: two },
      status: { phase, containerStatuses: [{ ready: true, restartCount: 3, state: running }, { restartCount: 3 }] },
    },
    want: ['p', '1/2', phase, '6', '<unknown>'],
  })),
  // Everyday states seen on a real node, derived from the same rules.
  {
    name: 'CrashLoopBackOff with last restart',
    pod: {
      metadata: { name: 'web', creationTimestamp: ago(30 * MINUTE) },
      spec: { containers: [{ name: 'app' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 5,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(5 * MINUTE) } },
          },
        ],
      },
    },
    want: ['web', '0/1', 'CrashLoopBackOff', '5 (5m ago)', '30m'],
  },
  {
    name: 'ContainerCreating',
    pod: {
      metadata: { name: 'web', creationTimestamp: ago(3_000) },
      spec: { containers: [{ name: 'app' }] },
      status: { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] },
    },
    want: ['web', '0/1', 'ContainerCreating', '0', '3s'],
  },
  {
    name: 'init container waiting with PodInitializing keeps Init:i/n',
    pod: {
      metadata: { name: 'p' },
      spec: { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] },
      status: {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'i', state: { waiting: { reason: 'PodInitializing' } } }],
        containerStatuses: [{ name: 'a', state: { waiting: { reason: 'PodInitializing' } } }],
      },
    },
    want: ['p', '0/1', 'Init:0/1', '0', '<unknown>'],
  },
  {
    name: 'init container crash looping',
    pod: {
      metadata: { name: 'p' },
      spec: { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] },
      status: {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'i', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
        containerStatuses: [{ name: 'a', state: { waiting: { reason: 'PodInitializing' } } }],
      },
    },
    want: ['p', '0/1', 'Init:CrashLoopBackOff', '2', '<unknown>'],
  },
  {
    name: 'init container failed with exit code, no reason',
    pod: {
      metadata: { name: 'p' },
      spec: { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] },
      status: { phase: 'Pending', initContainerStatuses: [{ name: 'i', state: { terminated: { exitCode: 2 } } }] },
    },
    want: ['p', '0/1', 'Init:ExitCode:2', '0', '<unknown>'],
  },
  {
    name: 'init container killed by signal',
    pod: {
      metadata: { name: 'p' },
      spec: { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] },
      status: { phase: 'Pending', initContainerStatuses: [{ name: 'i', state: { terminated: { exitCode: 137, signal: 9 } } }] },
    },
    want: ['p', '0/1', 'Init:Signal:9', '0', '<unknown>'],
  },
  {
    name: 'app container terminated without reason',
    pod: {
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'a' }] },
      status: { phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 3 } } }] },
    },
    want: ['p', '0/1', 'ExitCode:3', '0', '<unknown>'],
    conditions: 'Failed',
  },
  {
    name: 'NodeLost while deleting shows Unknown',
    pod: {
      metadata: { name: 'p', ...deleted },
      spec: { containers: [{ name: 'a' }] },
      status: { phase: 'Running', reason: 'NodeLost', containerStatuses: [{ name: 'a', ready: true, state: running }] },
    },
    want: ['p', '1/1', 'Unknown', '0', '<unknown>'],
  },
];

const wideNone = ['<none>', '<none>', '<none>', '<none>'];

test('printPod status, ready and restarts', () => {
  for (const c of cases) {
    const cells = podPrinter.cells(c.pod, NOW);
    assert.deepEqual(cells.slice(0, 5), c.want, c.name);
    assert.deepEqual(cells.slice(5), wideNone, `${c.name} (wide)`);
    const conditions = podPrinter.conditions?.(c.pod);
    assert.equal(conditions?.[0]?.reason, c.conditions, `${c.name} conditions`);
  }
});

test('pod row conditions match upstream podSuccessConditions / podFailedConditions', () => {
  assert.deepEqual(podPrinter.conditions?.({ status: { phase: 'Succeeded' } }), [
    { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
  ]);
  assert.deepEqual(podPrinter.conditions?.({ status: { phase: 'Failed' } }), [
    { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
  ]);
  assert.equal(podPrinter.conditions?.({ status: { phase: 'Running' } }), undefined);
});

// TestPrintPodwide
test('printPod wide columns', () => {
  const gates = { readinessGates: [{ conditionType: 'condition1' }, { conditionType: 'condition2' }, { conditionType: 'condition3' }] };
  const conditions = [
    { type: 'condition1', status: 'False' },
    { type: 'condition2', status: 'True' },
  ];
  const statuses = [{ ready: true, restartCount: 3, state: running }, { restartCount: 3 }];
  for (const podIPs of [[{ ip: '1.1.1.1' }], [{ ip: '1.1.1.1' }, { ip: '2001:db8::' }]]) {
    const pod = {
      metadata: { name: 'test1' },
      spec: { containers: two, nodeName: 'test1', ...gates },
      status: { conditions, phase: 'podPhase', podIPs, containerStatuses: statuses, nominatedNodeName: 'node1' },
    };
    assert.deepEqual(podPrinter.cells(pod, NOW), ['test1', '1/2', 'podPhase', '6', '<unknown>', '1.1.1.1', 'test1', 'node1', '1/3']);
  }
  // Only the legacy podIP field set: conversion to internal fills podIPs from it.
  const legacy = { metadata: { name: 'x' }, spec: { containers: one }, status: { podIP: '10.0.0.7' } };
  assert.equal(podPrinter.cells(legacy, NOW)[5], '10.0.0.7');
});

test('pod columns as upstream defines them', () => {
  assert.deepEqual(
    podPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ],
  );
});
