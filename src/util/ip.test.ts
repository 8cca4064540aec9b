import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addToIP,
  canonicalIP,
  cidrContains,
  cidrIPAt,
  cidrLast,
  cidrOffsetOf,
  cidrSize,
  cidrsOverlap,
  compareIPs,
  formatCIDR,
  formatIP,
  ipFamilyOf,
  ipToBytes,
  isLinkLocalMulticast,
  isLinkLocalUnicast,
  isLoopback,
  isMulticast,
  isUnspecified,
  joinHostPort,
  parseCIDR,
  parseIP,
  parseIPSloppy,
  type IP,
} from './ip.js';

const must = (text: string, opts = {}): IP => {
  const ip = parseIP(text, opts);
  assert.ok(ip, `${text} should parse`);
  return ip;
};
const mustCIDR = (text: string) => {
  const c = parseCIDR(text);
  assert.ok(c, `${text} should parse`);
  return c;
};

test('parseIP: strict, sloppy and zoned forms → canonical text and family', () => {
  // [input, strict canonical (undefined: refused), sloppy canonical, family]
  const cases: [string, string | undefined, string | undefined, string | undefined][] = [
    ['1.2.3.4', '1.2.3.4', '1.2.3.4', 'IPv4'],
    ['0.0.0.0', '0.0.0.0', '0.0.0.0', 'IPv4'],
    ['255.255.255.255', '255.255.255.255', '255.255.255.255', 'IPv4'],
    ['256.1.1.1', undefined, undefined, undefined],
    ['1.2.3', undefined, undefined, undefined],
    ['1.2.3.4.5', undefined, undefined, undefined],
    ['1..3.4', undefined, undefined, undefined],
    ['1.2.3.4 ', undefined, undefined, undefined],
    ['+1.2.3.4', undefined, undefined, undefined],
    ['', undefined, undefined, undefined],
    // Leading zeros: refused since Go 1.17; decimal (not octal) in k8s.io/utils/net's sloppy parser.
    ['010.001.002.003', undefined, '10.1.2.3', 'IPv4'],
    ['00000001.2.3.4', undefined, '1.2.3.4', 'IPv4'],
    ['0255.1.1.1', undefined, '255.1.1.1', 'IPv4'],
    ['0256.1.1.1', undefined, undefined, undefined],
    ['::', '::', '::', 'IPv6'],
    ['::1', '::1', '::1', 'IPv6'],
    ['2001:DB8::0001', '2001:db8::1', '2001:db8::1', 'IPv6'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1', '2001:db8::1:0:0:1', 'IPv6'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1', '2001:0:0:1::1', 'IPv6'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1', 'IPv6'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0', '1:2:3:4:5:6:7:0', 'IPv6'],
    ['1:2:3:4:5:6:7:8:9', undefined, undefined, undefined],
    ['1:2:3:4:5:6:7:8::', undefined, undefined, undefined],
    ['1::2::3', undefined, undefined, undefined],
    [':1:2:3:4:5:6:7', undefined, undefined, undefined],
    ['1:::2', undefined, undefined, undefined],
    ['12345::', undefined, undefined, undefined],
    ['::1.2.3.4', '::102:304', '::102:304', 'IPv6'],
    ['1.2.3.4::', undefined, undefined, undefined],
    ['::1.2.3.4:5', undefined, undefined, undefined],
    // IPv4-mapped IPv6 is IPv4 (To4() != nil) and prints as IPv4.
    ['::ffff:1.2.3.4', '1.2.3.4', '1.2.3.4', 'IPv4'],
    ['::FFFF:0102:0304', '1.2.3.4', '1.2.3.4', 'IPv4'],
    ['::ffff:01.2.3.4', undefined, '1.2.3.4', 'IPv4'],
    // Zones only with allowZone.
    ['fe80::1%eth0', undefined, undefined, undefined],
    ['1.2.3.4%eth0', undefined, undefined, undefined],
  ];
  for (const [input, strict, sloppy, family] of cases) {
    assert.equal(canonicalIP(input), strict, `strict ${JSON.stringify(input)}`);
    assert.equal(canonicalIP(input, { sloppy: true }), sloppy, `sloppy ${JSON.stringify(input)}`);
    assert.equal(parseIPSloppy(input) && formatIP(parseIPSloppy(input)!), sloppy);
    assert.equal(ipFamilyOf(input, { sloppy: true }), family, `family ${JSON.stringify(input)}`);
  }
  assert.deepEqual(must('fe80::1%eth0', { allowZone: true }), { family: 'IPv6', value: (0xfe80n << 112n) | 1n, zone: 'eth0' });
  assert.equal(formatIP(must('FE80::1%eth0', { allowZone: true })), 'fe80::1%eth0');
  assert.equal(parseIP('fe80::1%', { allowZone: true }), undefined);
  assert.equal(parseIP('1.2.3.4%eth0', { allowZone: true }), undefined);
  assert.deepEqual(must('::ffff:1.2.3.4'), { family: 'IPv4', value: 0x01020304n, is4In6: true });
});

