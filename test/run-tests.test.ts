// scripts/run-tests.js as CI runs it: node's test runner over a dist/ of compiled test files,
// here a throwaway one, with and without strict mode (SVCNET_TEST_STRICT / CI).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = new URL('../../scripts/run-tests.js', import.meta.url).pathname;

interface Run {
  readonly code: number;
  readonly stdout: string;
}

function runTests(cwd: string, env: Record<string, string>, ...filters: string[]): Promise<Run> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.CI;
  delete base.SVCNET_TEST_STRICT;
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...filters], { cwd, env: { ...base, ...env }, timeout: 60_000 }, (err, stdout) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout });
    });
  });
}

const lastLine = (out: string) => out.trimEnd().split('\n').at(-1);

describe('scripts/run-tests.js', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'svcnet-runner-'));
    mkdirSync(join(dir, 'dist'));
    // CommonJS: the temp dir has no package.json saying "module".
    writeFileSync(
      join(dir, 'dist', 'skips.test.js'),
      `const { describe, it, test } = require('node:test');
describe('needs a tool', { skip: 'tool is not installed' }, () => { it('never runs', () => {}); });
describe('mixed', () => {
  it('runs', () => {});
  it('skips at run time', (t) => t.skip('no root'));
  it('is todo', { todo: 'later' }, () => {});
});
`,
    );
    writeFileSync(join(dir, 'dist', 'green.test.js'), `require('node:test').test('all good', () => {});\n`);
    writeFileSync(
      join(dir, 'dist', 'red.test.js'),
      `const { describe, it } = require('node:test');
describe('outer', () => { describe('inner', () => { it('fails', () => { throw new Error('boom'); }); it('passes', () => {}); }); });
`,
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports skips and todos but passes outside strict mode', async () => {
    const r = await runTests(dir, {}, 'skips', 'green');
    assert.equal(r.code, 0, r.stdout);
    // A skipped describe() counts as one skip (node's own summary leaves it out).
    assert.equal(lastLine(r.stdout), '2 passed, 0 failed, 2 skipped (1 todo)');
    assert.match(r.stdout, /^skipped: needs a tool \(tool is not installed\)$/m);
    assert.match(r.stdout, /^skipped: mixed > skips at run time \(no root\)$/m);
    assert.match(r.stdout, /^todo: mixed > is todo \(later\)$/m);
  });

  for (const env of [{ SVCNET_TEST_STRICT: '1' }, { CI: 'true' }] as Record<string, string>[]) {
    it(`fails the run on any skip or todo with ${Object.keys(env)[0]}`, async () => {
      const r = await runTests(dir, env, 'skips', 'green');
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, /^strict mode \(SVCNET_TEST_STRICT\/CI\): 3 test\(s\) did not run; failing the run$/m);
      assert.match(r.stdout, /^skipped: needs a tool \(tool is not installed\)$/m);
      assert.equal(lastLine(r.stdout), '2 passed, 0 failed, 2 skipped (1 todo)');
    });
  }

  it('passes in strict mode when every test ran', async () => {
    const r = await runTests(dir, { SVCNET_TEST_STRICT: '1' }, 'green');
    assert.equal(r.code, 0, r.stdout);
    assert.equal(lastLine(r.stdout), '1 passed, 0 failed, 0 skipped (0 todo)');
  });

  it('SVCNET_TEST_STRICT=0 overrides CI=true', async () => {
    const r = await runTests(dir, { CI: 'true', SVCNET_TEST_STRICT: '0' }, 'skips');
    assert.equal(r.code, 0, r.stdout);
  });

  it('counts failures of nested tests, not their suites, and fails the run', async () => {
    const r = await runTests(dir, {}, 'red');
    assert.equal(r.code, 1, r.stdout);
    assert.equal(lastLine(r.stdout), '1 passed, 1 failed, 0 skipped (0 todo)');
  });

  it('fails when no test file matches', async () => {
    const r = await runTests(dir, {}, 'no-such-file');
    assert.equal(r.code, 1);
  });
});
