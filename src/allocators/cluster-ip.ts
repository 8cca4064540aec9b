// The ClusterIP range allocator over --service-cluster-ip-range, as upstream's
// ipallocator.Range (pkg/registry/core/service/ipallocator/bitmap.go): bitmap index 0 is the
// network address + 1; IPv4 also loses the broadcast address; IPv6 ranges are capped at 65536
// addresses, as upstream caps them (its bitmap was stored whole in one key).
import { AllocationBitmap, bandOffset, defaultRandom } from './bitmap.js';
import type { RandomSource } from './bitmap.js';
import { AlreadyAllocatedError, InvalidValueError, NotInRangeError, RangeFullError } from './errors.js';
import { formatCIDR, formatIP, fromValue, parseCIDRSloppy, parseIPSloppy } from '../util/ip.js';
import type { CIDR, IPFamily } from '../util/ip.js';
import type { RangeCore } from './range-core.js';

/** kube-apiserver's maxCIDRBits: at most 2^20 addresses (IPv4 mask >= /12, IPv6 >= /108). */
export const maxServiceCIDRBits = 20;

export interface ClusterIPRangeOptions {
  readonly random?: RandomSource;
  /** The flag named in the too-large error (the secondary range is "--service-cluster-ip-range[1]"). */
  readonly flag?: string;
  /** Accept any size, as the Range type itself does (the size limit is flag validation). */
  readonly skipSizeCheck?: boolean;
}

/** validateMaxCIDRRange from cmd/kube-apiserver/app/options/validation.go; undefined when fine. */
export function validateMaxCIDRRange(cidr: CIDR, flag = '--service-cluster-ip-range'): string | undefined {
  if (cidr.bits - cidr.prefix > maxServiceCIDRBits) {
    return `specified ${flag} is too large; for ${cidr.bits}-bit addresses, the mask must be >= ${cidr.bits - maxServiceCIDRBits}`;
  }
  return undefined;
}

/**
 * Splits and checks a --service-cluster-ip-range value ("10.0.0.0/16" or "10.0.0.0/16,fd00::/108")
 * with validateClusterIPFlags' messages; returns the canonical CIDRs or throws one Error listing all.
 */
export function parseServiceClusterIPRanges(value: string): string[] {
  const items = value.split(',');
  const errs: string[] = [];
  const cidrs: CIDR[] = [];
  for (const item of items.slice(0, 2)) {
    const c = parseCIDRSloppy(item.trim());
    if (!c) errs.push(`invalid CIDR address: ${item}`);
    else cidrs.push(c);
  }
  if (items.length > 2) errs.push('--service-cluster-ip-range must not contain more than two entries');
  const [primary, secondary] = cidrs;
  if (primary) {
    const e = validateMaxCIDRRange(primary);
    if (e) errs.push(e);
  }
  if (primary && secondary) {
    if (primary.family === secondary.family) {
      errs.push('--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family');
    }
    const e = validateMaxCIDRRange(secondary, '--service-cluster-ip-range[1]');
    if (e) errs.push(e);
  }
  if (errs.length) throw new Error(errs.join(', '));
  return cidrs.map(formatCIDR);
}

export class ClusterIPRange implements RangeCore<string> {
  /** The canonical CIDR, e.g. "10.0.0.0/16" (what error messages and RangeAllocation.range show). */
  readonly cidr: string;
  readonly unit = 'IP' as const;
  readonly family: IPFamily;
  /** Total addresses in the CIDR (the KEP-3070 formula's cidrSize). */
  readonly cidrSize: bigint;
  /** Number of usable addresses (bitmap size). */
  readonly size: number;
  /** Size of the static band: usable indexes [0, offset) are network+1 … network+offset. */
  readonly offset: number;
  readonly #net: CIDR;
  /** network + 1: the address of bitmap index 0. */
  readonly #base: bigint;
  readonly #bitmap: AllocationBitmap;
  readonly #opts: ClusterIPRangeOptions;

