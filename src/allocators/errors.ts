// The allocator errors, with upstream's exact texts (pkg/registry/core/service/ipallocator and
// portallocator). Callers branch on the class; the registry wraps the message into the final
// field error or 500 (see service-errors.ts).

export type AllocationErrorCode = 'Allocated' | 'NotInRange' | 'Full' | 'Invalid';

export class AllocationError extends Error {
  constructor(
    readonly code: AllocationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** ErrAllocated: "provided IP is already allocated" / "provided port is already allocated". */
export class AlreadyAllocatedError extends AllocationError {
  constructor(what: 'IP' | 'port') {
    super('Allocated', `provided ${what} is already allocated`);
  }
}

/** ErrNotInRange, whose text names the valid range. */
export class NotInRangeError extends AllocationError {
  constructor(message: string) {
    super('NotInRange', message);
  }
}

/** ErrFull. */
export class RangeFullError extends AllocationError {
  constructor() {
    super('Full', 'range is full');
  }
}

/** A value that is not an IP / port at all (upstream rejects it before the allocator). */
export class InvalidValueError extends AllocationError {
  constructor(message: string) {
    super('Invalid', message);
  }
}
