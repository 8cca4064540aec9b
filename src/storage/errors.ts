// Storage errors are born typed (as kine's are etcd's own): the apiserver maps them to
// Kubernetes Status without string matching.

export class StorageError extends Error {
  constructor(message: string, readonly key: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** create() of a key that exists (etcd: txn with CreateRevision==0 failed). */
export class KeyExistsError extends StorageError {
  constructor(key: string) {
    super(`key exists: ${key}`, key);
  }
}

/** get/update/delete of a key that does not exist. */
export class KeyNotFoundError extends StorageError {
  constructor(key: string) {
    super(`key not found: ${key}`, key);
  }
}

/** A mod-revision guard failed: someone else wrote the key first. */
export class ConflictError extends StorageError {
  constructor(key: string, readonly expected: number, readonly actual: number) {
    super(`conflict on ${key}: expected mod revision ${expected}, have ${actual}`, key);
  }
}

/** The requested revision was compacted away (the API's 410 Gone / Expired). */
export class CompactedError extends StorageError {
  constructor(readonly requested: number, readonly compacted: number) {
    super(`required revision ${requested} has been compacted (oldest available ${compacted})`, '');
  }
}

/** The requested revision is newer than the store's current revision. */
export class FutureRevisionError extends StorageError {
  constructor(readonly requested: number, readonly current: number) {
    super(`required revision ${requested} is in the future (current ${current})`, '');
  }
}
