import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterIPRange, parseServiceClusterIPRanges } from './cluster-ip.js';
import { AlreadyAllocatedError, InvalidValueError, NotInRangeError, RangeFullError } from './errors.js';
import { canonicalIP as strictCanonicalIP } from '../util/ip.js';
const canonicalIP = (text: string) => strictCanonicalIP(text, { sloppy: true });

/** A scripted random source: returns the given starts in turn (clamped into [0, n)). */
function scripted(...starts: number[]) {
  let i = 0;
  return (n: number) => Math.min(starts[i++ % starts.length]!, n - 1);
}

describe('ClusterIPRange band math (KEP 3070)', () => {
  const cases: Array<[string, number, number, string, string]> = [
    // cidr, usable size, static band size, first static IP, last static IP
    ['10.96.0.0/12', 1048574, 256, '10.96.0.1', '10.96.1.0'],
    ['10.96.0.0/16', 65534, 256, '10.96.0.1', '10.96.1.0'],
    ['10.0.0.0/24', 254, 16, '10.0.0.1', '10.0.0.16'],
    ['10.0.0.0/28', 14, 0, '', ''],
    ['fd00::/108', 65535, 256, 'fd00::1', 'fd00::100'],
    ['fd00::/120', 255, 16, 'fd00::1', 'fd00::10'],
  ];
  for (const [cidr, size, offset, first, last] of cases) {
    it(cidr, () => {
      const r = new ClusterIPRange(cidr);
      assert.equal(r.size, size);
      assert.equal(r.offset, offset);
      assert.equal(r.free(), size);
      if (offset) {
        assert.equal(r.ipAt(0), first);
        assert.equal(r.ipAt(offset - 1), last);
      }
    });
  }

  it('IPv6 /64 is capped at 65536 addresses (only the network address excluded)', () => {
    const r = new ClusterIPRange('fd00:10:96::/64', { skipSizeCheck: true });
    assert.equal(r.size, 65535);
    assert.equal(r.offset, 256);
    assert.equal(r.ipAt(65534), 'fd00:10:96::ffff');
    assert.equal(r.contains('fd00:10:96::1:0'), false, 'beyond the cap');
    assert.equal(r.contains('fd00:10:96::ffff'), true);
  });

  it('IPv4 excludes network and broadcast addresses', () => {
    const r = new ClusterIPRange('10.0.0.0/24');
    assert.equal(r.contains('10.0.0.0'), false);
    assert.equal(r.contains('10.0.0.255'), false);
    assert.equal(r.contains('10.0.0.254'), true);
    assert.equal(new ClusterIPRange('10.0.0.0/32').size, 0);
    assert.equal(new ClusterIPRange('10.0.0.0/31').size, 0);
  });

  it('rejects too-large ranges with kube-apiserver flag validation texts', () => {
    assert.throws(() => new ClusterIPRange('10.0.0.0/8'), {
      message: 'specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12',
    });
    assert.throws(() => new ClusterIPRange('fd00::/64'), {
      message: 'specified --service-cluster-ip-range is too large; for 128-bit addresses, the mask must be >= 108',
    });
    assert.throws(() => new ClusterIPRange('fd00::/100', { flag: '--service-cluster-ip-range[1]' }), {
      message: 'specified --service-cluster-ip-range[1] is too large; for 128-bit addresses, the mask must be >= 108',
    });
    assert.throws(() => new ClusterIPRange('10.0.0.0'), { message: 'invalid CIDR address: 10.0.0.0' });
  });

  it('canonicalizes the CIDR (host bits masked)', () => {
    assert.equal(new ClusterIPRange('10.96.7.9/12').cidr, '10.96.0.0/12');
    assert.equal(new ClusterIPRange('FD00:0:0::5/108').cidr, 'fd00::/108');
  });

  it('parses dual-stack flag values', () => {
    assert.deepEqual(parseServiceClusterIPRanges('10.96.0.0/12,fd00::/108'), ['10.96.0.0/12', 'fd00::/108']);
    assert.throws(() => parseServiceClusterIPRanges('10.96.0.0/12,10.100.0.0/16'), /must be of different IP family/);
    assert.throws(() => parseServiceClusterIPRanges('10.0.0.0/8'), /mask must be >= 12/);
    assert.throws(() => parseServiceClusterIPRanges('a/1,b/2,c/3'), /must not contain more than two entries/);
  });
});

