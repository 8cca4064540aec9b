#!/usr/bin/env node
// Runs every compiled *.test.js under dist/ with node's built-in test runner.
// Node 20's `node --test` takes no globs, so we find the files ourselves.
// Usage: node scripts/run-tests.js [substring-filter ...]
//
// Humans get node's spec reporter on stdout; a second TAP stream goes to a temp file, from which
// this script counts what passed, failed, was skipped or marked todo. Node's own summary does not
// count a skipped describe() at all, so a suite that skips whole can look green.
// Strict mode (SVCNET_TEST_STRICT=1, or CI=true unless SVCNET_TEST_STRICT=0) fails the run when
// any test skipped or is todo, and names them: CI must not go green by not running the tests.
// The last line is always `N passed, N failed, N skipped (N todo)`.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

function strictMode(env) {
  const s = env.SVCNET_TEST_STRICT;
  if (s !== undefined && s !== '') return s !== '0' && s.toLowerCase() !== 'false';
  return env.CI === 'true' || env.CI === '1';
}

// TAP escapes `#` and `\` in names; undo it for the report.
const unescape = (s) => s.replace(/\\([#\\])/g, '$1');

/**
 * Counts leaf results of node's TAP output (a test or suite with no reported children: a skipped
 * describe() counts once, as node's spec output shows it). Each result carries its full path of
 * enclosing suite names, so a skip can be found in the source.
 */
function summarize(tap) {
  const names = []; // names[depth]: the subtest being reported at that depth
  const hasChildren = [];
  const counts = { passed: 0, failed: 0, skipped: 0, todo: 0 };
  const notRun = [];
  for (const line of tap.split('\n')) {
    const indent = line.length - line.trimStart().length;
    const depth = Math.floor(indent / 4);
    const text = line.trimStart();
    const sub = /^# Subtest: (.*)$/.exec(text);
    if (sub) {
      names[depth] = unescape(sub[1]);
      names.length = depth + 1;
      hasChildren[depth] = false;
      continue;
    }
    const res = /^(not ok|ok) \d+(?: - (.*?))?(?: # (SKIP|TODO)\b ?(.*))?$/i.exec(text);
    if (!res || indent % 4 !== 0) continue;
    if (depth > 0) hasChildren[depth - 1] = true;
    const leaf = !hasChildren[depth];
    hasChildren[depth] = false;
    if (!leaf) continue;
    const path = [...names.slice(0, depth), unescape(res[2] ?? '')].join(' > ');
    const directive = res[3]?.toUpperCase();
    if (directive === 'SKIP') {
      counts.skipped++;
      notRun.push(`skipped: ${path}${res[4] ? ` (${res[4]})` : ''}`);
    } else if (directive === 'TODO') {
      counts.todo++;
      notRun.push(`todo: ${path}${res[4] ? ` (${res[4]})` : ''}`);
    } else if (res[1] === 'ok') counts.passed++;
    else counts.failed++;
  }
  return { counts, notRun };
}

function main() {
  const filters = process.argv.slice(2);
  const files = find('dist', []).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))).sort();
  if (files.length === 0) {
    console.error('no test files found');
    return 1;
  }
  const strict = strictMode(process.env);
  const dir = mkdtempSync(join(tmpdir(), 'svcnet-run-tests-'));
  try {
    const tapFile = join(dir, 'results.tap');
    const r = spawnSync(
      process.execPath,
      [
        '--test',
        '--test-concurrency=2',
        '--test-timeout=300000',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tapFile}`,
        ...files,
      ],
      // NODE_TEST_CONTEXT (set when this script itself runs under a test) would make node send
      // its results to a parent runner instead of to these reporters.
      { stdio: 'inherit', env: { ...process.env, NODE_TEST_CONTEXT: undefined } },
    );
    let tap = '';
    try {
      tap = readFileSync(tapFile, 'utf8');
    } catch {
      // node died before writing any result: its exit status says so below
    }
    const { counts, notRun } = summarize(tap);
    let status = r.status ?? 1;
    if (r.error) console.error(`could not run node --test: ${r.error.message}`);
    if (notRun.length > 0) {
      console.log('');
      for (const l of notRun) console.log(l);
      if (strict) {
        console.log(`strict mode (SVCNET_TEST_STRICT/CI): ${notRun.length} test(s) did not run; failing the run`);
        if (status === 0) status = 1;
      }
    }
    if (strict && status === 0 && counts.passed === 0) {
      // A run in which nothing passed proves nothing (an empty file, a filter that matched none).
      console.log('strict mode (SVCNET_TEST_STRICT/CI): no test passed; failing the run');
      status = 1;
    }
    console.log(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${counts.todo} todo)`);
    return status;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();
