// The byte side of a watch stream: bounded buffering, chunked initial state, and ending a
// watcher that does not read.
//
// kube-apiserver gives every watcher a small event buffer; when a watcher's buffer stays full
// (its client is not reading), the cacher terminates it and the client re-lists
// (cacher.go dispatchEvent / cacheWatcher.add). Node has no per-watcher goroutine to block, so
// the equivalent bound is on bytes: what the response has queued (res.writableLength, or the
// HTTP/2 stream's) plus live events held back while the initial state is being written. Past
// MAX_WATCH_BUFFERED_BYTES the watch is torn down (HTTP/2: only that stream is reset) and its
// memory released; other watchers are untouched.
//
// Initial state goes out in ~CHUNK_BYTES writes, honouring backpressure ('drain') and yielding
// to the event loop between chunks, so /readyz and writes keep being served while thousands of
// watchers receive megabytes each, and no watcher ever builds one giant string.
import type { EventEmitter } from 'node:events';
import http2 from 'node:http2';
import type { RawResponse } from '../http.js';

/** What both ServerResponse and Http2ServerResponse offer that a watch needs. */
interface Sink extends EventEmitter {
  write(chunk: string): boolean;
  destroy(): void;
  readonly writableLength?: number;
  readonly destroyed?: boolean;
  /** HTTP/2 only: the stream whose queue is the real measure of what the client has not read. */
  readonly stream?: { readonly writableLength?: number; close?(code: number): void };
}

/** Bytes a watcher may have queued before it counts as not reading and is disconnected. */
export const MAX_WATCH_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Size of each write of initial events. */
const CHUNK_BYTES = 64 * 1024;

export class WatchWriter {
  readonly #res: Sink;
  readonly #onTerminate: () => void;
  /** Live events that arrived while the initial state was still being written. */
  #held: string[] = [];
  #heldBytes = 0;
  #initialDone = false;
  #dead = false;

  constructor(res: RawResponse, onTerminate: () => void) {
    this.#res = res as unknown as Sink;
    this.#onTerminate = onTerminate;
  }

  get dead(): boolean {
    return this.#dead;
  }

  /** Bytes accepted by the response but not yet handed to the kernel / HTTP/2 session. */
  #queued(): number {
    return this.#res.stream?.writableLength ?? this.#res.writableLength ?? 0;
  }

  /** A live event: sent now, or held until the initial state is out. */
  send(line: string): void {
    if (this.#dead) return;
    if (!this.#initialDone) {
      this.#held.push(line);
      this.#heldBytes += line.length;
    } else {
      this.#res.write(line);
    }
    if (this.#heldBytes + this.#queued() > MAX_WATCH_BUFFERED_BYTES) this.terminate();
  }

  /**
   * Writes lines(0..count-1) in chunks, waiting for the client to take each chunk it cannot
   * buffer; then `trailer` (the initial-events-end bookmark) and the held live events. Returns false when the watch ended meanwhile.
   */
  async writeInitial(count: number, line: (i: number) => string, trailer?: () => string): Promise<boolean> {
    let i = 0;
    while (i < count) {
      if (this.#dead || this.#res.destroyed) return false;
      const parts: string[] = [];
      let bytes = 0;
      while (i < count && bytes < CHUNK_BYTES) {
        const l = line(i++);
        parts.push(l);
        bytes += l.length;
      }
      const ok = this.#res.write(parts.join(''));
      if (!ok) await this.#drained();
      else await new Promise<void>((r) => setImmediate(r));
    }
    if (this.#dead) return false;
    this.#initialDone = true;
    if (trailer) this.#res.write(trailer());
    const held = this.#held;
    this.#held = [];
    this.#heldBytes = 0;
    if (held.length > 0) this.#res.write(held.join(''));
    return !this.#dead;
  }

  /** Resolves on 'drain' or when the response closes (the caller then sees `dead`/destroyed). */
  #drained(): Promise<void> {
    return new Promise((resolve) => {
      const res = this.#res;
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  }

  /** The watch ended for another reason (timeout, client gone): stop writing. */
  close(): void {
    this.#dead = true;
    this.#held = [];
    this.#heldBytes = 0;
  }

  /** Ends a watcher that stopped reading: drop what is queued and reset the stream. */
  terminate(): void {
    if (this.#dead) return;
    this.#dead = true;
    this.#held = [];
    this.#heldBytes = 0;
    // Not end(): that would wait to flush megabytes the client will not read. On HTTP/2 the
    // stream is reset with CANCEL (a bare destroy() closes it with NO_ERROR, which nghttp2 only
    // signals after the unread data, i.e. never); on HTTP/1.1 the connection is closed.
    const stream = this.#res.stream;
    if (stream?.close) stream.close(http2.constants.NGHTTP2_CANCEL);
    else this.#res.destroy();
    this.#onTerminate();
  }
}
