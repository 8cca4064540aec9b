import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cidrContains, cidrIPAt, cidrsOverlap, formatIP, parseCIDR, parseIP } from '../../util/ip.js';
import * as d from './cluster.js';

// The defaults depend on each other; changing one without the others breaks the cluster.
test('cluster defaults agree with each other', () => {
  const svc = parseCIDR(d.DEFAULT_SERVICE_CIDR)!;
  const pods = parseCIDR(d.DEFAULT_POD_CIDR)!;
  const nodes = parseCIDR(d.NODE_NETWORK_CIDR)!;
  for (const c of [svc, pods, nodes]) assert.ok(c);
  assert.equal(formatIP(cidrIPAt(svc, 1n)!), d.DEFAULT_KUBERNETES_SERVICE_IP);
  assert.equal(formatIP(cidrIPAt(svc, 10n)!), d.DEFAULT_DNS_SERVICE_IP);
  assert.equal(formatIP(cidrIPAt(nodes, 1n)!), d.CONTROL_PLANE_ADDRESS);
  assert.ok(!cidrsOverlap(svc, pods) && !cidrsOverlap(svc, nodes) && !cidrsOverlap(pods, nodes));
  assert.ok(d.POD_CIDR_NODE_MASK_SIZE > pods.prefix && d.POD_CIDR_NODE_MASK_SIZE <= 32);
  const [first, last] = d.DEFAULT_LOAD_BALANCER_POOL.split('-').map((t) => parseIP(t)!);
  assert.ok(first && last && cidrContains(nodes, first) && cidrContains(nodes, last));
  const [lo, hi] = d.DEFAULT_NODE_PORT_RANGE.split('-').map(Number);
  assert.equal(d.DEFAULT_NODE_PORT_BASE, lo);
  assert.equal(d.DEFAULT_NODE_PORT_SIZE, hi! - lo! + 1);
  assert.match(d.CLUSTER_DOMAIN, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/);
});
