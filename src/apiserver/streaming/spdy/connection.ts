// The server end of a SPDY/3.1 connection as client-go's spdystream speaks it: the client opens
// every stream (SYN_STREAM with a `streamtype` header), we answer each with SYN_REPLY and then
// exchange DATA frames; FIN half-closes a stream. Flow control (WINDOW_UPDATE) is ignored, as
// spdystream itself ignores it. Header blocks go through one zlib context per direction, so every
// block must be inflated in arrival order even when its headers do not matter.
import { EventEmitter } from 'node:events';
import { constants as zc, createDeflate, createInflate } from 'node:zlib';
import type { Duplex } from 'node:stream';
import { SPDY_HEADER_DICTIONARY } from './dictionary.js';
import {
  FLAG_FIN,
  FrameType,
  RstStatus,
  decodeHeaderBlock,
  encodeControlFrame,
  encodeDataFrame,
  encodeHeaderBlock,
  parseFrames,
  streamIdOf,
  uint32s,
  type Frame,
} from './frames.js';

/** Largest DATA payload we send in one frame (the protocol allows 16 MiB; smaller keeps latency low). */
const MAX_DATA = 32 * 1024;

type ZlibStream = ReturnType<typeof createInflate> | ReturnType<typeof createDeflate>;

/** Runs one block through a long-lived zlib stream and collects what a sync flush yields. */
class ZlibContext {
  readonly #z: ZlibStream;
  #out: Buffer[] = [];
  #chain: Promise<unknown> = Promise.resolve();
  #failed?: Error;

  constructor(z: ZlibStream) {
    this.#z = z;
    z.on('data', (c: Buffer) => this.#out.push(c));
    z.on('error', (e: Error) => (this.#failed = e));
  }

  run(input: Buffer): Promise<Buffer> {
    const next = this.#chain.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          if (this.#failed) return reject(this.#failed);
          this.#out = [];
          this.#z.write(input);
          this.#z.flush(zc.Z_SYNC_FLUSH, () => {
            if (this.#failed) reject(this.#failed);
            else resolve(Buffer.concat(this.#out));
          });
        }),
    );
    this.#chain = next.catch(() => {});
    return next;
  }

  close(): void {
    this.#z.destroy();
  }
}

export class SpdyStream extends EventEmitter {
  readonly id: number;
  readonly headers: ReadonlyMap<string, readonly string[]>;
  readonly #conn: SpdyConnection;
  #localEnded = false;
  #remoteEnded = false;

  constructor(conn: SpdyConnection, id: number, headers: Map<string, string[]>) {
    super();
    this.#conn = conn;
    this.id = id;
    this.headers = headers;
  }

  header(name: string): string | undefined {
    return this.headers.get(name.toLowerCase())?.[0];
  }

  get remoteEnded(): boolean {
    return this.#remoteEnded;
  }

