import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError, checkArgs, parseFlags } from './flags.js';
import { formatGoDuration, goJSON, joinHostPort, parseGoDuration } from './golang.js';

const specs = {
  port: { type: 'int', default: 9376, usage: 'Port number.' },
  http: { type: 'bool', default: true, usage: 'Serve HTTP.' },
  name: { type: 'string', default: '', usage: 'A name.' },
  timeout: { type: 'duration', default: 0, usage: 'Timeout.' },
} as const;

describe('parseFlags (pflag rules)', () => {
  it('reads --k=v, --k v, bare bools and defaults, with positional args anywhere', () => {
    const f = parseFlags(specs, ['a', '--port=80', '--name', 'x y', '--http=false', 'b', '--timeout=1m30s', '--', '--port=1']);
    assert.equal(f.int('port'), 80);
    assert.equal(f.string('name'), 'x y');
    assert.equal(f.bool('http'), false);
    assert.equal(f.duration('timeout'), 90_000);
    assert.deepEqual(f.args, ['a', 'b', '--port=1']);
    assert.equal(parseFlags(specs, ['--http']).bool('http'), true);
    assert.equal(parseFlags(specs, []).int('port'), 9376);
  });

  it('gives pflag’s error messages', () => {
    assert.throws(() => parseFlags(specs, ['--nope']), new UsageError('unknown flag: --nope'));
    assert.throws(() => parseFlags(specs, ['--port=abc']), {
      message: 'invalid argument "abc" for "--port" flag: strconv.ParseInt: parsing "abc": invalid syntax',
    });
    assert.throws(() => parseFlags(specs, ['--name']), { message: 'flag needs an argument: --name' });
    assert.throws(() => parseFlags(specs, ['-port=1']), { message: "unknown shorthand flag: 'p' in -port=1" });
    assert.throws(() => parseFlags(specs, ['--timeout=5']), { message: 'invalid argument "5" for "--timeout" flag: time: missing unit in duration "5"' });
  });

  it('accepts klog’s flags and -h', () => {
    assert.equal(parseFlags(specs, ['--v=4', '--logtostderr']).int('port'), 9376);
    assert.equal(parseFlags(specs, ['-h']).help, true);
  });

  it('checks positional argument counts like cobra', () => {
    assert.throws(() => checkArgs(['x'], { min: 0, max: 0 }), { message: 'accepts at most 0 arg(s), received 1' });
    assert.throws(() => checkArgs([], { min: 1, max: 1 }), { message: 'accepts 1 arg(s), received 0' });
    assert.doesNotThrow(() => checkArgs(['x'], { min: 1, max: 1 }));
  });
});

describe('Go formatting', () => {
  it('parses and prints durations as time.Duration does', () => {
    assert.equal(parseGoDuration('1.5h'), 5_400_000);
    assert.equal(parseGoDuration('300ms'), 300);
    assert.equal(parseGoDuration('-2s'), -2000);
    assert.equal(parseGoDuration('0'), 0);
    assert.throws(() => parseGoDuration('abc'), { message: 'time: invalid duration "abc"' });
    assert.throws(() => parseGoDuration('3x'), { message: 'time: unknown unit "x" in duration "3x"' });
    assert.equal(formatGoDuration(0), '0s');
    assert.equal(formatGoDuration(1500), '1.5s');
    assert.equal(formatGoDuration(120_000), '2m0s');
    assert.equal(formatGoDuration(3_723_000), '1h2m3s');
    assert.equal(formatGoDuration(300), '300ms');
  });

  it('escapes JSON as encoding/json does', () => {
    assert.equal(goJSON({ a: ['<b>&'] }), '{"a":["\\u003cb\\u003e\\u0026"]}');
  });

  it('joins host and port as net.JoinHostPort, unmapping IPv4-in-IPv6', () => {
    assert.equal(joinHostPort('10.0.0.1', 80), '10.0.0.1:80');
    assert.equal(joinHostPort('fd00::1', 80), '[fd00::1]:80');
    assert.equal(joinHostPort('::ffff:127.0.0.1', 8080), '127.0.0.1:8080');
  });
});
