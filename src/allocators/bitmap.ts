// The allocation bitmap under both allocators (upstream pkg/registry/core/service/allocator/bitmap.go):
// one bit per usable item, a count of set bits, and the KEP-3070/3668 random scan that prefers
// the upper ("dynamic") band so the lower ("static") band stays free for hand-picked values.
// Pure: no I/O, and randomness comes from an injected source so tests can pin it.

/** Returns an integer in [0, n). */
export type RandomSource = (n: number) => number;

export const defaultRandom: RandomSource = (n) => Math.floor(Math.random() * n);

/**
 * min(max(lo, size/step), hi), or 0 when size <= lo: the size of the static band.
 * Upstream's calculateRangeOffset for both IPs (16, 256, 16) and ports (16, 128, 32).
 */
export function bandOffset(size: number, lo: number, hi: number, step: number): number {
  if (size <= lo) return 0;
  const o = Math.floor(size / step);
  return Math.min(Math.max(lo, o), hi);
}

export class AllocationBitmap {
  readonly #bits: Uint8Array;
  #count = 0;

  constructor(
    /** Number of usable items; valid indexes are [0, max). */
    readonly max: number,
    /** Items [0, offset) form the static band, used by allocateNext only when the rest is full. */
    readonly offset: number,
    readonly random: RandomSource = defaultRandom,
  ) {
    this.#bits = new Uint8Array(Math.ceil(max / 8));
  }

  get count(): number {
    return this.#count;
  }

  free(): number {
    return this.max - this.#count;
  }

  has(i: number): boolean {
    return i >= 0 && i < this.max && (this.#bits[i >> 3]! & (1 << (i & 7))) !== 0;
  }

  /** Sets bit i; false if it was already set. */
  allocate(i: number): boolean {
    if (i < 0 || i >= this.max) throw new RangeError(`offset ${i} out of range [0,${this.max}]`);
    if (this.has(i)) return false;
    this.#bits[i >> 3]! |= 1 << (i & 7);
    this.#count++;
    return true;
  }

  release(i: number): void {
    if (!this.has(i)) return;
    this.#bits[i >> 3]! &= ~(1 << (i & 7));
    this.#count--;
  }

  /** randomScanStrategyWithOffset: upper band from a random start with wrap, then the lower band. */
  allocateNext(): number | undefined {
    if (this.#count >= this.max) return undefined;
    const upper = this.max - this.offset;
    let at: number | undefined;
    if (upper > 0) at = this.#scan(this.offset, this.max, this.offset + this.random(upper));
    if (at === undefined && this.offset > 0) at = this.#scan(0, this.offset, this.random(this.offset));
    if (at === undefined) return undefined;
    this.allocate(at);
    return at;
  }

  forEach(fn: (i: number) => void): void {
    for (let b = 0; b < this.#bits.length; b++) {
      const byte = this.#bits[b]!;
      if (byte === 0) continue;
      for (let j = 0; j < 8; j++) if (byte & (1 << j)) fn(b * 8 + j);
    }
  }

  /** Go's big.Int.Bytes() of the bitmap: big-endian, no leading zero bytes (RangeAllocation.data). */
  snapshot(): Uint8Array {
    let top = this.#bits.length;
    while (top > 0 && this.#bits[top - 1] === 0) top--;
    const out = new Uint8Array(top);
    for (let i = 0; i < top; i++) out[top - 1 - i] = this.#bits[i]!;
    return out;
  }

  /** Loads a snapshot; bits beyond max (a larger old range) are dropped. */
  restore(data: Uint8Array): void {
    this.#bits.fill(0);
    const n = Math.min(data.length, this.#bits.length);
    for (let i = 0; i < n; i++) this.#bits[i] = data[data.length - 1 - i]!;
    const tail = this.max & 7;
    if (tail && this.#bits.length) this.#bits[this.#bits.length - 1]! &= (1 << tail) - 1;
    let c = 0;
    for (const byte of this.#bits) c += popcount(byte);
    this.#count = c;
  }

  clone(): AllocationBitmap {
    const b = new AllocationBitmap(this.max, this.offset, this.random);
    b.#bits.set(this.#bits);
    b.#count = this.#count;
    return b;
  }

  /** First clear bit in [start, hi) then [lo, start); whole 0xff bytes are skipped. */
  #scan(lo: number, hi: number, start: number): number | undefined {
    return this.#firstClear(start, hi) ?? this.#firstClear(lo, start);
  }

  #firstClear(from: number, to: number): number | undefined {
    let i = from;
    while (i < to) {
      if ((i & 7) === 0 && i + 8 <= to && this.#bits[i >> 3] === 0xff) {
        i += 8;
        continue;
      }
      if (!this.has(i)) return i;
      i++;
    }
    return undefined;
  }
}

function popcount(b: number): number {
  let c = 0;
  while (b) {
    b &= b - 1;
    c++;
  }
  return c;
}