test('compare, add and bytes', () => {
  const sorted = ['::', '::1', '0.0.0.0', '10.0.0.1', '10.0.0.2', 'fe80::1', '9.0.0.0'].map((t) => must(t)).sort(compareIPs).map(formatIP);
  assert.deepEqual(sorted, ['0.0.0.0', '9.0.0.0', '10.0.0.1', '10.0.0.2', '::', '::1', 'fe80::1']);
  assert.equal(compareIPs(must('::ffff:1.2.3.4'), must('1.2.3.4')), 0);
  assert.equal(formatIP(addToIP(must('10.96.0.255'), 1n)!), '10.96.1.0');
  assert.equal(addToIP(must('255.255.255.255'), 1n), undefined);
  assert.equal(addToIP(must('0.0.0.0'), -1n), undefined);
  assert.equal(formatIP(addToIP(must('::'), (1n << 64n) + 5n)!), '::1:0:0:0:5');
  assert.equal(addToIP(must('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'), 1n), undefined);
  assert.deepEqual([...ipToBytes(must('10.1.2.3'))], [10, 1, 2, 3]);
  assert.deepEqual([...ipToBytes(must('2001:db8::ff'))], [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff]);
});

test('special ranges as Go net.IP judges them (IPv4-mapped counts as IPv4)', () => {
  // [ip, unspecified, loopback, linkLocalUnicast, linkLocalMulticast, multicast]
  const cases: [string, boolean, boolean, boolean, boolean, boolean][] = [
    ['0.0.0.0', true, false, false, false, false],
    ['::', true, false, false, false, false],
    ['127.0.0.1', false, true, false, false, false],
    ['127.255.255.254', false, true, false, false, false],
    ['::ffff:127.0.0.1', false, true, false, false, false],
    ['::1', false, true, false, false, false],
    ['::2', false, false, false, false, false],
    ['169.254.1.1', false, false, true, false, false],
    ['169.253.1.1', false, false, false, false, false],
    ['fe80::1', false, false, true, false, false],
    ['febf:ffff::1', false, false, true, false, false],
    ['fec0::1', false, false, false, false, false],
    ['224.0.0.251', false, false, false, true, true],
    ['224.0.1.1', false, false, false, false, true],
    ['239.1.1.1', false, false, false, false, true],
    ['ff02::1', false, false, false, true, true],
    ['ff12::1', false, false, false, true, true],
    ['ff05::1', false, false, false, false, true],
    ['10.0.0.1', false, false, false, false, false],
  ];
  for (const [t, u, lo, llu, llm, mc] of cases) {
    const ip = must(t);
    assert.deepEqual([isUnspecified(ip), isLoopback(ip), isLinkLocalUnicast(ip), isLinkLocalMulticast(ip), isMulticast(ip)], [u, lo, llu, llm, mc], t);
  }
});

test('parseCIDR: strict and sloppy, masking, canonical text', () => {
  // [input, strict, sloppy]
  const cases: [string, string | undefined, string | undefined][] = [
    ['10.96.0.0/12', '10.96.0.0/12', '10.96.0.0/12'],
    ['10.96.5.7/12', '10.96.0.0/12', '10.96.0.0/12'],
    ['0.0.0.0/0', '0.0.0.0/0', '0.0.0.0/0'],
    ['1.2.3.4/32', '1.2.3.4/32', '1.2.3.4/32'],
    ['1.2.3.4/33', undefined, undefined],
    ['1.2.3.4', undefined, undefined],
    ['1.2.3.4/', undefined, undefined],
    ['1.2.3.4/-1', undefined, undefined],
    ['1.2.3.4/ 8', undefined, undefined],
    ['010.0.0.0/8', undefined, '10.0.0.0/8'],
    ['10.0.0.0/08', undefined, '10.0.0.0/8'],
    ['2001:DB8::1/64', '2001:db8::/64', '2001:db8::/64'],
    ['::/0', '::/0', '::/0'],
    ['::1/128', '::1/128', '::1/128'],
    ['::1/129', undefined, undefined],
    ['fe80::1%eth0/64', undefined, undefined],
    // An IPv4-mapped prefix of /96 or longer prints (and behaves) as IPv4, as Go's net.IPNet does.
    ['::ffff:10.0.0.0/104', '10.0.0.0/8', '10.0.0.0/8'],
  ];
  for (const [input, strict, sloppy] of cases) {
    const s = parseCIDR(input);
    assert.equal(s && formatCIDR(s), strict, `strict ${input}`);
    const l = parseCIDR(input, { sloppy: true });
    assert.equal(l && formatCIDR(l), sloppy, `sloppy ${input}`);
  }
  assert.deepEqual(mustCIDR('10.96.5.7/12'), { family: 'IPv4', bits: 32, prefix: 12, network: 0x0a600000n, address: 0x0a600507n });
  assert.equal(mustCIDR('::ffff:10.0.0.0/104').family, 'IPv6');
});

