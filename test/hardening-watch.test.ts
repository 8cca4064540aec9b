// Watch hardening through real HTTP/2 clients: a stampede of initial-state watches is served
// completely and exactly once while /readyz and writes keep working; a watcher that stops
// reading is disconnected without disturbing the others; resourceVersion edge cases answer as
// kube-apiserver's watch cache does. Behaviour only: no timing is asserted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from './helpers/apiserver.js';
import { ApiClient } from './helpers/http.js';
import { MAX_WATCH_BUFFERED_BYTES } from '../src/apiserver/handlers/watch-writer.js';

interface Event {
  type: string;
  object: {
    metadata: { name?: string; resourceVersion?: string; annotations?: Record<string, string> };
    code?: number;
    reason?: string;
    message?: string;
    details?: { causes?: { reason?: string; message?: string }[]; retryAfterSeconds?: number };
  };
}

interface Watch {
  readonly events: Event[];
  readonly stream: ClientHttp2Stream;
  status: number;
  ended: boolean;
  readonly closed: Promise<void>;
}

const NS = 'stampede';
const SEEDED = 1000;
const WATCHERS = 200;

function open(mode: 'big-window' | 'small-window'): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const pki = join(dataDir, 'pki');
    // client-go's stream window (4 MiB), so a reading client is limited by itself, not by flow control.
    const s = connect(url, {
      ca: readFileSync(join(pki, 'ca.crt')),
      cert: readFileSync(join(pki, 'admin.crt')),
      key: readFileSync(join(pki, 'admin.key')),
      settings: { initialWindowSize: mode === 'small-window' ? 65_535 : 4 << 20 },
    });
    s.on('error', () => undefined);
    s.once('connect', () => {
      if (mode !== 'small-window') s.setLocalWindowSize(1 << 30);
      resolve(s);
    });
    s.once('error', reject);
  });
}

function watch(session: ClientHttp2Session, path: string, opts: { read?: boolean } = {}): Watch {
  const stream = session.request({ ':path': path, accept: 'application/json' });
  const w: Watch = {
    events: [],
    stream,
    status: 0,
    ended: false,
    closed: new Promise<void>((resolve) => stream.on('close', () => resolve())),
  };
  void w.closed.then(() => (w.ended = true));
  stream.on('error', () => undefined);
  stream.on('response', (h) => (w.status = Number(h[':status'])));
  if (opts.read === false) {
    // Never read: node stops granting this stream flow-control window, as a stuck client would.
    stream.pause();
    return w;
  }
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line) w.events.push(JSON.parse(line) as Event);
    }
  });
  return w;
}

async function until(what: string, cond: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const cm = (name: string, bytes = 1000) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels: { app: 'stampede' } },
  data: { payload: 'x'.repeat(bytes) },
});

let s: TestServer;
let url: string;
let dataDir: string;
let api: ApiClient;
const sessions: ClientHttp2Session[] = [];