describe('ClusterIPRange allocation', () => {
  it('allocateNext fills the upper band first, then the static band, then is full', () => {
    const r = new ClusterIPRange('10.0.0.0/24');
    const seen = new Set<string>();
    for (let i = 0; i < 254 - 16; i++) {
      const ip = r.allocateNext();
      const last = Number(ip.split('.')[3]);
      assert.ok(last > 16 && last < 255, `${ip} should be in the dynamic band`);
      seen.add(ip);
    }
    for (let i = 0; i < 16; i++) {
      const ip = r.allocateNext();
      const last = Number(ip.split('.')[3]);
      assert.ok(last >= 1 && last <= 16, `${ip} should be in the static band`);
      seen.add(ip);
    }
    assert.equal(seen.size, 254);
    assert.equal(r.free(), 0);
    assert.throws(() => r.allocateNext(), (e: unknown) => e instanceof RangeFullError && e.message === 'range is full');
  });

  it('starts at a random point of the upper band and scans forward with wrap', () => {
    const r = new ClusterIPRange('10.0.0.0/24', { random: scripted(237, 237, 0) });
    // upper band is indexes [16, 254): start 16 + 237 = 253 -> 10.0.0.254
    assert.equal(r.allocateNext(), '10.0.0.254');
    // same start, taken: wraps to the band start (index 16) -> 10.0.0.17
    assert.equal(r.allocateNext(), '10.0.0.17');
    assert.equal(r.allocateNext(), '10.0.0.18');
  });

  it('uses the whole range when there is no static band (/28)', () => {
    const r = new ClusterIPRange('10.0.0.0/28', { random: () => 0 });
    assert.equal(r.allocateNext(), '10.0.0.1');
  });

  it('allocates specific IPs anywhere in range, with upstream error texts', () => {
    const r = new ClusterIPRange('10.96.0.0/12');
    r.allocate('10.96.0.10'); // static band
    r.allocate('10.100.3.4');
    assert.equal(r.has('10.96.0.10'), true);
    assert.equal(r.used(), 2);
    assert.throws(() => r.allocate('10.96.0.10'), (e: unknown) => e instanceof AlreadyAllocatedError && e.message === 'provided IP is already allocated');
    assert.throws(
      () => r.allocate('192.168.1.1'),
      (e: unknown) =>
        e instanceof NotInRangeError &&
        e.message === 'the provided IP (192.168.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
    assert.throws(() => r.allocate('10.111.255.255'), NotInRangeError, 'broadcast');
    assert.throws(() => r.allocate('fd00::1'), NotInRangeError, 'other family');
    assert.throws(() => r.allocate('nope'), (e: unknown) => e instanceof InvalidValueError && e.message === 'failed to parse service IP "nope"');
    r.release('10.96.0.10');
    r.release('10.96.0.10');
    r.release('1.2.3.4');
    assert.equal(r.has('10.96.0.10'), false);
    assert.equal(r.used(), 1);
  });

  it('treats IPv4 texts as Go does (leading zeros, IPv4-mapped IPv6)', () => {
    const r = new ClusterIPRange('10.96.0.0/16');
    r.allocate('10.96.000.011');
    assert.equal(r.has('10.96.0.11'), true);
    assert.equal(r.has('::ffff:10.96.0.11'), true);
    assert.equal(canonicalIP('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1');
    assert.equal(canonicalIP('2001:0db8:0000:0000:0001:0000:0000:0001'), '2001:db8::1:0:0:1');
    assert.equal(canonicalIP('FD00::0:1'), 'fd00::1');
    assert.equal(canonicalIP('::'), '::');
    assert.equal(canonicalIP('1:2:3:4:5:6:7::'), '1:2:3:4:5:6:7:0');
    assert.equal(canonicalIP('1:2:3:4:5:6:7:8::'), undefined);
    assert.equal(canonicalIP('256.1.1.1'), undefined);
  });

  it('refuses an IPv4 text followed by "::", which net.ParseIP rejects', () => {
    // The allocators' own parser read "1.2.3.4::5" as 102:304::5 and allocated it, and took
    // "1.2.3.4::/112" as a service CIDR.
    const r = new ClusterIPRange('102:304::/112');
    assert.throws(() => r.allocate('1.2.3.4::5'), (e: unknown) => e instanceof InvalidValueError && e.message === 'failed to parse service IP "1.2.3.4::5"');
    assert.throws(() => r.allocate('1.2.3.4::'), InvalidValueError);
    assert.throws(() => r.dryRunAllocate('1.2.3.4::5'), InvalidValueError);
    assert.equal(r.has('1.2.3.4::5'), false);
    assert.equal(r.used(), 0);
    r.allocate('102:304::5');
    assert.equal(r.has('102:304::5'), true);
    assert.throws(() => parseServiceClusterIPRanges('1.2.3.4::/112'), /^Error: invalid CIDR address: 1\.2\.3\.4::\/112$/);
    assert.throws(() => new ClusterIPRange('1.2.3.4::/112'), /invalid CIDR address/);
  });

  it('snapshots as Go big.Int bytes and restores', () => {
    const r = new ClusterIPRange('10.0.0.0/24');
    r.allocate('10.0.0.1'); // bit 0
    r.allocate('10.0.0.10'); // bit 9
    assert.deepEqual([...r.snapshot()], [0x02, 0x01]);
    const r2 = new ClusterIPRange('10.0.0.0/24');
    r2.restore(r.snapshot());
    assert.equal(r2.used(), 2);
    assert.equal(r2.has('10.0.0.10'), true);
    assert.equal(r2.has('10.0.0.2'), false);
    const all: string[] = [];
    r2.forEach((ip) => all.push(ip));
    assert.deepEqual(all, ['10.0.0.1', '10.0.0.10']);
    assert.deepEqual([...new ClusterIPRange('10.0.0.0/24').snapshot()], []);
  });

  it('dry run checks the range only and answers the network address for allocateNext', () => {
    const r = new ClusterIPRange('10.96.0.0/12');
    r.allocate('10.96.0.10');
    assert.doesNotThrow(() => r.dryRunAllocate('10.96.0.10'));
    assert.throws(() => r.dryRunAllocate('192.168.0.1'), NotInRangeError);
    assert.equal(r.dryRunAllocateNext(), '10.96.0.0');
    assert.equal(r.used(), 1);
  });
});