test('CIDR contains, size, offsets and overlap', () => {
  const svc = mustCIDR('10.96.0.0/12');
  assert.equal(cidrSize(svc), 1n << 20n);
  assert.equal(formatIP(cidrIPAt(svc, 10n)!), '10.96.0.10');
  assert.equal(formatIP(cidrLast(svc)), '10.111.255.255');
  assert.equal(cidrIPAt(svc, 1n << 20n), undefined);
  assert.equal(cidrIPAt(svc, -1n), undefined);
  assert.equal(cidrOffsetOf(svc, must('10.96.0.10')), 10n);
  assert.equal(cidrOffsetOf(svc, must('::ffff:10.96.1.0')), 256n);
  assert.equal(cidrOffsetOf(svc, must('10.112.0.0')), undefined);

  const all4 = mustCIDR('0.0.0.0/0');
  assert.equal(cidrSize(all4), 1n << 32n);
  assert.ok(cidrContains(all4, must('255.255.255.255')));
  assert.ok(!cidrContains(all4, must('::1')));

  const host = mustCIDR('1.2.3.4/32');
  assert.equal(cidrSize(host), 1n);
  assert.ok(cidrContains(host, must('1.2.3.4')));
  assert.ok(!cidrContains(host, must('1.2.3.5')));

  const all6 = mustCIDR('::/0');
  assert.equal(cidrSize(all6), 1n << 128n);
  assert.ok(cidrContains(all6, must('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')));
  // Go's net.IPNet: an IPv4 (or IPv4-mapped) address is never in an IPv6 prefix like ::/0 …
  assert.ok(!cidrContains(all6, must('1.2.3.4')));
  assert.ok(!cidrContains(all6, must('::ffff:1.2.3.4')));
  // … but an IPv4-mapped prefix of /96 or longer is an IPv4 prefix.
  const mapped = mustCIDR('::ffff:10.0.0.0/104');
  assert.ok(cidrContains(mapped, must('10.255.0.1')));
  assert.ok(!cidrContains(mapped, must('11.0.0.1')));
  assert.equal(cidrOffsetOf(mapped, must('10.0.1.0')), 256n);
  assert.equal(formatIP(cidrIPAt(mapped, 256n)!), '10.0.1.0');

  const one = mustCIDR('2001:db8::1/128');
  assert.equal(cidrSize(one), 1n);
  assert.ok(cidrContains(one, must('2001:db8::1')));
  assert.ok(!cidrContains(one, must('2001:db8::2')));

  // Offsets beyond 2^64 stay exact.
  const big = mustCIDR('fd00::/8');
  const off = (1n << 100n) + 12345n;
  const ip = cidrIPAt(big, off)!;
  assert.equal(formatIP(ip), 'fd00:10::3039');
  assert.equal(cidrOffsetOf(big, ip), off);
  assert.equal(cidrIPAt(big, 1n << 120n), undefined);
  assert.equal(formatIP(cidrLast(big)), 'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');

  assert.ok(cidrsOverlap(mustCIDR('10.96.0.0/12'), mustCIDR('10.100.0.0/16')));
  assert.ok(cidrsOverlap(mustCIDR('10.100.0.0/16'), mustCIDR('10.96.0.0/12')));
  assert.ok(!cidrsOverlap(mustCIDR('10.96.0.0/12'), mustCIDR('10.244.0.0/16')));
  assert.ok(!cidrsOverlap(mustCIDR('0.0.0.0/0'), mustCIDR('::/0')));
});

test('joinHostPort', () => {
  assert.equal(joinHostPort('10.0.0.1', 80), '10.0.0.1:80');
  assert.equal(joinHostPort('fd00::1', '53'), '[fd00::1]:53');
  assert.equal(joinHostPort('example.com', 443), 'example.com:443');
});
