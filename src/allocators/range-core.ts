// What the persistence layer needs from a range allocator: the in-memory bitmap with its
// values (IP strings or port numbers), the text form a value takes in a storage key, snapshots
// (the legacy RangeAllocation format), and upstream's dry-run behaviour.
// ClusterIPRange and NodePortRange implement it.

export interface RangeCore<K> {
  /** RangeAllocation.range: a CIDR ("10.0.0.0/16") or a port range ("LOW-HIGH"). */
  readonly rangeSpec: string;
  /** What a value is called in upstream's errors ("provided IP is already allocated"). */
  readonly unit: 'IP' | 'port';
  /** The canonical form of a value (map key and what allocateNext returns); throws if invalid. */
  normalize(value: K): K;
  /**
   * The value a storage key names (its text is String(value) of the canonical form), or
   * undefined when the text is not one. Range is not checked.
   */
  parseValue(text: string): K | undefined;
  has(value: K): boolean;
  /** Reserves a specific value; throws AlreadyAllocatedError / NotInRangeError / InvalidValueError. */
  allocate(value: K): void;
  /** Reserves a free value, upper band first; throws RangeFullError. */
  allocateNext(): K;
  /** Frees a value; a value that is free or outside the range is ignored. */
  release(value: K): void;
  used(): number;
  free(): number;
  forEach(fn: (value: K) => void): void;
  /** RangeAllocation.data: the bitmap as Go's big.Int.Bytes(). */
  snapshot(): Uint8Array;
  restore(data: Uint8Array): void;
  /** A copy with the same range, state and random source. */
  clone(): this;
  /** An empty core of the same kind over another range spec (to read a differently configured snapshot). */
  withRange(rangeSpec: string): this;
  /**
   * Dry-run Allocate: the checks upstream's dry-run path makes, without reserving anything.
   * `pending` holds the values this dry-run operation already "took".
   */
  dryRunAllocate(value: K, pending: readonly K[]): void;
  /** Dry-run AllocateNext: upstream's placeholder value. */
  dryRunAllocateNext(pending: readonly K[]): K;
}
