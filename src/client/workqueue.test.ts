import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from './clock.js';
import { ItemExponentialFailureRateLimiter, RateLimitingQueue, runWorkers } from './workqueue.js';

/** Lets pending promise callbacks run. */
const tick = () => new Promise((r) => setImmediate(r));

test('a key added while queued is queued once', async () => {
  const q = new RateLimitingQueue<string>({ clock: new FakeClock() });
  q.add('a');
  q.add('b');
  q.add('a');
  assert.equal(q.len(), 2);
  assert.equal(await q.get(), 'a');
  assert.equal(await q.get(), 'b');
  assert.equal(q.len(), 0);
});

test('a key added while processing is re-queued only after done', async () => {
  const q = new RateLimitingQueue<string>({ clock: new FakeClock() });
  q.add('a');
  const k = await q.get();
  assert.equal(k, 'a');
  q.add('a');
  q.add('a');
  assert.equal(q.len(), 0, 'not handed to a second worker while being processed');
  let second: string | undefined;
  void q.get().then((v) => (second = v));
  await tick();
  assert.equal(second, undefined);
  q.done('a');
  await tick();
  assert.equal(second, 'a', 'requeued once on done');
  q.done('a');
  assert.equal(q.len(), 0);
});

test('get waits for an add; shutDown drains then ends getters', async () => {
  const q = new RateLimitingQueue<string>({ clock: new FakeClock() });
  const waiting = q.get();
  q.add('x');
  assert.equal(await waiting, 'x');
  q.add('y');
  q.shutDown();
  q.add('z'); // ignored after shutdown
  assert.equal(await q.get(), 'y', 'items queued before shutdown are still handed out');
  assert.equal(await q.get(), undefined);
  assert.equal(q.shuttingDown(), true);
});

test('addAfter fires on the injected clock, earliest time wins', async () => {
  const clock = new FakeClock();
  const q = new RateLimitingQueue<string>({ clock });
  q.addAfter('a', 100);
  q.addAfter('a', 50);
  q.addAfter('a', 500); // later than pending: ignored
  q.addAfter('b', 0); // immediate
  assert.deepEqual([q.len(), q.delayedLen()], [1, 1]);
  clock.step(49);
  assert.equal(q.len(), 1);
  clock.step(1);
  assert.equal(q.len(), 2);
  assert.equal(q.delayedLen(), 0);
  clock.step(1000);
  assert.equal(q.len(), 2, 'the superseded timers do not add again');
});

test('addRateLimited backs off exponentially per item until forget', async () => {
  const clock = new FakeClock();
  const q = new RateLimitingQueue<string>({ clock });
  // Steps the clock 1 ms at a time until the key is ready; returns how long that took.
  const readyAfter = async (key: string): Promise<number> => {
    const start = clock.now();
    q.addRateLimited(key);
    for (let i = 0; q.len() === 0; i++) {
      assert.ok(i < 10_000, 'the key became ready');
      clock.step(1);
    }
    const waited = clock.now() - start;
    q.done((await q.get())!);
    return waited;
  };
  const waits = [];
  for (let i = 0; i < 4; i++) waits.push(await readyAfter('a'));
  assert.deepEqual(waits, [5, 10, 20, 40]);
  assert.equal(q.numRequeues('a'), 4);
  assert.equal(await readyAfter('b'), 5, 'backoff is per item');
  q.forget('a');
  assert.equal(q.numRequeues('a'), 0);
  assert.equal(await readyAfter('a'), 5);
});

test('the item backoff is capped at 1000 s', () => {
  const rl = new ItemExponentialFailureRateLimiter<string>();
  let last = 0;
  for (let i = 0; i < 40; i++) last = rl.when('k');
  assert.equal(last, 1000_000);
  assert.equal(rl.numRequeues('k'), 40);
});

test('runWorkers retries failures rate-limited and drops after maxRetries', async () => {
  const clock = new FakeClock();
  const q = new RateLimitingQueue<string>({ clock });
  const calls: string[] = [];
  const errors: string[] = [];
  const done = runWorkers(
    q,
    2,
    async (key) => {
      calls.push(key);
      if (key.startsWith('bad')) throw new Error(`fail ${key}`);
    },
    { maxRetries: 2, onError: (key, _err, dropped) => errors.push(`${key}${dropped ? ' dropped' : ''}`) },
  );
  q.add('good');
  q.add('bad');
  await tick();
  assert.deepEqual(calls.sort(), ['bad', 'good']);
  assert.equal(q.numRequeues('good'), 0);
  assert.equal(q.numRequeues('bad'), 1);
  clock.step(5); // first retry after 5 ms
  await tick();
  assert.deepEqual(errors, ['bad', 'bad']);
  clock.step(10); // second retry after 10 ms: now it has been retried twice → dropped
  await tick();
  assert.deepEqual(errors, ['bad', 'bad', 'bad dropped']);
  assert.equal(q.numRequeues('bad'), 0, 'forgotten when dropped');
  clock.step(10_000);
  await tick();
  assert.equal(calls.filter((c) => c === 'bad').length, 3);
  q.shutDown();
  await done;
});

test('runWorkers never runs one key on two workers at once', async () => {
  const q = new RateLimitingQueue<string>({ clock: new FakeClock() });
  let active = 0;
  let maxActive = 0;
  let runs = 0;
  const gates: (() => void)[] = [];
  const done = runWorkers(q, 4, async () => {
    active++;
    runs++;
    maxActive = Math.max(maxActive, active);
    await new Promise<void>((r) => gates.push(r));
    active--;
  });
  q.add('k');
  await tick();
  q.add('k');
  q.add('k');
  await tick();
  assert.equal(active, 1);
  gates.shift()!();
  await tick();
  await tick();
  assert.equal(runs, 2, 'the adds during processing collapse into one more run');
  gates.shift()!();
  await tick();
  q.shutDown();
  await done;
  assert.equal(maxActive, 1);
});
