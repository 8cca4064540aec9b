// WATCH: a stream of {"type", "object"} lines over chunked HTTP/1.1 or an HTTP/2 stream.
//
// resourceVersion "" or "0" starts with synthetic ADDED events for what exists (served from a
// snapshot shared by all watchers, see watch-snapshot.ts), then continues from that revision;
// "N" continues after N; a compacted N gets an ERROR event with a 410 Expired Status, as
// kube-apiserver's watch cache answers. A watch-list (sendInitialEvents=true) at an N the store
// has not reached waits up to 3 s, then gets a 504 ERROR event (watch-rv.ts). Buffering per
// watcher is bounded and a watcher that stops reading is disconnected (watch-writer.ts).
import { apiErrors, StatusError, toStatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/meta.js';
import type { ServerResponse } from 'node:http';
import { header } from '../http.js';
import { negotiateTable } from '../negotiation.js';
import { buildPredicate } from '../registry/predicate.js';
import { apiVersionOf } from '../resources.js';
import { parseInt64Param } from '../resource-version.js';
import { tableFor, type ResourceCall } from './context.js';
import { parseWatchResourceVersion, waitUntilFresh } from './watch-rv.js';
import { initialStateFor, type InitialState } from './watch-snapshot.js';
import { WatchWriter } from './watch-writer.js';

/** How often BOOKMARK events go out to clients that allow them. */
export const BOOKMARK_INTERVAL_MS = 30_000;
/** kube-apiserver's --min-request-timeout: watches last between this and twice it. */
const MIN_REQUEST_TIMEOUT_S = 1800;

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

const renderedLines = new WeakMap<object, Map<string, string>>();

export async function handleWatch(call: ResourceCall): Promise<void> {
  const { req, store, info } = call;
  const q = req.query;
  const basePredicate = buildPredicate(store.def, q);
  // GET …/name?watch=true watches one object (the old style kubectl still uses for `get x -w`).
  const predicate = info.name
    ? { empty: false, matches: (o: KubeObject) => o.metadata.name === info.name && basePredicate.matches(o) }
    : basePredicate;
  const rvParam = q.get('resourceVersion') ?? '';
  const allowBookmarks = q.get('allowWatchBookmarks') === 'true';
  const sendInitialEvents = q.get('sendInitialEvents');
  if (sendInitialEvents !== null && q.get('resourceVersionMatch') !== 'NotOlderThan') {
    throw apiErrors.invalid('meta.k8s.io', 'ListOptions', '', []);
  }
  const rv = parseWatchResourceVersion(rvParam);
  // The first value counts, as Go's url.Values.Get; a non-integer is the conversion's 400.
  const timeoutRaw = q.getAll('timeoutSeconds')[0];
  let timeoutS = timeoutRaw === undefined || timeoutRaw === '' ? 0 : parseInt64Param(timeoutRaw);
  // Upstream only replaces an absent or zero timeout with the random default; a negative one
  // arms an already-expired timer, so the watch ends at once (an empty 200).
  if (timeoutS === 0) timeoutS = MIN_REQUEST_TIMEOUT_S * (1 + Math.random());
  else if (timeoutS < 0) timeoutS = 0;

  const wantsTable = negotiateTable(header(req, 'accept')) !== undefined;
  const res = req.res as ServerResponse;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'cache-control': 'no-cache, private',
    'x-content-type-options': 'nosniff',
  };

  let columnsSent = false;
  let lastRV = rv.revision;
  let closed = false;
  const render = (type: EventType, obj: unknown): string => {
    if (!wantsTable && obj && typeof obj === 'object') {
      // Shared decoded objects: serialize each (object, type) once for all watchers.
      let byType = renderedLines.get(obj);
      if (!byType) renderedLines.set(obj, (byType = new Map()));
      let line = byType.get(type);
      if (line === undefined) byType.set(type, (line = JSON.stringify({ type, object: obj }) + '\n'));
      return line;
    }
    let o = obj;
    if (wantsTable && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')) {
      o = tableFor(call, [obj as KubeObject], { resourceVersion: (obj as KubeObject).metadata.resourceVersion }, !columnsSent);
      columnsSent = true;
    }
    return JSON.stringify({ type, object: o }) + '\n';
  };

  let resolveDone!: () => void;
  // The handler's promise lasts as long as the stream, so long-running metrics see it.
  const done = new Promise<void>((r) => (resolveDone = r));
  let watcher: { close(): void } | undefined;
  let bookmarkTimer: NodeJS.Timeout | undefined;
  let timeoutTimer: NodeJS.Timeout | undefined;
  const finish = () => {
    if (closed) return;
    closed = true;
    watcher?.close();
    if (bookmarkTimer) clearInterval(bookmarkTimer);
    if (timeoutTimer) clearTimeout(timeoutTimer);
    if (!writer.dead) {
      writer.close();
      res.end();
    }
    resolveDone();
  };
  const writer = new WatchWriter(res, finish);
  const send = (type: EventType, obj: unknown) => {
    if (!closed) writer.send(render(type, obj));
  };
  const bookmarkLine = (at: number, annotations?: Record<string, string>) => {
    const meta: Record<string, unknown> = { resourceVersion: String(at) };
    if (annotations) meta.annotations = annotations;
    return render('BOOKMARK', { kind: store.def.kind, apiVersion: apiVersionOf(store.def), metadata: meta });
  };
  // The client may leave while we wait for freshness or build the initial state. (Not the
  // request's 'close': node emits it once a bodiless GET has been read, i.e. at once.)
  req.raw.on('aborted', finish);
  res.on('close', finish);

  // Synthetic ADDED events come from a shared snapshot; the watch then starts at its revision.
  let initial: InitialState | undefined;
  const initialEvents = sendInitialEvents === 'true' || (sendInitialEvents === null && rv.value === 0n);
  const fail = (err: StatusError) => {
    send('ERROR', err.toStatus());
    finish();
  };
  const startWatch = () =>
    store.watch(
      info.namespace,
      lastRV,
      (ev, revision) => {
        lastRV = revision;
        const obj = ev.object;
        const prev = ev.previous;
        const now = predicate.matches(obj);
        if (ev.type === 'DELETED') {
          if (prev ? predicate.matches(prev) : now) send('DELETED', obj);
          return;
        }
        const before = prev ? predicate.matches(prev) : false;
        if (now && before) send('MODIFIED', obj);
        else if (now) send('ADDED', obj);
        else if (before) send('DELETED', obj);
      },
      (err) => fail(toStatusError(err)),
    );
  try {
    if (initialEvents) {
      let minimum = rv.value;
      // A watch-list without resourceVersion must be at least as fresh as the store is now.
      if (sendInitialEvents === 'true' && rvParam === '') minimum = BigInt(await store.currentRevision());
      if (minimum > 0n) await waitUntilFresh(store, minimum, () => closed);
      const minRevision = minimum > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(minimum);
      initial = await initialStateFor(store, info.namespace, minRevision);
      lastRV = await startRevision(store, initial);
      if (closed) return done;
      try {
        watcher = startWatch();
      } catch (err) {
        if (!(err instanceof StatusError) || err.code !== 410) throw err;
        // A reused snapshot whose revision was compacted since: take a fresh one.
        initial = await initialStateFor(store, info.namespace, await store.currentRevision());
        lastRV = await startRevision(store, initial);
        if (closed) return done;
        watcher = startWatch();
      }
    } else {
      if (lastRV === 0) lastRV = await store.currentRevision();
      if (closed) return done;
      watcher = startWatch();
    }
  } catch (err) {
    // Errors after the resourceVersion parsed (expired, too large) go out as one ERROR event
    // on a 200 stream (Cacher.Watch: "other errors must fail with a watch event of type ERROR").
    if (!closed) {
      res.writeHead(200, headers);
      res.write(render('ERROR', toStatusError(err).toStatus()));
    }
    finish();
    return done;
  }

  res.writeHead(200, headers);
  if (typeof (res as { flushHeaders?: () => void }).flushHeaders === 'function') res.flushHeaders();
  timeoutTimer = setTimeout(finish, timeoutS * 1000);
  if (allowBookmarks) {
    bookmarkTimer = setInterval(() => {
      // A watch ahead of the store gets no bookmarks until the store passes its revision.
      void store.currentRevision().then((c) => {
        if (!closed && lastRV <= c) writer.send(bookmarkLine(lastRV));
      }, () => undefined);
    }, BOOKMARK_INTERVAL_MS);
  }
  // The end-of-initial-events bookmark carries the revision the initial state is at, and goes
  // out before any live event that arrived while the initial state was being written.
  const startRV = lastRV;
  const endBookmark =
    sendInitialEvents === 'true' && allowBookmarks ? () => bookmarkLine(startRV, { 'k8s.io/initial-events-end': 'true' }) : undefined;
  void writeInitialEvents(writer, initial, predicate, wantsTable, (o) => render('ADDED', o), endBookmark);
  return done;
}

