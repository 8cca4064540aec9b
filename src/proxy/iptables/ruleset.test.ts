// iptables rendering against upstream expectations: the nat table of TestNonLocalExternalIPs
// (pkg/proxy/iptables/proxier_test.go, ns1/svc1 with two endpoints; its externalIP lines left
// out by leaving the externalIP out), the affinity variant, and the probability format.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stateFromObjects } from '../state.js';
import { svc, slice } from '../testdata/fixtures.js';
import { probability, renderIptablesRestore, LARGE_CLUSTER_ENDPOINTS_THRESHOLD } from './ruleset.js';
import type { ProxyNodeConfig } from '../plan.js';

const cfg: ProxyNodeConfig = { family: 'IPv4', nodeName: 'test-node', nodeLabels: {}, podCIDR: '10.0.0.0/8' };
const p80 = [{ name: 'p80', port: 80, protocol: 'TCP' as const }];

function natLines(text: string): string[] {
  const nat = text.slice(text.indexOf('*nat'));
  return nat.split('\n').filter((l) => l !== '' && l !== '*nat' && l !== 'COMMIT').sort();
}

describe('iptables ruleset', () => {
  it('matches upstream TestNonLocalExternalIPs nat rules', () => {
    const state = stateFromObjects(
      [svc('ns1', 'svc1', { clusterIP: '172.30.0.41', ports: [{ name: 'p80', port: 80, protocol: 'TCP' }] })],
      [slice('ns1', 'svc1', 1, [{ addresses: ['10.180.0.1'] }, { addresses: ['10.180.2.1'] }], p80)],
      'IPv4', 'test-node',
    );
    const expected = `
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
:KUBE-SEP-ZX7GRIZKSNUQ3LAJ - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
-A KUBE-SEP-ZX7GRIZKSNUQ3LAJ -m comment --comment ns1/svc1:p80 -s 10.180.2.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZX7GRIZKSNUQ3LAJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.2.1:80
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-SXIVWICOYRO3J4NJ
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.2.1:80" -j KUBE-SEP-ZX7GRIZKSNUQ3LAJ
`;
    assert.deepEqual(natLines(renderIptablesRestore(state, cfg).text), expected.split('\n').filter(Boolean).sort());
  });

  it('ClientIP affinity uses -m recent with the timeout, as upstream (ns5/svc5)', () => {
    const state = stateFromObjects(
      [svc('ns5', 'svc5', { clusterIP: '172.30.0.45', sessionAffinity: 'ClientIP', ports: [{ name: 'p80', port: 80, protocol: 'TCP' }] })],
      [slice('ns5', 'svc5', 1, [{ addresses: ['10.180.0.3'] }], p80)],
      'IPv4', 'test-node',
    );
    const text = renderIptablesRestore(state, cfg).text;
    assert.match(text, /^-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5\/svc5:p80 -> 10\.180\.0\.3:80" -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --rcheck --seconds 10800 --reap -j KUBE-SEP-I77PXRDZVX7PMWMN$/m);
    assert.match(text, /^-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5\/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10\.180\.0\.3:80$/m);
  });

  it('formats probabilities with %0.10f and drops endpoint comments in large clusters', () => {
    assert.equal(probability(2), '0.5000000000');
    assert.equal(probability(3), '0.3333333333');
    assert.equal(probability(7), '0.1428571429');
    const n = LARGE_CLUSTER_ENDPOINTS_THRESHOLD + 1;
    const eps = Array.from({ length: n }, (_, i) => ({ addresses: [`10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`] }));
    const state = stateFromObjects(
      [svc('ns', 'big', { clusterIP: '172.30.0.50', ports: [{ name: 'p', port: 80, protocol: 'TCP' }] })],
      [slice('ns', 'big', 1, eps, [{ name: 'p', port: 80, protocol: 'TCP' }])],
      'IPv4', 'test-node',
    );
    const text = renderIptablesRestore(state, cfg).text;
    assert.ok(!/-A KUBE-SEP-\S+ -m comment/.test(text));
    assert.match(text, /--probability 0\.0009990010 -j KUBE-SEP-/);
  });
});
