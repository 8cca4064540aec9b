// The revisioned key-value interface every storage driver implements.
//
// Its shape maps one-to-one onto etcd v3 (as kine's Backend does), so the etcd driver is a thin
// translation: a single global revision counter, create guarded by "key absent"
// (etcd: Txn If(CreateRevision == 0)), update/delete guarded by the key's mod revision
// (etcd: Txn If(ModRevision == n)), watch from a revision, and compaction.
// resourceVersion in the API is exactly the store revision, as in kube-apiserver over etcd.

/** One stored key at one revision. `value` is the serialized object (JSON text). */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
  /** Revision at which the key was (last) created. */
  readonly createRevision: number;
  /** Revision of the last write to this key. */
  readonly modRevision: number;
}

export type WatchEventType = 'PUT' | 'DELETE';

export interface WatchEvent {
  readonly type: WatchEventType;
  /** For PUT: the new value. For DELETE: the key with its last value, modRevision = delete revision. */
  readonly kv: KeyValue;
  /** The value before this event (undefined for a create). */
  readonly prevKv?: KeyValue;
  /** The revision of this event (== kv.modRevision). */
  readonly revision: number;
}

export interface ListOptions {
  /** Return at most this many keys (0 or undefined: all). */
  readonly limit?: number;
  /** Start after this key (exclusive), for limit/continue paging. */
  readonly startAfter?: string;
  /** Read at this revision (0/undefined: current). Throws CompactedError if compacted. */
  readonly revision?: number;
}

export interface ListResult {
  readonly items: readonly KeyValue[];
  /** The revision the list was read at. */
  readonly revision: number;
  /** True when more keys after the last returned item match the prefix. */
  readonly more: boolean;
  /** Number of matching keys not returned (only when `more`). */
  readonly remaining: number;
}

export interface Watcher {
  /** Stop delivering events and release resources. Idempotent. */
  close(): void;
}

export interface WatchOptions {
  /**
   * Deliver every event with revision > fromRevision, in revision order, then live events.
   * 0 means "from now". Throws CompactedError when fromRevision < compacted revision.
   */
  readonly fromRevision: number;
  /** Called once per event, strictly in revision order, no gaps, no duplicates. */
  readonly onEvent: (event: WatchEvent) => void;
  /** Called at most once if the watch ends because of the store (close, error). */
  readonly onError?: (err: Error) => void;
}

export interface Storage {
  /** The driver name ("sqlite", "memory", "etcd"). */
  readonly name: string;
  get(key: string): Promise<KeyValue | undefined>;
  /** All keys with the given prefix, ordered by key. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  count(prefix: string): Promise<number>;
  /** Create; throws KeyExistsError if the key exists. Returns the new revision. */
  create(key: string, value: string): Promise<number>;
  /**
   * Update when the key's modRevision equals expectedModRevision; throws ConflictError if not,
   * KeyNotFoundError if the key is absent. Returns the new revision.
   */
  update(key: string, value: string, expectedModRevision: number): Promise<number>;
  /**
   * Delete (guarded by expectedModRevision when given). Throws KeyNotFoundError/ConflictError.
   * Returns the deleted key-value and the revision of the delete.
   */
  delete(key: string, expectedModRevision?: number): Promise<{ kv: KeyValue; revision: number }>;
  watch(prefix: string, opts: WatchOptions): Watcher;
  currentRevision(): Promise<number>;
  /** The oldest revision still readable/watchable (everything before was compacted). */
  compactedRevision(): Promise<number>;
  /** Drop history older than `revision` (current values are always kept). */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}
