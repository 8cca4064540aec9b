// SPDY/3.1 framing and the server connection, driven by a minimal client written here the way
// spdystream writes frames (zlib with the SPDY dictionary, one sync flush per header block).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Duplex } from 'node:stream';
import { constants as zc, createDeflate, createInflate } from 'node:zlib';
import { SPDY_HEADER_DICTIONARY } from './dictionary.js';
import { waitUntil } from '../../../../test/helpers/wait.js';
import { SpdyConnection, type SpdyStream } from './connection.js';
import { FLAG_FIN, FrameType, decodeHeaderBlock, encodeControlFrame, encodeDataFrame, encodeHeaderBlock, parseFrames, uint32s } from './frames.js';

function adler32(b: Buffer): number {
  let a = 1;
  let s = 0;
  for (const c of b) {
    a = (a + c) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

describe('SPDY frames', () => {
  it('the header dictionary is the 1423 bytes whose Adler-32 kubectl puts in its zlib header', () => {
    assert.equal(SPDY_HEADER_DICTIONARY.length, 1423);
    // Observed in kubectl 1.27's first SYN_STREAM: 78 f9 e3 c6 a7 c2 …
    assert.equal(adler32(SPDY_HEADER_DICTIONARY).toString(16), 'e3c6a7c2');
  });

  it('parses control and data frames and keeps an incomplete tail', () => {
    const ping = encodeControlFrame(FrameType.Ping, 0, uint32s(7));
    const data = encodeDataFrame(3, FLAG_FIN, Buffer.from('abc'));
    const both = Buffer.concat([ping, data]);
    const { frames, rest } = parseFrames(both.subarray(0, both.length - 1));
    assert.equal(frames.length, 1);
    assert.deepEqual(frames[0], { control: true, type: FrameType.Ping, flags: 0, payload: uint32s(7) });
    assert.equal(rest.length, data.length - 1);
    const all = parseFrames(both).frames;
    assert.deepEqual(all[1], { control: false, streamId: 3, flags: FLAG_FIN, payload: Buffer.from('abc') });
  });

  it('rejects other SPDY versions', () => {
    const f = encodeControlFrame(FrameType.Ping, 0, uint32s(1));
    f.writeUInt16BE(0x8002, 0);
    assert.throws(() => parseFrames(f), /unsupported SPDY version 2/);
  });

  it('round-trips header blocks, lower-casing names and splitting NUL-joined values', () => {
    const block = encodeHeaderBlock([['StreamType', 'data'], ['x', 'a\0b']]);
    assert.deepEqual([...decodeHeaderBlock(block)], [['streamtype', ['data']], ['x', ['a', 'b']]]);
    assert.throws(() => decodeHeaderBlock(block.subarray(0, block.length - 1)), /truncated/);
  });
});

/** The client half: its own zlib contexts, as a real peer has. */
class TestClient {
  readonly deflate = createDeflate({ dictionary: SPDY_HEADER_DICTIONARY });
  readonly inflate = createInflate({ dictionary: SPDY_HEADER_DICTIONARY });
  readonly toServer = new PassThrough();
  readonly fromServer = new PassThrough();
  received: Buffer = Buffer.alloc(0);

  constructor() {
    this.fromServer.on('data', (c: Buffer) => (this.received = Buffer.concat([this.received, c])));
  }

  io(): Duplex {
    return Duplex.from({ readable: this.toServer, writable: this.fromServer });
  }

  async compress(raw: Buffer): Promise<Buffer> {
    return run(this.deflate, raw);
  }

  async synStream(id: number, headers: [string, string][], flags = 0): Promise<void> {
    const block = await this.compress(encodeHeaderBlock(headers));
    this.toServer.write(encodeControlFrame(FrameType.SynStream, flags, Buffer.concat([uint32s(id, 0), Buffer.from([0, 0]), block])));
  }

  async frames(count: number) {
    for (let i = 0; i < 100; i++) {
      const { frames } = parseFrames(this.received);
      if (frames.length >= count) return frames;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`expected ${count} frames, have ${parseFrames(this.received).frames.length}`);
  }
}

function run(z: ReturnType<typeof createDeflate> | ReturnType<typeof createInflate>, input: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const onData = (c: Buffer) => out.push(c);
    z.on('data', onData);
    z.write(input);
    z.flush(zc.Z_SYNC_FLUSH, () => {
      z.off('data', onData);
      resolve(Buffer.concat(out));
    });
  });
}

describe('SpdyConnection', () => {
  it('replies to each SYN_STREAM, delivers data and FIN, writes data back, answers pings', async () => {
    const client = new TestClient();
    const conn = new SpdyConnection(client.io());
    const streams: SpdyStream[] = [];
    conn.on('stream', (s: SpdyStream) => streams.push(s));
    await client.synStream(1, [['streamtype', 'error'], ['port', '80'], ['requestid', '0']]);
    await client.synStream(3, [['streamtype', 'data'], ['port', '80'], ['requestid', '0']]);
    const replies = await client.frames(2);
    for (const [i, f] of replies.entries()) {
      assert.ok(f.control && f.type === FrameType.SynReply);
      assert.equal(f.payload.readUInt32BE(0), [1, 3][i]);
      // The reply's header block inflates in the client's shared context.
      assert.equal(decodeHeaderBlock(await run(client.inflate, f.payload.subarray(4))).size, 0);
    }
    assert.deepEqual(streams.map((s) => [s.id, s.header('streamtype'), s.header('port')]), [[1, 'error', '80'], [3, 'data', '80']]);

    const got: Buffer[] = [];
    let ended = false;
    streams[1]!.on('data', (d: Buffer) => got.push(d));
    streams[1]!.on('end', () => (ended = true));
    client.toServer.write(encodeDataFrame(3, 0, Buffer.from('GET / ')));
    client.toServer.write(encodeDataFrame(3, FLAG_FIN, Buffer.from('HTTP/1.0')));
    client.toServer.write(encodeControlFrame(FrameType.Ping, 0, uint32s(1)));
    await waitUntil('the end of the data stream', () => ended);
    assert.equal(Buffer.concat(got).toString(), 'GET / HTTP/1.0');
    assert.ok(ended);

    streams[1]!.write(Buffer.alloc(70_000, 1));
    streams[1]!.end();
    const frames = (await client.frames(2 + 1 + 3 + 1)).slice(2);
    assert.deepEqual(frames[0], { control: true, type: FrameType.Ping, flags: 0, payload: uint32s(1) });
    const data = frames.slice(1).filter((f) => !f.control);
    // Split into frames of at most 32 KiB, then an empty FIN.
    assert.deepEqual(data.map((f) => (f.control ? -1 : f.payload.length)), [32768, 32768, 70_000 - 65536, 0]);
    assert.equal(data.at(-1)!.flags, FLAG_FIN);
    conn.close();
    assert.ok(conn.closed);
  });

  it('refuses even (server-initiated) stream ids with RST_STREAM', async () => {
    const client = new TestClient();
    const conn = new SpdyConnection(client.io());
    let opened = 0;
    conn.on('stream', () => opened++);
    await client.synStream(2, [['streamtype', 'data']]);
    const [f] = await client.frames(1);
    assert.ok(f!.control && f!.type === FrameType.RstStream);
    assert.equal(opened, 0);
    conn.close();
  });
});
