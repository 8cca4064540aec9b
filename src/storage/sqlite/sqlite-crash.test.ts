// Durable on acknowledge: every write whose promise resolved in a process that was then killed
// with SIGKILL must be in the database when it is reopened, at the revision it was given.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, it } from 'node:test';
import { collect } from '../conformance.js';
import { SqliteStorage } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'svcnet-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const writer = fileURLToPath(new URL('./testdata/crash-writer.js', import.meta.url));

/** Run the writer until it has acknowledged `count` writes, then SIGKILL it. */
function runAndKill(path: string, count: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked = new Map<string, number>();
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!; // a partial line is not an acknowledgement we can read
      for (const line of lines) {
        const [key, rev] = line.split(' ');
        acked.set(key!, Number(rev));
      }
      if (acked.size >= count && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`writer exited early (code ${code}): ${stderr}`));
    });
  });
}

it('acknowledged writes survive kill -9', { timeout: 60_000 }, async () => {
  const path = join(dir, 'state.db');
  const acked = await runAndKill(path, 300);
  assert.ok(acked.size >= 300);
  const lastAcked = Math.max(...acked.values());

  const s = await SqliteStorage.open(path);
  try {
    for (const [key, rev] of acked) {
      const kv = await s.get(key);
      assert.ok(kv, `acknowledged ${key}@${rev} is missing`);
      assert.equal(kv.modRevision, rev);
      assert.equal(kv.createRevision, rev);
    }
    // Writes may have committed after the last ack we read; they are there, contiguous.
    const current = await s.currentRevision();
    assert.ok(current >= lastAcked);
    const all = await s.list('/crash/');
    assert.equal(all.items.length, current - 1, 'every revision after the initial one is one create');

    const w = collect(s, '/crash/', lastAcked);
    const later = all.items.filter((i) => i.modRevision > lastAcked).sort((a, b) => a.modRevision - b.modRevision);
    await w.waitFor(later.length);
    const next = await s.create('/crash/after-restart', 'v');
    assert.ok(next > current);
    const events = await w.waitFor(later.length + 1);
    assert.deepEqual(
      events.map((e) => [e.kv.key, e.revision]),
      [...later.map((i) => [i.key, i.modRevision]), ['/crash/after-restart', next]],
    );
    w.watcher.close();
  } finally {
    await s.close();
  }
});
