import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { waitUntil } from '../../../test/helpers/wait.js';
import { CriLogWriter, parseCriLine, rfc3339Nano } from './cri-log.js';
import { streamLogFile, type ContainerLogReadOptions } from './cri-log-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'svcnet-crilog-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function sink(): { write(b: Buffer): void; text(): string } {
  let out = '';
  return { write: (b) => void (out += b.toString()), text: () => out };
}

const base: ContainerLogReadOptions = { follow: false, timestamps: false };

describe('CRI log files', () => {
  it('RFC3339Nano trims trailing zeros', () => {
    assert.equal(rfc3339Nano(1_600_000_000_123_400_000n), '2020-09-13T12:26:40.1234Z');
    assert.equal(rfc3339Nano(1_600_000_000_000_000_000n), '2020-09-13T12:26:40Z');
  });
  it('writes one F record per line per stream, and a partial record for a long line', async () => {
    const path = join(dir, 'w.log');
    const w = new CriLogWriter(path);
    const out = new PassThrough();
    const err = new PassThrough();
    w.attach(out, 'stdout');
    w.attach(err, 'stderr');
    out.write('hello\nwor');
    out.end('ld\n' + 'x'.repeat(17000) + '\n');
    err.end('oops');
    await w.close();
    const { readFileSync } = await import('node:fs');
    const raw = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    assert.match(raw[0]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z stdout F hello$/);
    assert.ok(raw.some((l) => / stdout F world$/.test(l)));
    assert.ok(raw.some((l) => / stdout P x{16384}$/.test(l)));
    assert.ok(raw.some((l) => / stderr F oops$/.test(l)));
    // The long line is a 16 KiB partial entry then a full one with the rest.
    const long = raw.map((l) => parseCriLine(l)!).filter((e) => e.content.startsWith('x'));
    assert.deepEqual(long.map((e) => [e.partial, e.content.length]), [[true, 16384], [false, 616]]);
  });
  it('reads with tailLines, timestamps, since and limitBytes', async () => {
    const path = join(dir, 'r.log');
    writeFileSync(path, '2020-01-01T00:00:01Z stdout F one\n2020-01-01T00:00:02.5Z stderr F two\n2020-01-01T00:00:03Z stdout F three\n');
    const read = async (o: Partial<ContainerLogReadOptions>) => {
      const s = sink();
      await streamLogFile({ path, isRunning: () => false }, { ...base, ...o }, s.write, () => false);
      return s.text();
    };
    assert.equal(await read({}), 'one\ntwo\nthree\n');
    assert.equal(await read({ tailLines: 2 }), 'two\nthree\n');
    assert.equal(await read({ tailLines: 0 }), '');
    // The kubelet restamps: UTC, nine fraction digits.
    assert.equal(await read({ tailLines: 1, timestamps: true }), '2020-01-01T00:00:03.000000000Z three\n');
    assert.equal(await read({ since: BigInt(Date.parse('2020-01-01T00:00:02Z')) * 1_000_000n }), 'two\nthree\n');
    assert.equal(await read({ limitBytes: 6 }), 'one\ntw');
  });
  it('follows until the writer stops', async () => {
    const path = join(dir, 'f.log');
    writeFileSync(path, '2020-01-01T00:00:01Z stdout F a\n');
    let writing = true;
    const s = sink();
    const done = streamLogFile({ path, isRunning: () => writing }, { ...base, follow: true }, s.write, () => false);
    await waitUntil('the existing line', () => s.text() === 'a\n');
    appendFileSync(path, '2020-01-01T00:00:02Z stdout F b\n');
    await waitUntil('the appended line', () => s.text() !== 'a\n');
    assert.equal(s.text(), 'a\nb\n');
    appendFileSync(path, '2020-01-01T00:00:03Z stdout F c\n');
    writing = false;
    await done;
    assert.equal(s.text(), 'a\nb\nc\n');
  });
});
