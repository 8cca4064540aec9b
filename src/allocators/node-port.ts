// The NodePort allocator over --service-node-port-range, as upstream's portallocator
// (pkg/registry/core/service/portallocator/allocator.go), with the KEP-3668 static band.
import { AllocationBitmap, bandOffset, defaultRandom } from './bitmap.js';
import type { RandomSource } from './bitmap.js';
import { AlreadyAllocatedError, InvalidValueError, NotInRangeError, RangeFullError } from './errors.js';
import { DEFAULT_NODE_PORT_RANGE } from '../api/defaults/cluster.js';
import { goQuote } from '../api/field-errors.js';
import type { RangeCore } from './range-core.js';

export const defaultNodePortRange = DEFAULT_NODE_PORT_RANGE;

/** k8s.io/apimachinery/pkg/util/net.PortRange. */
export interface PortRange {
  readonly base: number;
  readonly size: number;
}

/** PortRange.String(): "LOW-HIGH" (base-(base+size-1)), or "" for the empty range. */
export function formatPortRange(pr: PortRange): string {
  return pr.size === 0 ? '' : `${pr.base}-${pr.base + pr.size - 1}`;
}

/**
 * ParsePortRange: "min-max", "min+offset" or a single port, inclusive; "" is the empty range.
 * Throws with upstream's texts (strconv.Atoi's included).
 */
export function parsePortRange(text: string): PortRange {
  const value = text.trim();
  if (value === '') return { base: 0, size: 0 };
  const hyphen = value.indexOf('-');
  const plus = value.indexOf('+');
  let low: number;
  let high: number;
  if (hyphen < 0 && plus < 0) {
    low = high = atoi(value);
  } else if (hyphen >= 0 && plus < 0) {
    low = atoi(value.slice(0, hyphen));
    high = atoi(value.slice(hyphen + 1));
  } else if (plus >= 0 && hyphen < 0) {
    low = atoi(value.slice(0, plus));
    high = low + atoi(value.slice(plus + 1));
  } else {
    throw new Error(`unable to parse port range: ${value}`);
  }
  if (low > 65535 || high > 65535) throw new Error(`the port range cannot be greater than 65535: ${value}`);
  if (high < low) throw new Error(`end port cannot be less than start port: ${value}`);
  return { base: low, size: 1 + high - low };
}

/** strconv.Atoi with its error texts. */
function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) {
    throw new Error(`strconv.Atoi: parsing ${goQuote(s)}: value out of range`);
  }
  return Number(n);
}

export interface NodePortRangeOptions {
  readonly random?: RandomSource;
}

export class NodePortRange implements RangeCore<number> {
  readonly base: number;
  /** Number of ports in the range. */
  readonly size: number;
  /** Size of the static band: ports [base, base + offset) are used dynamically only as a last resort. */
  readonly offset: number;
  readonly rangeSpec: string;
  readonly unit = 'port' as const;
  readonly #bitmap: AllocationBitmap;
  readonly #opts: NodePortRangeOptions;

  constructor(range: string | PortRange = defaultNodePortRange, opts: NodePortRangeOptions = {}) {
    const pr = typeof range === 'string' ? parsePortRange(range) : range;
    this.base = pr.base;
    this.size = pr.size;
    this.rangeSpec = formatPortRange(pr);
    this.offset = bandOffset(pr.size, 16, 128, 32);
    this.#opts = opts;
    this.#bitmap = new AllocationBitmap(pr.size, this.offset, opts.random ?? defaultRandom);
  }

  contains(port: number): boolean {
    return Number.isInteger(port) && port >= this.base && port - this.base < this.size;
  }

  normalize(port: number): number {
    if (!Number.isInteger(port)) throw new InvalidValueError(`invalid port ${String(port)}`);
    return port;
  }

  parseValue(text: string): number | undefined {
    return /^[0-9]{1,5}$/.test(text) ? Number(text) : undefined;
  }

  has(port: number): boolean {
    return this.contains(port) && this.#bitmap.has(port - this.base);
  }

  allocate(port: number): void {
    this.normalize(port);
    if (!this.contains(port)) {
      throw new NotInRangeError(`provided port is not in the valid range. The range of valid ports is ${this.rangeSpec}`);
    }
    if (!this.#bitmap.allocate(port - this.base)) throw new AlreadyAllocatedError('port');
  }

  allocateNext(): number {
    const i = this.#bitmap.allocateNext();
    if (i === undefined) throw new RangeFullError();
    return this.base + i;
  }

  release(port: number): void {
    if (this.contains(port)) this.#bitmap.release(port - this.base);
  }

  used(): number {
    return this.#bitmap.count;
  }

  free(): number {
    return this.#bitmap.free();
  }

  forEach(fn: (port: number) => void): void {
    this.#bitmap.forEach((i) => fn(this.base + i));
  }

  snapshot(): Uint8Array {
    return this.#bitmap.snapshot();
  }

  restore(data: Uint8Array): void {
    this.#bitmap.restore(data);
  }

  clone(): this {
    const c = new NodePortRange({ base: this.base, size: this.size }, this.#opts);
    c.#bitmap.restore(this.#bitmap.snapshot());
    return c as this;
  }

  withRange(rangeSpec: string): this {
    return new NodePortRange(rangeSpec, this.#opts) as this;
  }

  /**
   * Upstream's dry-run Allocate (PortAllocationOperation): "already allocated" when the port is
   * taken or already taken by this operation. It does not check the range, so neither do we.
   */
  dryRunAllocate(port: number, pending: readonly number[]): void {
    if (this.has(port) || pending.includes(port)) throw new AlreadyAllocatedError('port');
  }

  /** Upstream's dry-run placeholder: one above the highest port of this operation, else 32769. */
  dryRunAllocateNext(pending: readonly number[]): number {
    const last = pending.length === 0 ? 32768 : Math.max(...pending);
    return last + 1;
  }
}
