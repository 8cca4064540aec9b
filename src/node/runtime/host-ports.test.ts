import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostPortMappings, hostPortRuleset } from './host-ports.js';
import type { Pod } from '../../api/types/core/v1.js';

describe('hostPort rules', () => {
  const pod: Pod = {
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, hostPort: 5353, protocol: 'UDP', hostIP: '172.18.0.11' }, { containerPort: 9 }] }] },
  };
  it('maps only ports with a hostPort, and none for hostNetwork Pods', () => {
    assert.deepEqual(hostPortMappings(pod, '10.244.1.2'), [
      { protocol: 'tcp', hostPort: 8080, hostIP: undefined, podIP: '10.244.1.2', containerPort: 80 },
      { protocol: 'udp', hostPort: 5353, hostIP: '172.18.0.11', podIP: '10.244.1.2', containerPort: 53 },
    ]);
    assert.deepEqual(hostPortMappings({ ...pod, spec: { ...pod.spec!, hostNetwork: true } }, '172.18.0.11'), []);
  });
  it('replaces the whole table atomically; an empty set only deletes it', () => {
    const r = hostPortRuleset(hostPortMappings(pod, '10.244.1.2'));
    assert.ok(r.startsWith('add table ip svcnet-hostports\ndelete table ip svcnet-hostports\ntable ip svcnet-hostports {\n'));
    assert.ok(r.includes('fib daddr type local ip daddr != 127.0.0.0/8 tcp dport 8080 dnat to 10.244.1.2:80'));
    assert.ok(r.includes('ip daddr 172.18.0.11 udp dport 5353 dnat to 10.244.1.2:53'));
    assert.equal(hostPortRuleset([]), 'add table ip svcnet-hostports\ndelete table ip svcnet-hostports\n');
  });
});
