import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointSlicePrinter, endpointsPrinter, loadBalancerStatusStringer, servicePrinter } from './service.js';
import { MINUTE, NOW, ago } from './test-helpers.js';

const tcp80 = [{ port: 80, protocol: 'TCP' }];

// Cells: Name, Type, Cluster-IP, External-IP, Port(s), Age, Selector.
const serviceCases: [string, object, unknown[]][] = [
  // TestPrintServiceLoadBalancer (the server prints wide, so no clipping).
  [
    'LB with two ingress IPs',
    {
      metadata: { name: 'service1' },
      spec: { clusterIPs: ['1.2.3.4'], type: 'LoadBalancer', ports: tcp80 },
      status: { loadBalancer: { ingress: [{ ip: '2.3.4.5' }, { ip: '3.4.5.6' }] } },
    },
    ['service1', 'LoadBalancer', '1.2.3.4', '2.3.4.5,3.4.5.6', '80/TCP', '<unknown>', '<none>'],
  ],
  [
    'LB pending',
    {
      metadata: { name: 'service2' },
      spec: {
        clusterIPs: ['1.3.4.5'],
        type: 'LoadBalancer',
        ports: [
          { port: 80, protocol: 'TCP' },
          { port: 8090, protocol: 'UDP' },
          { port: 8000, protocol: 'TCP' },
          { port: 7777, protocol: 'SCTP' },
        ],
      },
    },
    ['service2', 'LoadBalancer', '1.3.4.5', '<pending>', '80/TCP,8090/UDP,8000/TCP,7777/SCTP', '<unknown>', '<none>'],
  ],
  [
    'LB wide, IP preferred over hostname',
    {
      metadata: { name: 'service4' },
      spec: { clusterIPs: ['1.5.6.7'], type: 'LoadBalancer', ports: tcp80, selector: { foo: 'bar' } },
      status: { loadBalancer: { ingress: [{ ip: '2.3.4.5' }, { ip: '3.4.5.6' }, { ip: '5.6.7.8', hostname: 'host5678' }] } },
    },
    ['service4', 'LoadBalancer', '1.5.6.7', '2.3.4.5,3.4.5.6,5.6.7.8', '80/TCP', '<unknown>', 'foo=bar'],
  ],
  [
    'LB with ingress and externalIPs, node ports',
    {
      metadata: { name: 'lb', creationTimestamp: ago(5 * MINUTE) },
      spec: {
        clusterIPs: ['10.96.0.20'],
        type: 'LoadBalancer',
        externalIPs: ['192.0.2.9'],
        ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }],
      },
      status: { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }, { ip: '198.51.100.2' }] } },
    },
    ['lb', 'LoadBalancer', '10.96.0.20', '198.51.100.2,lb.example.com,192.0.2.9', '443:31443/TCP', '5m', '<none>'],
  ],
  [
    'ClusterIP with two ports, selector sorted',
    {
      metadata: { name: 'web', creationTimestamp: ago(5_000) },
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10'],
        ports: [
          { port: 81, protocol: 'TCP' },
          { port: 80, protocol: 'TCP' },
        ],
        selector: { tier: 'front', app: 'web' },
      },
    },
    ['web', 'ClusterIP', '10.96.0.10', '<none>', '81/TCP,80/TCP', '5s', 'app=web,tier=front'],
  ],
  [
    'headless without ports',
    { metadata: { name: 'db' }, spec: { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] } },
    ['db', 'ClusterIP', 'None', '<none>', '<none>', '<unknown>', '<none>'],
  ],
  [
    'NodePort with externalIPs',
    {
      metadata: { name: 'np' },
      spec: { type: 'NodePort', clusterIPs: ['10.0.0.1'], externalIPs: ['1.1.1.1', '2.2.2.2'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] },
    },
    ['np', 'NodePort', '10.0.0.1', '1.1.1.1,2.2.2.2', '80:30080/TCP', '<unknown>', '<none>'],
  ],
  [
    'ExternalName',
    { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } },
    ['ext', 'ExternalName', '<none>', 'example.com', '<none>', '<unknown>', '<none>'],
  ],
];

test('printService', () => {
  for (const [name, svc, want] of serviceCases) assert.deepEqual(servicePrinter.cells(svc, NOW), want, name);
});

test('loadBalancerStatusStringer clips to 16 characters only when not wide', () => {
  const lb = { ingress: [{ ip: '2.3.4.5' }, { ip: '3.4.5.6' }, { ip: '5.6.7.8', hostname: 'host5678' }] };
  assert.equal(loadBalancerStatusStringer(lb, false), '2.3.4.5,3.4.5...');
  assert.equal(loadBalancerStatusStringer(lb, true), '2.3.4.5,3.4.5.6,5.6.7.8');
});

