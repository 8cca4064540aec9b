// exec's request parsing, statuses and namespace entry (no root needed).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { enterArgv, exitCodeStatus, parseExecQuery } from './exec.js';
import { spawn } from 'node:child_process';
import { ptyArgv } from './pty.js';

describe('exec on the node', () => {
  it('reads the kubelet query (input/output/error/tty, repeated command)', () => {
    assert.deepEqual(parseExecQuery(new URLSearchParams('command=sh&command=-c&command=echo+hi&output=1&error=1')), {
      command: ['sh', '-c', 'echo hi'],
      stdin: false,
      stdout: true,
      stderr: true,
      tty: false,
    });
    assert.equal(parseExecQuery(new URLSearchParams('command=ls')), 'you must specify at least 1 of stdin, stdout, stderr');
    assert.equal(parseExecQuery(new URLSearchParams('output=1')), 'you must specify at least one command for the container');
  });
  it('enters by the container process when known, else by the Pod netns', () => {
    assert.deepEqual(enterArgv({ netns: 'svcnet-a-pod-x', pid: 42 }, ['ls']), ['nsenter', '--target=42', '--net', '--uts', '--mount', '--', 'ls']);
    assert.deepEqual(enterArgv({ netns: 'svcnet-a-pod-x' }, ['ls']), ['ip', 'netns', 'exec', 'svcnet-a-pod-x', 'ls']);
    assert.throws(() => enterArgv({ netns: 'host' }, ['ls']), /not a svcnet namespace/);
  });
  it('reports a non-zero exit as NonZeroExitCode with the ExitCode cause', () => {
    assert.deepEqual(exitCodeStatus(['sh', '-c', 'exit 3'], 3), {
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });
  it('wraps a tty command in the python pty helper', () => {
    const argv = ptyArgv(['sh'], 100, 30);
    assert.equal(argv[0], 'python3');
    assert.deepEqual(argv.slice(3), ['100', '30', 'sh']);
  });
  // The resize (fd 3) and stdin are separate pipes, so the shell may read `go` before the helper
  // has resized the terminal: it waits for the new size itself (up to 5 s), then prints it.
  const RESIZE_SCRIPT =
    'stty size; test -t 0 && echo tty; read x; i=0; ' +
    'until [ "$(stty size)" = "40 120" ] || [ $i -ge 100 ]; do sleep 0.05; i=$((i+1)); done; stty size; exit 5';
  it('the pty helper gives the command a terminal of the asked size, resizes it and returns its status', async () => {
    const argv = ptyArgv(['sh', '-c', RESIZE_SCRIPT], 100, 30);
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    for (let i = 0; i < 100 && !out.includes('tty'); i++) await new Promise((r) => setTimeout(r, 50));
    (child.stdio[3] as NodeJS.WritableStream).write('120 40\n');
    child.stdin!.write('go\n');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    assert.equal(code, 5);
    assert.match(out, /^30 100\r\ntty\r\n/);
    assert.match(out, /40 120\r\n$/);
  });
});
