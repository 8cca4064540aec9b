// SPDY/3.1 frame layout (draft 3.1 sections 2.2 and 2.6), pure: the 8-byte frame header, the
// control frames a streaming server meets, and the uncompressed name/value header block.
// Compression of header blocks is the connection's job (one zlib context per direction).

export const SPDY_VERSION = 3;

export const FrameType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

export const FLAG_FIN = 0x01;

/** RST_STREAM status codes used here. */
export const RstStatus = { ProtocolError: 1, InvalidStream: 2, RefusedStream: 3, Cancel: 5, InternalError: 6 } as const;

export interface ControlFrame {
  readonly control: true;
  readonly type: number;
  readonly flags: number;
  readonly payload: Buffer;
}

export interface DataFrame {
  readonly control: false;
  readonly streamId: number;
  readonly flags: number;
  readonly payload: Buffer;
}

export type Frame = ControlFrame | DataFrame;

/** Splits complete frames off the front of `buf`; `rest` is an incomplete tail to keep. */
export function parseFrames(buf: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let off = 0;
  while (buf.length - off >= 8) {
    const length = buf.readUIntBE(off + 5, 3);
    if (buf.length - off < 8 + length) break;
    const flags = buf[off + 4]!;
    const payload = buf.subarray(off + 8, off + 8 + length);
    const first = buf.readUInt32BE(off);
    if (first & 0x80000000) {
      const version = (first >>> 16) & 0x7fff;
      if (version !== SPDY_VERSION) throw new Error(`unsupported SPDY version ${version}`);
      frames.push({ control: true, type: first & 0xffff, flags, payload });
    } else {
      frames.push({ control: false, streamId: first & 0x7fffffff, flags, payload });
    }
    off += 8 + length;
  }
  return { frames, rest: buf.subarray(off) };
}

function header(first: number, flags: number, length: number): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(first >>> 0, 0);
  h.writeUInt32BE(length, 4);
  h[4] = flags;
  return h;
}

export function encodeControlFrame(type: number, flags: number, payload: Buffer): Buffer {
  return Buffer.concat([header((0x8000 | SPDY_VERSION) * 0x10000 + type, flags, payload.length), payload]);
}

export function encodeDataFrame(streamId: number, flags: number, payload: Buffer): Buffer {
  return Buffer.concat([header(streamId & 0x7fffffff, flags, payload.length), payload]);
}

/** The 31-bit stream id that starts SYN_STREAM, SYN_REPLY, RST_STREAM, HEADERS, WINDOW_UPDATE. */
export function streamIdOf(payload: Buffer): number {
  return payload.readUInt32BE(0) & 0x7fffffff;
}

export function uint32s(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

/** Name/value block: count, then length-prefixed names (lower case) and values (NUL-joined). */
export function encodeHeaderBlock(headers: ReadonlyArray<readonly [string, string]>): Buffer {
  const parts: Buffer[] = [uint32s(headers.length)];
  for (const [name, value] of headers) {
    const n = Buffer.from(name.toLowerCase());
    const v = Buffer.from(value);
    parts.push(uint32s(n.length), n, uint32s(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (block.length < 4) throw new Error('SPDY header block too short');
  const count = block.readUInt32BE(0);
  let off = 4;
  const take = (): string => {
    if (off + 4 > block.length) throw new Error('SPDY header block truncated');
    const len = block.readUInt32BE(off);
    off += 4;
    if (off + len > block.length) throw new Error('SPDY header block truncated');
    const s = block.subarray(off, off + len).toString();
    off += len;
    return s;
  };
  for (let i = 0; i < count; i++) {
    const name = take().toLowerCase();
    const values = take().split('\0');
    out.set(name, [...(out.get(name) ?? []), ...values]);
  }
  return out;
}
