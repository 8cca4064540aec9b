// CRI log parsing and formatting, the kubelet's log-status decisions, and the log streamer on
// real files (no root needed).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePodLogOptions } from '../../api/pod-logs.js';
import { formatCriLine, formatTimeNanos, parseCriLine, parseTimeNanos, type CriLogEntry } from '../runtime/cri-log.js';
import { containerLogReadOptions, LogFormatter, streamLogFile, tailStart } from '../runtime/cri-log-reader.js';
import { containerLogInstance } from './container-status.js';
import { waitUntil } from '../../../test/helpers/wait.js';

describe('CRI log lines', () => {
  it('parses full and partial entries with nanosecond times in any offset', () => {
    assert.deepEqual(parseCriLine('2016-10-06T00:17:09.669794202Z stdout F log content 1'), {
      time: 1475713029669794202n,
      stream: 'stdout',
      partial: false,
      content: 'log content 1',
    });
    const p = parseCriLine('2016-10-06T02:17:09.5+02:00 stderr P:x part');
    assert.equal(p?.time, 1475713029500000000n);
    assert.equal(p?.partial, true);
    assert.equal(p?.content, 'part');
    assert.equal(parseCriLine('2016-10-06T00:17:09Z stdout F')?.content, '');
    assert.equal(parseCriLine('garbage'), undefined);
    assert.equal(parseCriLine('2016-10-06T00:17:09Z stdin F x'), undefined);
  });
  it('formats times as the kubelet: UTC, nine fraction digits', () => {
    assert.equal(formatTimeNanos(1475713029669794202n), '2016-10-06T00:17:09.669794202Z');
    assert.equal(formatTimeNanos(parseTimeNanos('2016-10-06T00:17:09Z')!), '2016-10-06T00:17:09.000000000Z');
    const e: CriLogEntry = { time: 5n, stream: 'stderr', partial: true, content: 'x' };
    assert.deepEqual(parseCriLine(formatCriLine(e).trimEnd()), e);
  });
  it('stamps only the start of a joined line and honours since and limitBytes', () => {
    const f = new LogFormatter({ timestamps: true });
    const out = [
      f.format({ time: 1n, stream: 'stdout', partial: true, content: 'a' }),
      f.format({ time: 2n, stream: 'stdout', partial: false, content: 'b' }),
    ];
    assert.equal(Buffer.concat(out).toString(), '1970-01-01T00:00:00.000000001Z ab\n');
    const since = new LogFormatter({ timestamps: false, since: 10n });
    assert.equal(since.format({ time: 9n, stream: 'stdout', partial: false, content: 'old' }).length, 0);
    assert.equal(since.format({ time: 10n, stream: 'stdout', partial: false, content: 'new' }).toString(), 'new\n');
    const lim = new LogFormatter({ timestamps: false, limitBytes: 4 });
    assert.equal(lim.format({ time: 1n, stream: 'stdout', partial: false, content: 'abc' }).toString(), 'abc\n');
    assert.ok(lim.exhausted);
    assert.equal(lim.format({ time: 1n, stream: 'stdout', partial: false, content: 'more' }).length, 0);
  });
  it('tail counts lines from the end', () => {
    assert.equal(tailStart(['a', 'b', 'c'], 2), 1);
    assert.equal(tailStart(['a'], 5), 0);
    assert.equal(tailStart(['a', 'b'], undefined), 0);
  });
});

describe('containerLogInstance (kubelet validateContainerLogStatus)', () => {
  const st = (state: object, lastState: object = {}) => ({ containerStatuses: [{ name: 'c', state, lastState }] });
  it('picks the running or last terminated instance', () => {
    assert.deepEqual(containerLogInstance('p', st({ running: {} }), 'c', false), { instance: 'current' });
    assert.deepEqual(containerLogInstance('p', st({ waiting: { reason: 'CrashLoopBackOff' } }, { terminated: { containerID: 'x' } }), 'c', false), { instance: 'previous' });
    assert.deepEqual(containerLogInstance('p', st({ running: {} }, { terminated: { containerID: 'x' } }), 'c', true), { instance: 'previous' });
  });
  it('refuses with the kubelet’s words', () => {
    assert.deepEqual(containerLogInstance('p', st({ running: {} }), 'c', true), { error: 'previous terminated container "c" in pod "p" not found' });
    assert.deepEqual(containerLogInstance('p', st({ waiting: { reason: 'ContainerCreating' } }), 'c', false), { error: 'container "c" in pod "p" is waiting to start: ContainerCreating' });
    assert.deepEqual(containerLogInstance('p', st({ waiting: { reason: 'ErrImagePull' } }), 'c', false), { error: `container "c" in pod "p" is waiting to start: image can't be pulled` });
    assert.deepEqual(containerLogInstance('p', st({ terminated: {} }), 'c', false), { error: 'container "c" in pod "p" is terminated' });
    assert.deepEqual(containerLogInstance('p', st({}), 'c', false), { error: 'container "c" in pod "p" is waiting to start - no logs yet' });
    assert.deepEqual(containerLogInstance('p', { containerStatuses: [] }, 'c', false), { error: 'container "c" in pod "p" is not available' });
  });
});

describe('streamLogFile', () => {
  const line = (t: bigint, s: string) => formatCriLine({ time: t, stream: 'stdout', partial: false, content: s });
  it('reads, tails, and follows growth until the instance stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svcnet-logs-'));
    try {
      const path = join(dir, '0.log');
      writeFileSync(path, line(1n, 'one') + line(2n, 'two') + line(3n, 'three'));
      let out = '';
      const q = containerLogReadOptions(parsePodLogOptions('p', new URLSearchParams('tailLines=2')), Date.now());
      await streamLogFile({ path, isRunning: () => true }, q, (b) => (out += b.toString()), () => false);
      assert.equal(out, 'two\nthree\n');

      out = '';
      let running = true;
      const follow = containerLogReadOptions(parsePodLogOptions('p', new URLSearchParams('follow=true&tailLines=0')), Date.now());
      const done = streamLogFile({ path, isRunning: () => running }, follow, (b) => (out += b.toString()), () => false);
      // tailLines=0 starts at the end of the file as it is when the follower opens it, which
      // the test cannot see: append marker lines until one comes through.
      // Every marker after the first one seen comes through too; wait for the last.
      let markers = 0;
      await waitUntil('the follower to start', () => {
        if (out.includes('marker-')) return true;
        appendFileSync(path, line(4n, `marker-${++markers}`));
        return false;
      }, 10_000, 50);
      await waitUntil('the last marker', () => out.endsWith(`marker-${markers}\n`));
      out = '';
      // A line written in two pieces is emitted once it is complete.
      const next = line(5n, 'five');
      appendFileSync(path, next.slice(0, 10));
      // Asserting that nothing is emitted: a pause is the only way to give it the chance.
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(out, '');
      appendFileSync(path, next.slice(10));
      await waitUntil('the completed line', () => out !== '');
      assert.equal(out, 'five\n');
      running = false;
      await done;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
