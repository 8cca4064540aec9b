import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AlreadyAllocatedError, NotInRangeError, RangeFullError } from './errors.js';
import { NodePortRange, parsePortRange } from './node-port.js';

describe('parsePortRange', () => {
  it('parses the notations ParsePortRange accepts', () => {
    assert.deepEqual(parsePortRange('30000-32767'), { base: 30000, size: 2768 });
    assert.deepEqual(parsePortRange(' 30000+100 '), { base: 30000, size: 101 });
    assert.deepEqual(parsePortRange('8080'), { base: 8080, size: 1 });
    assert.deepEqual(parsePortRange(''), { base: 0, size: 0 });
  });

  it('rejects bad strings with upstream texts', () => {
    assert.throws(() => parsePortRange('abc'), { message: 'strconv.Atoi: parsing "abc": invalid syntax' });
    assert.throws(() => parsePortRange('30000-'), { message: 'strconv.Atoi: parsing "": invalid syntax' });
    assert.throws(() => parsePortRange('1+2-3'), { message: 'unable to parse port range: 1+2-3' });
    assert.throws(() => parsePortRange('30000-70000'), { message: 'the port range cannot be greater than 65535: 30000-70000' });
    assert.throws(() => parsePortRange('32767-30000'), { message: 'end port cannot be less than start port: 32767-30000' });
    assert.throws(() => parsePortRange('99999999999999999999'), {
      message: 'strconv.Atoi: parsing "99999999999999999999": value out of range',
    });
  });
});

describe('NodePortRange', () => {
  it('band math (KEP 3668)', () => {
    const cases: Array<[string, number, number]> = [
      ['30000-32767', 2768, 86],
      ['20000-32767', 12768, 128],
      ['30000-30015', 16, 0],
      ['30000-30016', 17, 16],
      ['30000-30999', 1000, 31],
    ];
    for (const [spec, size, offset] of cases) {
      const r = new NodePortRange(spec);
      assert.equal(r.size, size, spec);
      assert.equal(r.offset, offset, spec);
      assert.equal(r.rangeSpec, spec);
    }
  });

  it('prefers 30086-32767 and falls back to the static band 30000-30085', () => {
    const r = new NodePortRange('30000-32767');
    const ports = new Set<number>();
    for (let i = 0; i < 2768 - 86; i++) {
      const p = r.allocateNext();
      assert.ok(p >= 30086 && p <= 32767, `${p} in dynamic band`);
      ports.add(p);
    }
    for (let i = 0; i < 86; i++) {
      const p = r.allocateNext();
      assert.ok(p >= 30000 && p <= 30085, `${p} in static band`);
      ports.add(p);
    }
    assert.equal(ports.size, 2768);
    assert.throws(() => r.allocateNext(), (e: unknown) => e instanceof RangeFullError && e.message === 'range is full');
  });

  it('injected random start', () => {
    const r = new NodePortRange('30000-32767', { random: () => 0 });
    assert.equal(r.allocateNext(), 30086);
    assert.equal(r.allocateNext(), 30087);
  });

  it('specific ports with upstream error texts', () => {
    const r = new NodePortRange();
    r.allocate(30080);
    assert.throws(() => r.allocate(30080), (e: unknown) => e instanceof AlreadyAllocatedError && e.message === 'provided port is already allocated');
    assert.throws(
      () => r.allocate(80),
      (e: unknown) =>
        e instanceof NotInRangeError && e.message === 'provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    assert.throws(() => r.allocate(32768), NotInRangeError);
    r.release(30080);
    r.release(80);
    assert.equal(r.used(), 0);
  });

  it('snapshot/restore round trip in Go big.Int byte order', () => {
    const r = new NodePortRange();
    r.allocate(30000);
    r.allocate(30009);
    r.allocate(32767);
    const snap = r.snapshot();
    assert.equal(snap.length, Math.ceil(2768 / 8));
    assert.equal(snap[snap.length - 1], 0x01);
    assert.equal(snap[snap.length - 2], 0x02);
    const r2 = new NodePortRange();
    r2.restore(snap);
    assert.equal(r2.used(), 3);
    assert.ok(r2.has(32767) && r2.has(30009) && r2.has(30000));
    assert.equal(r2.has(30001), false);
  });

  it('dry run mirrors PortAllocationOperation', () => {
    const r = new NodePortRange();
    r.allocate(30080);
    assert.throws(() => r.dryRunAllocate(30080, []), AlreadyAllocatedError);
    assert.throws(() => r.dryRunAllocate(30081, [30081]), AlreadyAllocatedError);
    assert.doesNotThrow(() => r.dryRunAllocate(30081, []));
    assert.equal(r.dryRunAllocateNext([]), 32769);
    assert.equal(r.dryRunAllocateNext([32769, 30001]), 32770);
    assert.equal(r.used(), 1);
  });
});
