import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodePrinter } from './node.js';
import { DAY, NOW, ago } from './test-helpers.js';

const unknownWide = ['<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'];

// TestPrintNodeStatus / TestPrintNodeRole / TestPrintNodeName. Cells: Name, Status, Roles, Age, Version.
test('printNode status and roles', () => {
  const ready = { type: 'Ready', status: 'True' };
  const notReady = { type: 'Ready', status: 'False' };
  const cases: [object, unknown[]][] = [
    [{ metadata: { name: 'foo1' }, status: { conditions: [ready] } }, ['foo1', 'Ready', '<none>', '<unknown>', '']],
    [{ metadata: { name: 'foo2' }, spec: { unschedulable: true }, status: { conditions: [ready] } }, ['foo2', 'Ready,SchedulingDisabled', '<none>', '<unknown>', '']],
    [{ metadata: { name: 'foo3' }, status: { conditions: [ready, ready] } }, ['foo3', 'Ready', '<none>', '<unknown>', '']],
    [{ metadata: { name: 'foo4' }, status: { conditions: [notReady] } }, ['foo4', 'NotReady', '<none>', '<unknown>', '']],
    [{ metadata: { name: 'foo5' }, spec: { unschedulable: true }, status: { conditions: [notReady] } }, ['foo5', 'NotReady,SchedulingDisabled', '<none>', '<unknown>', '']],
    [{ metadata: { name: 'foo6' }, status: { conditions: [{ type: 'InvalidValue', status: 'True' }] } }, ['foo6', 'Unknown', '<none>', '<unknown>', '']],
    [{ metadata: { name: 'foo7' }, status: { conditions: [{}] } }, ['foo7', 'Unknown', '<none>', '<unknown>', '']],
    [{ metadata: { name: 'foo8' }, spec: { unschedulable: true }, status: { conditions: [{ type: 'InvalidValue', status: 'True' }] } }, ['foo8', 'Unknown,SchedulingDisabled', '<none>', '<unknown>', '']],
    [{ metadata: { name: 'kubelet-down' }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }, ['kubelet-down', 'NotReady', '<none>', '<unknown>', '']],
    [
      {
        metadata: {
          name: 'foo10',
          labels: { 'node-role.kubernetes.io/master': '', 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/proxy': '', 'kubernetes.io/role': 'node' },
        },
      },
      ['foo10', 'Unknown', 'control-plane,master,node,proxy', '<unknown>', ''],
    ],
    [{ metadata: { name: 'foo11', labels: { 'kubernetes.io/role': 'node' } } }, ['foo11', 'Unknown', 'node', '<unknown>', '']],
    [{ metadata: { name: '127.0.0.1' }, status: {} }, ['127.0.0.1', 'Unknown', '<none>', '<unknown>', '']],
    [{ metadata: { name: '' }, status: {} }, ['', 'Unknown', '<none>', '<unknown>', '']],
  ];
  for (const [node, want] of cases) {
    const cells = nodePrinter.cells(node, NOW);
    assert.deepEqual(cells.slice(0, 5), want);
    assert.deepEqual(cells.slice(5), unknownWide);
  }
});

// TestPrintNodeOSImage / KernelVersion / ContainerRuntimeVersion / ExternalIP / InternalIP.
test('printNode wide columns', () => {
  const ext = (a: string) => ({ type: 'ExternalIP', address: a });
  const int = (a: string) => ({ type: 'InternalIP', address: a });
  const cases: [object, unknown[]][] = [
    [{ nodeInfo: { osImage: 'fake-os-image' }, addresses: [ext('1.1.1.1')] }, ['<none>', '1.1.1.1', 'fake-os-image', '<unknown>', '<unknown>']],
    [{ nodeInfo: { kernelVersion: 'fake-kernel-version' }, addresses: [ext('1.1.1.1')] }, ['<none>', '1.1.1.1', '<unknown>', 'fake-kernel-version', '<unknown>']],
    [{ nodeInfo: { containerRuntimeVersion: 'foo://1.2.3' }, addresses: [ext('1.1.1.1')] }, ['<none>', '1.1.1.1', '<unknown>', '<unknown>', 'foo://1.2.3']],
    [{ addresses: [int('1.1.1.1')] }, ['1.1.1.1', '<none>', '<unknown>', '<unknown>', '<unknown>']],
    [{ addresses: [ext('2.2.2.2'), int('3.3.3.3'), ext('4.4.4.4')] }, ['3.3.3.3', '2.2.2.2', '<unknown>', '<unknown>', '<unknown>']],
    [{ addresses: [int('2.2.2.2'), ext('3.3.3.3'), int('4.4.4.4')] }, ['2.2.2.2', '3.3.3.3', '<unknown>', '<unknown>', '<unknown>']],
  ];
  for (const [status, want] of cases) {
    assert.deepEqual(nodePrinter.cells({ metadata: { name: 'n' }, status }, NOW).slice(5), want);
  }
});

test('printNode realistic kind-style node', () => {
  const node = {
    metadata: { name: 'kind-control-plane', creationTimestamp: ago(3 * DAY), labels: { 'node-role.kubernetes.io/control-plane': '' } },
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False' },
        { type: 'Ready', status: 'True' },
      ],
      addresses: [
        { type: 'InternalIP', address: '172.18.0.2' },
        { type: 'Hostname', address: 'kind-control-plane' },
      ],
      nodeInfo: { kubeletVersion: 'v1.32.5', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.8.0-1', containerRuntimeVersion: 'containerd://2.1.1' },
    },
  };
  assert.deepEqual(nodePrinter.cells(node, NOW), [
    'kind-control-plane',
    'Ready',
    'control-plane',
    '3d',
    'v1.32.5',
    '172.18.0.2',
    '<none>',
    'Debian GNU/Linux 12 (bookworm)',
    '6.8.0-1',
    'containerd://2.1.1',
  ]);
});