describe('watch hardening', () => {
  before(async () => {
    s = await startTestServer();
    url = s.cp.url;
    dataDir = s.dataDir;
    api = new ApiClient(url, dataDir);
    const created = await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    assert.equal(created.status, 201);
    const slow = await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'slow' } });
    assert.equal(slow.status, 201);
    // ~1.1 MB of ConfigMaps, created 50 at a time.
    for (let i = 0; i < SEEDED; i += 50) {
      const batch = [];
      for (let j = i; j < Math.min(SEEDED, i + 50); j++) batch.push(api.post(`/api/v1/namespaces/${NS}/configmaps`, cm(`seed-${j}`)));
      for (const r of await Promise.all(batch)) assert.equal(r.status, 201, r.text);
    }
  });
  after(async () => {
    for (const x of sessions) x.destroy();
    api?.session.destroy();
    await s?.stop();
  });

  it('serves 200 initial-state watches completely and exactly once while /readyz and creates succeed', async () => {
    for (let i = 0; i < 4; i++) sessions.push(await open('big-window'));
    const base = `/api/v1/namespaces/${NS}/configmaps`;
    const kinds = [
      `${base}?watch=true&resourceVersion=0`,
      `${base}?watch=1`,
      `${base}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
    ];
    const watches: { w: Watch; kind: number }[] = [];
    for (let i = 0; i < WATCHERS; i++) watches.push({ w: watch(sessions[i % sessions.length]!, kinds[i % kinds.length]!), kind: i % kinds.length });
    // A stuck client among them: it never reads its initial state and must not hold anyone up.
    const stuck = watch(await open('small-window').then((x) => (sessions.push(x), x)), `${base}?watch=true&resourceVersion=0`, { read: false });

    // While the stampede is being served: the server answers health checks and takes writes.
    const ready = await api.get('/readyz');
    assert.equal(ready.status, 200);
    const during = await api.post(base, cm('during'));
    assert.equal(during.status, 201, during.text);

    const expected = new Set<string>([...Array.from({ length: SEEDED }, (_, j) => `seed-${j}`), 'during']);
    await until('every watcher to see every object', () => watches.every(({ w }) => w.events.length >= expected.size));
    for (const { w, kind } of watches) {
      assert.equal(w.status, 200);
      const added = w.events.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata.name!);
      assert.equal(added.length, expected.size, 'no object twice, none missing');
      assert.deepEqual(new Set(added), expected);
      if (kind === 2) {
        const bm = w.events.findIndex((e) => e.type === 'BOOKMARK');
        assert.ok(bm >= SEEDED, 'the initial-events-end bookmark follows the whole initial state');
        assert.equal(w.events[bm]!.object.metadata.annotations?.['k8s.io/initial-events-end'], 'true');
      }
    }

    // Live events still flow to every watcher, the stuck one notwithstanding.
    assert.equal((await api.post(base, cm('after'))).status, 201);
    await until('the live event everywhere', () => watches.every(({ w }) => w.events.some((e) => e.object.metadata.name === 'after')));
    for (const { w } of watches) assert.equal(w.events.filter((e) => e.object.metadata.name === 'after').length, 1);
    assert.equal((await api.get('/readyz')).status, 200);
    assert.equal(stuck.stream.closed, false, 'a stuck watcher with nothing queued beyond its window is left alone');
    for (const { w } of watches) w.stream.close();
    stuck.stream.close();
  });

  it('disconnects a watcher that stops reading once its backlog passes the limit, and only that one', async () => {
    const session = await open('small-window');
    sessions.push(session);
    const reader = watch(await open('big-window').then((x) => (sessions.push(x), x)), '/api/v1/namespaces/slow/configmaps?watch=true&resourceVersion=0');
    const stuck = watch(session, '/api/v1/namespaces/slow/configmaps?watch=true&resourceVersion=0', { read: false });
    const sibling = watch(session, `/api/v1/namespaces/${NS}/configmaps?watch=true&resourceVersion=0`);
    await until('watches to start', () => reader.status === 200 && stuck.status === 200 && sibling.status === 200);
    // Big objects, so the limit is passed in a few writes (ConfigMaps hold up to 1 MiB).
    const big = 900_000;
    const n = Math.ceil(MAX_WATCH_BUFFERED_BYTES / big) + 2;
    // A client that does not read never consumes the reset either, so it shows up on the
    // stream's state (closed, RST_STREAM CANCEL) rather than as a 'close' event.
    const reset = () => stuck.stream.closed && stuck.stream.rstCode === constants.NGHTTP2_CANCEL;
    let made = 0;
    for (; made < n && !reset(); made++) {
      const r = await api.post('/api/v1/namespaces/slow/configmaps', cm(`big-${made}`, big));
      assert.equal(r.status, 201, r.text);
    }
    await until('the stuck watcher to be reset', reset, 60_000);
    // The reader got everything; the sibling stream on the same connection still works.
    await until('the reader to get the big objects', () => reader.events.filter((e) => e.type === 'ADDED').length >= made || reader.ended, 60_000);
    assert.equal(reader.ended, false);
    assert.equal((await api.post(`/api/v1/namespaces/${NS}/configmaps`, cm('after-slow'))).status, 201);
    await until('the sibling to see a live event', () => sibling.events.some((e) => e.object.metadata.name === 'after-slow'));
    assert.equal(sibling.ended, false);
    reader.stream.close();
    sibling.stream.close();
  });
});

describe('watch resourceVersion edge cases', () => {
  let t: TestServer;
  let c: ApiClient;
  before(async () => {
    t = await startTestServer({ storage: 'memory://' });
    c = new ApiClient(t.cp.url, t.dataDir);
  });
  after(async () => {
    c?.session.destroy();
    await t?.stop();
  });

  const currentRV = async () => Number((await c.get('/api/v1/namespaces/default/configmaps')).body.metadata.resourceVersion);

  it('answers an unparsable resourceVersion as upstream does (500, ParseUint text, no reason)', async () => {
    const r = await c.get('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=cool');
    assert.equal(r.status, 500);
    assert.equal(r.body.kind, 'Status');
    assert.equal(r.body.status, 'Failure');
    assert.equal(r.body.message, 'resourceVersion: Invalid value: "cool": strconv.ParseUint: parsing "cool": invalid syntax');
    assert.equal(r.body.reason, undefined);
    const big = await c.get('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=99999999999999999999999');
    assert.equal(big.status, 500);
    assert.match(big.body.message, /strconv\.ParseUint: parsing "99999999999999999999999": value out of range$/);
    const neg = await c.get('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=-1');
    assert.equal(neg.status, 500);
    assert.match(neg.body.message, /parsing "-1": invalid syntax$/);
  });

  it('fails a watch-list ahead of the store after waiting, with a 504 ResourceVersionTooLarge ERROR event', async () => {
    const rv = (await currentRV()) + 1000;
    const r = await c.get(`/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&resourceVersion=${rv}`);
    assert.equal(r.status, 200);
    const events = r.text.trim().split('\n').map((l) => JSON.parse(l) as Event);
    assert.equal(events.length, 1);
    const st = events[0]!;
    assert.equal(st.type, 'ERROR');
    assert.equal(st.object.code, 504);
    assert.equal(st.object.reason, 'Timeout');
    assert.match(st.object.message!, new RegExp(`^Timeout: Too large resource version: ${rv}, current: \\d+$`));
    assert.deepEqual(st.object.details, { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 });
  });

  it('proceeds normally when the revision a watch-list waits for arrives in time', async () => {
    const session = connect(t.cp.url, {
      ca: readFileSync(join(t.dataDir, 'pki', 'ca.crt')),
      cert: readFileSync(join(t.dataDir, 'pki', 'admin.crt')),
      key: readFileSync(join(t.dataDir, 'pki', 'admin.key')),
    });
    try {
      const rv = (await currentRV()) + 1;
      const w = watch(session, `/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&resourceVersion=${rv}`);
      assert.equal((await c.post('/api/v1/namespaces/default/configmaps', cm('arrives'))).status, 201);
      await until('the end bookmark', () => w.events.some((e) => e.type === 'BOOKMARK') || w.ended, 20_000);
      assert.deepEqual(w.events.map((e) => `${e.type} ${e.object.metadata.name ?? ''}`), ['ADDED arrives', 'BOOKMARK ']);
      assert.ok(Number(w.events[1]!.object.metadata.resourceVersion) >= rv);
      w.stream.close();
    } finally {
      session.destroy();
    }
  });

  it('accepts a plain watch ahead of the store and delivers only events past its revision', async () => {
    const session = connect(t.cp.url, {
      ca: readFileSync(join(t.dataDir, 'pki', 'ca.crt')),
      cert: readFileSync(join(t.dataDir, 'pki', 'admin.crt')),
      key: readFileSync(join(t.dataDir, 'pki', 'admin.key')),
    });
    try {
      const rv = (await currentRV()) + 1;
      const w = watch(session, `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`);
      await until('the watch to be accepted', () => w.status !== 0, 20_000);
      assert.equal(w.status, 200);
      assert.equal((await c.post('/api/v1/namespaces/default/configmaps', cm('ahead-1'))).status, 201);
      assert.equal((await c.post('/api/v1/namespaces/default/configmaps', cm('ahead-2'))).status, 201);
      await until('the second object', () => w.events.some((e) => e.object.metadata.name === 'ahead-2'), 20_000);
      assert.ok(w.events.every((e) => e.type === 'ADDED' && Number(e.object.metadata.resourceVersion) > rv));
      w.stream.close();
    } finally {
      session.destroy();
    }
  });
});