  write(data: Buffer): void {
    if (this.#localEnded) return;
    for (let off = 0; off < data.length; off += MAX_DATA) {
      this.#conn.writeRaw(encodeDataFrame(this.id, 0, data.subarray(off, off + MAX_DATA)));
    }
  }

  /** Half-closes our side: an empty DATA frame with FIN. */
  end(): void {
    if (this.#localEnded) return;
    this.#localEnded = true;
    this.#conn.writeRaw(encodeDataFrame(this.id, FLAG_FIN, Buffer.alloc(0)));
    this.#maybeDone();
  }

  reset(status: number = RstStatus.Cancel): void {
    if (this.#localEnded && this.#remoteEnded) return;
    this.#conn.writeRaw(encodeControlFrame(FrameType.RstStream, 0, uint32s(this.id, status)));
    this.#localEnded = true;
    this.remoteEnd();
  }

  /** @internal data from the peer */
  receive(data: Buffer): void {
    if (!this.#remoteEnded && data.length > 0) this.emit('data', data);
  }

  /** @internal the peer sent FIN or RST, or the connection went away */
  remoteEnd(): void {
    if (this.#remoteEnded) return;
    this.#remoteEnded = true;
    this.emit('end');
    this.#maybeDone();
  }

  /** @internal */
  abort(): void {
    this.#localEnded = true;
    this.remoteEnd();
  }

  #maybeDone(): void {
    if (this.#localEnded && this.#remoteEnded) {
      this.#conn.forget(this.id);
      this.emit('close');
    }
  }
}

export class SpdyConnection extends EventEmitter {
  readonly #io: Duplex;
  readonly #inflate = new ZlibContext(createInflate({ dictionary: SPDY_HEADER_DICTIONARY }));
  readonly #deflate = new ZlibContext(createDeflate({ dictionary: SPDY_HEADER_DICTIONARY }));
  readonly #streams = new Map<number, SpdyStream>();
  #pending: Buffer = Buffer.alloc(0);
  #queue: Promise<void> = Promise.resolve();
  #lastStreamId = 0;
  #closed = false;

  /** Emits 'stream' (SpdyStream, already replied to) and 'close'. */
  constructor(io: Duplex) {
    super();
    this.#io = io;
    io.on('data', (chunk: Buffer) => this.#onData(chunk));
    io.on('error', () => this.#teardown());
    io.on('close', () => this.#teardown());
    io.on('end', () => this.#teardown());
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** @internal */
  writeRaw(frame: Buffer): void {
    if (!this.#closed && this.#io.writable) this.#io.write(frame);
  }

  /** @internal */
  forget(id: number): void {
    this.#streams.delete(id);
  }

  /** Sends GOAWAY and closes the transport once our writes are flushed. */
  close(): void {
    if (this.#closed) return;
    this.writeRaw(encodeControlFrame(FrameType.GoAway, 0, uint32s(this.#lastStreamId, 0)));
    this.#io.end();
    this.#teardown();
  }

  #onData(chunk: Buffer): void {
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    let frames: Frame[];
    try {
      const parsed = parseFrames(this.#pending);
      frames = parsed.frames;
      this.#pending = parsed.rest;
    } catch {
      this.#io.destroy();
      return;
    }
    for (const f of frames) {
      this.#queue = this.#queue.then(() => this.#handle(f)).catch(() => {
        this.#io.destroy();
      });
    }
  }

  async #handle(f: Frame): Promise<void> {
    if (this.#closed) return;
    if (!f.control) {
      const s = this.#streams.get(f.streamId);
      if (!s) return;
      s.receive(f.payload);
      if (f.flags & FLAG_FIN) s.remoteEnd();
      return;
    }
    switch (f.type) {
      case FrameType.SynStream: {
        const id = streamIdOf(f.payload);
        const headers = decodeHeaderBlock(await this.#inflate.run(f.payload.subarray(10)));
        if (id <= this.#lastStreamId || id % 2 === 0) {
          this.writeRaw(encodeControlFrame(FrameType.RstStream, 0, uint32s(id, RstStatus.ProtocolError)));
          return;
        }
        this.#lastStreamId = id;
        const stream = new SpdyStream(this, id, headers);
        this.#streams.set(id, stream);
        const block = await this.#deflate.run(encodeHeaderBlock([]));
        this.writeRaw(encodeControlFrame(FrameType.SynReply, 0, Buffer.concat([uint32s(id), block])));
        this.emit('stream', stream);
        if (f.flags & FLAG_FIN) stream.remoteEnd();
        return;
      }
      case FrameType.SynReply:
      case FrameType.Headers:
        // Nothing we need, but the shared zlib context must see every block.
        await this.#inflate.run(f.payload.subarray(4));
        return;
      case FrameType.RstStream:
        this.#streams.get(streamIdOf(f.payload))?.abort();
        return;
      case FrameType.Ping:
        // Client pings carry odd ids; answering is echoing the frame.
        if (f.payload.readUInt32BE(0) % 2 === 1) this.writeRaw(encodeControlFrame(FrameType.Ping, 0, f.payload));
        return;
      case FrameType.GoAway:
        this.close();
        return;
      default:
        // SETTINGS, WINDOW_UPDATE and unknown frames need no answer.
        return;
    }
  }

  #teardown(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of [...this.#streams.values()]) s.abort();
    this.#streams.clear();
    this.#inflate.close();
    this.#deflate.close();
    this.emit('close');
  }
}
