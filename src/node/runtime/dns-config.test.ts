import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatResolvConf, managedHostsFile, parseResolvConf, podDNSConfig, podUtsHostname } from './dns-config.js';
import type { Pod, PodSpec } from '../../api/types/core/v1.js';

const cluster = { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local' };
const host = parseResolvConf('# host\nnameserver 10.255.255.53\nnameserver 1.1.1.1\nsearch corp.example lab.example.\noptions edns0 ndots:1\n');
const pod = (spec: Partial<PodSpec> = {}, name = 'web-0', ns = 'shop'): Pod => ({ metadata: { name, namespace: ns }, spec: { containers: [], ...spec } });

describe('pod resolv.conf (kubelet dns.go)', () => {
  it('parses the node resolv.conf', () => {
    assert.deepEqual(host, { servers: ['10.255.255.53', '1.1.1.1'], searches: ['corp.example', 'lab.example'], options: ['edns0', 'ndots:1'] });
  });
  it('ClusterFirst: cluster DNS, namespace search path plus the node searches, ndots:5', () => {
    assert.equal(
      formatResolvConf(podDNSConfig(pod(), cluster, host)),
      'search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\nnameserver 10.96.0.10\noptions ndots:5\n',
    );
  });
  it('Default, and ClusterFirst on hostNetwork: the node config', () => {
    const want = 'search corp.example lab.example\nnameserver 10.255.255.53\nnameserver 1.1.1.1\noptions edns0 ndots:1\n';
    assert.equal(formatResolvConf(podDNSConfig(pod({ dnsPolicy: 'Default' }), cluster, host)), want);
    assert.equal(formatResolvConf(podDNSConfig(pod({ hostNetwork: true }), cluster, host)), want);
    assert.match(formatResolvConf(podDNSConfig(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), cluster, host)), /nameserver 10\.96\.0\.10/);
  });
  it('None + dnsConfig; ClusterFirst merges dnsConfig (dedup, options override by name)', () => {
    const none = podDNSConfig(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.2.3.4'], searches: ['ns1.svc.cluster-domain.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }), cluster, host);
    assert.equal(formatResolvConf(none), 'search ns1.svc.cluster-domain.example\nnameserver 1.2.3.4\noptions ndots:2 edns0\n');
    const merged = podDNSConfig(pod({ dnsConfig: { nameservers: ['10.96.0.10', '9.9.9.9'], searches: ['cluster.local', 'x.example'], options: [{ name: 'ndots', value: '1' }, { name: 'single-request' }] } }), cluster, host);
    assert.deepEqual(merged.servers, ['10.96.0.10', '9.9.9.9']);
    assert.deepEqual(merged.searches, ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example', 'x.example']);
    assert.deepEqual(merged.options, ['ndots:1', 'single-request']);
  });
  it('at most 3 nameservers', () => {
    const cfg = podDNSConfig(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4'] } }), cluster, host);
    assert.deepEqual(cfg.servers, ['1.1.1.1', '2.2.2.2', '3.3.3.3']);
  });
});

describe('managed /etc/hosts', () => {
  it('has the pod hostname, and the FQDN with a subdomain, then host aliases', () => {
    const plain = managedHostsFile(pod(), ['10.244.1.2'], 'cluster.local');
    assert.equal(
      plain,
      '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n10.244.1.2\tweb-0\n',
    );
    const sub = managedHostsFile(pod({ hostname: 'db', subdomain: 'nodes', hostAliases: [{ ip: '1.2.3.4', hostnames: ['a', 'b'] }] }), ['10.244.1.3'], 'cluster.local');
    assert.ok(sub.endsWith('10.244.1.3\tdb.nodes.shop.svc.cluster.local\tdb\n\n# Entries added by HostAliases.\n1.2.3.4\ta\tb\n'));
  });
  it('UTS hostname: spec.hostname or the name; the FQDN with setHostnameAsFQDN', () => {
    assert.equal(podUtsHostname(pod(), 'cluster.local'), 'web-0');
    assert.equal(podUtsHostname(pod({ hostname: 'db', subdomain: 's', setHostnameAsFQDN: true }), 'cluster.local'), 'db.s.shop.svc.cluster.local');
  });
});
