// WATCH: a stream of {"type", "object"} lines over chunked HTTP/1.1 or an HTTP/2 stream.
//
// resourceVersion "" or "0" starts with synthetic ADDED events for what exists (at one revision),
// then continues from that revision; "N" continues after N; a compacted N gets an ERROR event
// with a 410 Expired Status, as kube-apiserver's watch cache answers.
import { apiErrors, toStatusError, type StatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/meta.js';
import type { ServerResponse } from 'node:http';
import { header } from '../http.js';
import { negotiateTable } from '../negotiation.js';
import { buildPredicate } from '../registry/predicate.js';
import { EVERYTHING } from '../registry/store.js';
import { apiVersionOf } from '../resources.js';
import { tableFor, type ResourceCall } from './context.js';

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
  if (rvParam !== '' && rvParam !== '0' && !/^\d+$/.test(rvParam)) {
    throw apiErrors.badRequest(`resourceVersion: Invalid value: ${JSON.stringify(rvParam)}: must be a valid resourceVersion`);
  }
  let timeoutS = Number(q.get('timeoutSeconds') ?? '');
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) timeoutS = MIN_REQUEST_TIMEOUT_S * (1 + Math.random());

  const wantsTable = negotiateTable(header(req, 'accept')) !== undefined;
  const res = req.res as ServerResponse;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'cache-control': 'no-cache, private',
    'x-content-type-options': 'nosniff',
  };

  let columnsSent = false;
  let lastRV = rvParam === '' || rvParam === '0' ? 0 : Number(rvParam);
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
  const send = (type: EventType, obj: unknown) => {
    if (closed) return;
    res.write(render(type, obj));
  };
  const bookmark = (annotations?: Record<string, string>) => {
    const meta: Record<string, unknown> = { resourceVersion: String(lastRV) };
    if (annotations) meta.annotations = annotations;
    send('BOOKMARK', { kind: store.def.kind, apiVersion: apiVersionOf(store.def), metadata: meta });
  };

  // Synthetic ADDED events come from a list at one revision; the watch then starts there.
  let initial: KubeObject[] = [];
  const initialEvents = sendInitialEvents === 'true' || (sendInitialEvents === null && (rvParam === '' || rvParam === '0'));
  if (initialEvents) {
    const list = await store.list(info.namespace, { predicate: EVERYTHING });
    initial = list.items.filter((o) => predicate.matches(o));
    lastRV = Math.max(lastRV, Number(list.resourceVersion));
  } else if (sendInitialEvents === 'false' && lastRV === 0) {
    lastRV = await store.currentRevision();
  } else if (lastRV === 0) {
    lastRV = await store.currentRevision();
  }

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
    res.end();
    resolveDone();
  };
  const fail = (err: StatusError) => {
    send('ERROR', err.toStatus());
    finish();
  };

  try {
    watcher = store.watch(
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
  } catch (err) {
    // Expired before anything was written: upstream sends 200 with one ERROR event.
    res.writeHead(200, headers);
    fail(toStatusError(err));
    return done;
  }

  res.writeHead(200, headers);
  if (typeof (res as { flushHeaders?: () => void }).flushHeaders === 'function') res.flushHeaders();
  for (const o of initial) send('ADDED', o);
  if (sendInitialEvents === 'true' && allowBookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  if (allowBookmarks) bookmarkTimer = setInterval(() => bookmark(), BOOKMARK_INTERVAL_MS);
  timeoutTimer = setTimeout(finish, timeoutS * 1000);
  req.raw.on('close', finish);
  res.on('close', finish);
  return done;
}
