import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressProblem, endpointSliceAddressWarnings, MAX_ADDRESS_WARNINGS } from './warnings.js';

const clusterIPs: Record<string, string> = { '10.96.0.10': 'kube-system/kube-dns', 'fd00:10:96::a': 'default/web6' };
const owner = (ip: string) => clusterIPs[ip];

test('each kind of address the proxy skips is named', () => {
  const w = endpointSliceAddressWarnings(
    {
      addressType: 'IPv4',
      endpoints: [
        { addresses: ['10.244.1.5'] },
        { addresses: ['127.0.0.1', '10.96.0.10'] },
        { addresses: ['169.254.169.254'] },
        { addresses: ['0.0.0.0'] },
        { addresses: ['224.0.0.251'] },
        { addresses: ['010.096.000.010'] },
      ],
    },
    owner,
  );
  assert.deepEqual(w, [
    'endpoints[1].addresses[0]: 127.0.0.1 is in the loopback range (127.0.0.0/8, ::1/128); the proxy skips this endpoint',
    'endpoints[1].addresses[1]: 10.96.0.10 is the ClusterIP of Service kube-system/kube-dns, not a Pod address; the proxy skips this endpoint',
    'endpoints[2].addresses[0]: 169.254.169.254 is in the link-local range (169.254.0.0/16, fe80::/10); the proxy skips this endpoint',
    'endpoints[3].addresses[0]: 0.0.0.0 is unspecified (0.0.0.0); the proxy skips this endpoint',
    'endpoints[4].addresses[0]: 224.0.0.251 is in the link-local multicast range (224.0.0.0/24, ff02::/10); the proxy skips this endpoint',
    // Leading zeros are read as decimal (ParseIPSloppy); the lookup gets the canonical form.
    'endpoints[5].addresses[0]: 010.096.000.010 is the ClusterIP of Service kube-system/kube-dns, not a Pod address; the proxy skips this endpoint',
  ]);
});

test('IPv6 ranges as Go classifies them', () => {
  const cases: [string, RegExp | undefined][] = [
    ['::', /unspecified \(::\)/],
    ['::1', /loopback/],
    ['fe80::1', /link-local range/],
    ['febf:ffff::1', /link-local range/],
    ['fec0::1', undefined],
    ['ff02::fb', /link-local multicast/],
    ['ff12::1', /link-local multicast/],
    ['ff05::2', undefined],
    ['FD00:10:96:0:0:0:0:A', /ClusterIP of Service default\/web6/],
    ['2001:db8::1', undefined],
    ['not-an-ip', undefined],
  ];
  for (const [addr, want] of cases) {
    const got = addressProblem(addr, owner);
    if (want) assert.match(got ?? '', want, addr);
    else assert.equal(got, undefined, addr);
  }
});

test('FQDN slices and healthy addresses give no warnings', () => {
  assert.deepEqual(endpointSliceAddressWarnings({ addressType: 'FQDN', endpoints: [{ addresses: ['localhost'] }] }, owner), []);
  assert.deepEqual(endpointSliceAddressWarnings({ addressType: 'IPv4', endpoints: [{ addresses: ['10.244.0.7'] }, {}] }, owner), []);
  assert.deepEqual(endpointSliceAddressWarnings({ addressType: 'IPv6', endpoints: null }, owner), []);
  assert.deepEqual(endpointSliceAddressWarnings({}, owner), []);
});

test('many bad addresses are capped with a count of the rest', () => {
  const endpoints = Array.from({ length: MAX_ADDRESS_WARNINGS + 3 }, (_, i) => ({ addresses: [`127.0.0.${i + 1}`] }));
  const w = endpointSliceAddressWarnings({ addressType: 'IPv4', endpoints }, owner);
  assert.equal(w.length, MAX_ADDRESS_WARNINGS + 1);
  assert.equal(w.at(-1), 'endpoints: 3 more addresses the proxy skips');
});
