// Child process for sqlite-crash.test.ts: creates keys forever, in bursts of concurrent writes,
// and prints "key revision" for each write only once its promise has resolved (acknowledged).
// The test kills it with SIGKILL mid-stream.
import { SqliteStorage } from '../index.js';

const path = process.argv[2];
if (!path) throw new Error('usage: crash-writer <db path>');
const storage = await SqliteStorage.open(path);
const value = JSON.stringify({ pad: 'x'.repeat(512) });
for (let burst = 0; ; burst++) {
  await Promise.all(
    Array.from({ length: 8 }, async (_, i) => {
      const key = `/crash/${burst}-${i}`;
      const revision = await storage.create(key, value);
      process.stdout.write(`${key} ${revision}\n`);
    }),
  );
}