/**
 * Where a watch served from `initial` continues. A snapshot nothing has changed under since its
 * list is also the state now, so it starts at the present revision, which keeps an old
 * snapshot from needing history that compaction may have dropped.
 */
async function startRevision(store: ResourceCall['store'], initial: InitialState): Promise<number> {
  if (!initial.current) return initial.revision;
  const now = await store.currentRevision();
  // Re-checked after the await: an event delivered meanwhile makes the snapshot stale.
  return initial.current ? now : initial.revision;
}

/** Streams the snapshot's matching objects, then the end-of-initial-events bookmark if any. */
async function writeInitialEvents(
  writer: WatchWriter,
  initial: InitialState | undefined,
  predicate: { empty: boolean; matches(o: KubeObject): boolean },
  wantsTable: boolean,
  renderOne: (o: KubeObject) => string,
  trailer: (() => string) | undefined,
): Promise<void> {
  let count = 0;
  let line: (i: number) => string = () => '';
  if (initial) {
    if (predicate.empty && !wantsTable) {
      count = initial.objects.length;
      line = (i) => initial.line(i);
    } else {
      const picked: number[] = [];
      initial.objects.forEach((o, i) => {
        if (predicate.matches(o)) picked.push(i);
      });
      count = picked.length;
      line = wantsTable ? (i) => renderOne(initial.objects[picked[i]!]!) : (i) => initial.line(picked[i]!);
    }
  }
  await writer.writeInitial(count, line, trailer);
}