  constructor(cidr: string, opts: ClusterIPRangeOptions = {}) {
    const net = parseCIDRSloppy(cidr);
    if (!net) throw new Error(`invalid CIDR address: ${cidr}`);
    if (!opts.skipSizeCheck) {
      const tooLarge = validateMaxCIDRRange(net, opts.flag);
      if (tooLarge) throw new Error(tooLarge);
    }
    this.#net = net;
    this.#opts = opts;
    this.cidr = formatCIDR(net);
    this.family = net.family;
    this.cidrSize = 1n << BigInt(net.bits - net.prefix);
    let max = this.cidrSize;
    if (net.family === 'IPv6') {
      if (max > 65536n) max = 65536n;
    } else {
      max -= 1n; // never hand out the broadcast address
    }
    max -= 1n; // nor the network address
    this.size = max < 0n ? 0 : Number(max);
    this.#base = net.network + 1n;
    this.offset = bandOffset(Number(this.cidrSize > 1n << 32n ? 1n << 32n : this.cidrSize), 16, 256, 16);
    this.#bitmap = new AllocationBitmap(this.size, this.offset, opts.random ?? defaultRandom);
  }

  get rangeSpec(): string {
    return this.cidr;
  }

  /** The bitmap index of an IP in this range, or undefined. */
  indexOf(ip: string): number | undefined {
    const p = parseIPSloppy(ip);
    if (!p || p.family !== this.family) return undefined;
    const hostBits = BigInt(this.#net.bits - this.#net.prefix);
    if (p.value >> hostBits !== this.#net.network >> hostBits) return undefined;
    const i = p.value - this.#base;
    return i < 0n || i >= BigInt(this.size) ? undefined : Number(i);
  }

  /** The IP at a bitmap index (0 is network + 1). */
  ipAt(index: number): string {
    return formatIP(fromValue(this.#net.bits, this.#base + BigInt(index)));
  }

  contains(ip: string): boolean {
    return this.indexOf(ip) !== undefined;
  }

  normalize(ip: string): string {
    const p = parseIPSloppy(ip);
    if (!p) throw new InvalidValueError(`failed to parse service IP "${ip}"`);
    return formatIP(p);
  }

  parseValue(text: string): string | undefined {
    const p = parseIPSloppy(text);
    return p ? formatIP(p) : undefined;
  }

  has(ip: string): boolean {
    const i = this.indexOf(ip);
    return i !== undefined && this.#bitmap.has(i);
  }

  allocate(ip: string): void {
    const i = this.#checkRange(ip);
    if (!this.#bitmap.allocate(i)) throw new AlreadyAllocatedError('IP');
  }

  allocateNext(): string {
    const i = this.#bitmap.allocateNext();
    if (i === undefined) throw new RangeFullError();
    return this.ipAt(i);
  }

  release(ip: string): void {
    const i = this.indexOf(ip);
    if (i !== undefined) this.#bitmap.release(i);
  }

  used(): number {
    return this.#bitmap.count;
  }

  free(): number {
    return this.#bitmap.free();
  }

  forEach(fn: (ip: string) => void): void {
    this.#bitmap.forEach((i) => fn(this.ipAt(i)));
  }

  snapshot(): Uint8Array {
    return this.#bitmap.snapshot();
  }

  restore(data: Uint8Array): void {
    this.#bitmap.restore(data);
  }

  clone(): this {
    const c = new ClusterIPRange(this.cidr, { ...this.#opts, skipSizeCheck: true });
    c.#bitmap.restore(this.#bitmap.snapshot());
    return c as this;
  }

  withRange(rangeSpec: string): this {
    return new ClusterIPRange(rangeSpec, { ...this.#opts, skipSizeCheck: true }) as this;
  }

  /** Upstream's dry run checks only that the IP is in range ("racy and not worth the effort"). */
  dryRunAllocate(ip: string): void {
    this.#checkRange(ip);
  }

  /** Upstream's dry-run AllocateNext answers the network address as a placeholder. */
  dryRunAllocateNext(): string {
    return formatIP(fromValue(this.#net.bits, this.#net.network));
  }

  #checkRange(ip: string): number {
    const canonical = this.normalize(ip);
    const i = this.indexOf(canonical);
    if (i === undefined) {
      throw new NotInRangeError(
        `the provided IP (${canonical}) is not in the valid range. The range of valid IPs is ${this.cidr}`,
      );
    }
    return i;
  }
}
