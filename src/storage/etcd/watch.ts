// One storage watch over one etcd Watch stream. etcd delivers a range's events from a start
// revision in revision order; this keeps the last revision delivered and, when the stream breaks
// (member restart, leader change, network), opens a new one from the next revision, dropping
// anything at or below what was already delivered: exact resume, with no gap and no duplicate.
// The driver writes one key per transaction, so each revision carries exactly one event.
//
// etcd3's own Watcher is not used: it resumes from the response header's revision, which can
// skip events still queued behind that header, and it drops compact_revision from cancellations.
import type { IDuplexStream, IEvent, IWatchRequest, IWatchResponse, WatchClient } from 'etcd3';
import { CompactedError } from '../errors.js';
import type { KeyValue, WatchEvent, WatchOptions, Watcher } from '../types.js';
import type { KeySpace } from './convert.js';

export interface EtcdWatchParams {
  readonly client: WatchClient;
  readonly keys: KeySpace;
  readonly range: { key: Buffer; range_end: Buffer };
  /** Deliver events with revision > after. */
  readonly after: number;
  readonly opts: WatchOptions;
  /** etcd told us this revision is compacted (so the driver can answer later calls sooner). */
  readonly onCompacted: (revision: number) => void;
  /** The watch is over (closed or failed). */
  readonly onEnd: () => void;
}

const firstBackoffMs = 50;
const maxBackoffMs = 2_000;

export class EtcdWatch implements Watcher {
  readonly #p: EtcdWatchParams;
  #delivered: number;
  #stream: IDuplexStream<IWatchRequest, IWatchResponse> | undefined;
  #closed = false;
  #backoff = firstBackoffMs;
  #timer: NodeJS.Timeout | undefined;

  constructor(params: EtcdWatchParams) {
    this.#p = params;
    this.#delivered = params.after;
    void this.#connect();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#stream?.cancel();
    this.#stream = undefined;
    this.#p.onEnd();
  }

  fail(err: Error): void {
    if (this.#closed) return;
    this.close();
    this.#p.opts.onError?.(err);
  }

  async #connect(): Promise<void> {
    let stream: IDuplexStream<IWatchRequest, IWatchResponse>;
    try {
      stream = await this.#p.client.watch();
    } catch {
      this.#retry();
      return;
    }
    if (this.#closed) {
      stream.cancel();
      return;
    }
    this.#stream = stream;
    stream.on('data', (res) => {
      if (this.#stream === stream) this.#onResponse(res);
    });
    const broken = () => {
      if (this.#stream !== stream) return;
      this.#stream = undefined;
      stream.cancel();
      this.#retry();
    };
    stream.on('error', broken);
    stream.on('end', broken);
    stream.write({
      create_request: {
        key: this.#p.range.key,
        range_end: this.#p.range.range_end,
        // One revision early, and that event dropped as already delivered: etcd then cancels the
        // watch as compacted exactly when `delivered` is below the compacted revision, which is
        // the storage interface's rule (starting at delivered + 1 would be accepted one
        // revision later, with that event's prevKv already compacted away).
        start_revision: Math.max(this.#delivered, 1),
        prev_kv: true,
        progress_notify: true,
      },
    });
  }

  #retry(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => void this.#connect(), this.#backoff);
    this.#backoff = Math.min(this.#backoff * 2, maxBackoffMs);
  }

  #onResponse(res: IWatchResponse): void {
    const compacted = Number(res.compact_revision);
    if (compacted > 0) {
      this.#p.onCompacted(compacted);
      this.fail(new CompactedError(this.#delivered, compacted));
      return;
    }
    if (res.canceled) {
      this.fail(new Error(`etcd canceled the watch: ${res.cancel_reason || 'no reason given'}`));
      return;
    }
    this.#backoff = firstBackoffMs;
    for (const ev of res.events) {
      if (this.#closed) return;
      const event = this.#event(ev);
      if (event.revision <= this.#delivered) continue;
      this.#delivered = event.revision;
      try {
        this.#p.opts.onEvent(event);
      } catch (err) {
        // A throwing consumer ends only its own watch.
        this.fail(err instanceof Error ? err : new Error(String(err)));
        return;
      }
    }
  }

  #event(ev: IEvent): WatchEvent {
    const keys = this.#p.keys;
    const revision = Number(ev.kv.mod_revision);
    const prevKv: KeyValue | undefined = ev.prev_kv ? keys.keyValue(ev.prev_kv) : undefined;
    // The proto enum arrives by name (PUT/DELETE); etcd3's typings spell it Put/Delete.
    if (String(ev.type).toUpperCase() === 'DELETE') {
      // etcd's delete event carries only the key; the storage interface's DELETE carries the last
      // value (from prev_kv) at the delete's revision, as kine's does.
      const kv: KeyValue = {
        key: keys.fromEtcd(ev.kv.key),
        value: prevKv?.value ?? '',
        createRevision: prevKv?.createRevision ?? 0,
        modRevision: revision,
      };
      return prevKv ? { type: 'DELETE', kv, prevKv, revision } : { type: 'DELETE', kv, revision };
    }
    const kv = keys.keyValue(ev.kv);
    return prevKv ? { type: 'PUT', kv, prevKv, revision } : { type: 'PUT', kv, revision };
  }
}
