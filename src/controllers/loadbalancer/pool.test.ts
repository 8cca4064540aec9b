import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LB_POOL, describePool, firstFree, parsePool, poolContains, poolHasFamily } from './pool.js';

test('the default pool is 172.18.255.200-250 of the node network', () => {
  const pool = parsePool(DEFAULT_LB_POOL);
  assert.equal(describePool(pool), 'default (172.18.255.200-172.18.255.250)');
  assert.ok(poolContains(pool, '172.18.255.200'));
  assert.ok(poolContains(pool, '172.18.255.250'));
  assert.ok(!poolContains(pool, '172.18.255.199'));
  assert.ok(!poolContains(pool, '172.18.255.251'));
  assert.ok(!poolContains(pool, 'not-an-ip'));
  assert.ok(poolHasFamily(pool, 'IPv4'));
  assert.ok(!poolHasFamily(pool, 'IPv6'));
});

test('ranges, CIDRs and single IPs of both families, also comma-separated', () => {
  const pool = parsePool(['10.0.0.0/30, 192.0.2.7', '2001:db8::10-2001:db8::1f', 'fd00::/126'], 'mixed');
  assert.deepEqual(
    pool.ranges.map((r) => [r.family, r.text]),
    [
      ['IPv4', '10.0.0.0/30'],
      ['IPv4', '192.0.2.7'],
      ['IPv6', '2001:db8::10-2001:db8::1f'],
      ['IPv6', 'fd00::/126'],
    ],
  );
  for (const ip of ['10.0.0.0', '10.0.0.3', '192.0.2.7', '2001:db8::10', '2001:db8::1f', 'fd00::3', '2001:DB8::0010'])
    assert.ok(poolContains(pool, ip), ip);
  for (const ip of ['10.0.0.4', '192.0.2.8', '2001:db8::20', 'fd00::4']) assert.ok(!poolContains(pool, ip), ip);
});

test('a huge IPv6 CIDR is never enumerated', () => {
  const pool = parsePool('2001:db8::/64');
  const used = new Set(['2001:db8::', '2001:db8::1']);
  assert.equal(firstFree(pool, 'IPv6', (ip) => used.has(ip)), '2001:db8::2');
  assert.equal(firstFree(pool, 'IPv4', () => false), undefined);
});

test('firstFree takes the lowest free address, ranges in configured order', () => {
  const pool = parsePool(['172.18.255.210-172.18.255.211', '172.18.255.200-172.18.255.201']);
  const used = new Set<string>();
  const take = () => {
    const ip = firstFree(pool, 'IPv4', (x) => used.has(x));
    if (ip) used.add(ip);
    return ip;
  };
  assert.deepEqual([take(), take(), take(), take(), take()], ['172.18.255.210', '172.18.255.211', '172.18.255.200', '172.18.255.201', undefined]);
  used.delete('172.18.255.211');
  assert.equal(take(), '172.18.255.211');
});

test('bad entries are refused with the entry named', () => {
  const cases: [string | string[], RegExp][] = [
    ['10.0.0.5-10.0.0.1', /"10.0.0.5-10.0.0.1": the range ends before it starts/],
    ['10.0.0.1-2001:db8::1', /one IP family/],
    ['10.0.0.0/33', /"10.0.0.0\/33": not a valid CIDR/],
    ['banana', /"banana": expected a range/],
    ['10.0.0.1-x', /both ends/],
    [[], /no addresses given/],
    [['10.0.0.0/30', '10.0.0.2-10.0.0.9'], /10.0.0.0\/30 overlaps 10.0.0.2-10.0.0.9/],
  ];
  for (const [entries, re] of cases) assert.throws(() => parsePool(entries), re, String(entries));
});