// TestPrintEndpoint plus IPv6 and multi-port subsets.
test('printEndpoints', () => {
  const cases: [object, unknown[]][] = [
    [{ metadata: { name: 'endpoint1', creationTimestamp: ago(-1900) } }, ['endpoint1', '<none>', '0s']],
    [
      { metadata: { name: 'endpoint3', creationTimestamp: ago(5 * MINUTE) }, subsets: [{ addresses: [{ ip: '1.2.3.4' }, { ip: '5.6.7.8' }] }] },
      ['endpoint3', '1.2.3.4,5.6.7.8', '5m'],
    ],
    [
      {
        metadata: { name: 'endpoint2', creationTimestamp: ago(-1900) },
        subsets: [{ addresses: [{ ip: '1.2.3.4' }, { ip: '5.6.7.8' }], ports: [{ port: 8001, protocol: 'tcp' }] }],
      },
      ['endpoint2', '1.2.3.4:8001,5.6.7.8:8001', '0s'],
    ],
    [
      {
        metadata: { name: 'endpoint2', creationTimestamp: ago(-1900) },
        subsets: [
          {
            addresses: [{ ip: '1.2.3.4' }, { ip: '5.6.7.8' }, { ip: '9.8.7.6' }, { ip: '6.6.6.6' }],
            ports: [{ port: 8001, protocol: 'tcp' }],
          },
        ],
      },
      ['endpoint2', '1.2.3.4:8001,5.6.7.8:8001,9.8.7.6:8001 + 1 more...', '0s'],
    ],
    [
      {
        metadata: { name: 'v6' },
        subsets: [
          {
            addresses: [{ ip: 'fd00::1' }, { ip: 'fd00::2' }],
            notReadyAddresses: [{ ip: 'fd00::3' }],
            ports: [
              { name: 'http', port: 80 },
              { name: 'https', port: 443 },
            ],
          },
        ],
      },
      ['v6', '[fd00::1]:80,[fd00::2]:80,[fd00::1]:443 + 1 more...', '<unknown>'],
    ],
  ];
  for (const [ep, want] of cases) assert.deepEqual(endpointsPrinter.cells(ep, NOW), want);
});

// TestPrintEndpointSlice plus the "*" / name / <unset> port rules.
test('printEndpointSlice', () => {
  const http = { name: 'http', port: 80, protocol: 'TCP' };
  const https = { name: 'https', port: 443, protocol: 'TCP' };
  const eps = [{ addresses: ['10.1.2.3', '2001:db8::1234:5678'] }, { addresses: ['10.2.3.4', '2001:db8::2345:6789'] }];
  const cases: [object, unknown[]][] = [
    [
      {
        metadata: { name: 'abcslice.123', creationTimestamp: ago(-1900) },
        addressType: 'IPv4',
        ports: [http],
        endpoints: [{ addresses: ['10.1.2.3', '2001:db8::1234:5678'] }],
      },
      ['abcslice.123', 'IPv4', '80', '10.1.2.3,2001:db8::1234:5678', '0s'],
    ],
    [
      { metadata: { name: 'longerslicename.123', creationTimestamp: ago(5 * MINUTE) }, addressType: 'IPv6', ports: [http, https], endpoints: eps },
      ['longerslicename.123', 'IPv6', '80,443', '10.1.2.3,2001:db8::1234:5678,10.2.3.4 + 1 more...', '5m'],
    ],
    [
      {
        metadata: { name: 'multiportslice.123', creationTimestamp: ago(5 * MINUTE) },
        addressType: 'IPv4',
        ports: [http, https, { name: 'extra1', port: 3000 }, { name: 'extra2', port: 3001 }],
        endpoints: eps,
      },
      ['multiportslice.123', 'IPv4', '80,443,3000 + 1 more...', '10.1.2.3,2001:db8::1234:5678,10.2.3.4 + 1 more...', '5m'],
    ],
    [
      { metadata: { name: 'empty' }, addressType: 'IPv4', ports: [], endpoints: [] },
      ['empty', 'IPv4', '<unset>', '<unset>', '<unknown>'],
    ],
    [
      { metadata: { name: 'odd' }, addressType: 'IPv4', ports: [{}, { name: 'named' }], endpoints: [{ addresses: ['10.0.0.1'] }] },
      ['odd', 'IPv4', '*,named', '10.0.0.1', '<unknown>'],
    ],
  ];
  for (const [slice, want] of cases) assert.deepEqual(endpointSlicePrinter.cells(slice, NOW), want);
});
