// Translation between etcd's wire shapes and the storage interface: keys gain and lose the
// configured prefix, int64 revisions (strings on the wire) become numbers, and etcd's error
// texts become the storage's typed errors, so nothing above the driver matches strings.
import type { IKeyValue } from 'etcd3';
import { prefixEnd } from '../key-range.js';
import type { KeyValue } from '../types.js';

export class KeySpace {
  constructor(readonly prefix: string) {}

  toEtcd(key: string): Buffer {
    return Buffer.from(this.prefix + key, 'utf8');
  }

  fromEtcd(key: Buffer): string {
    return key.toString('utf8').slice(this.prefix.length);
  }

  /** [key, range_end) covering every storage key that starts with `prefix`. */
  range(prefix: string): { key: Buffer; range_end: Buffer } {
    const full = this.prefix + prefix;
    // etcd reads range_end "\0" as "every key >= key" (only reachable with no prefix at all).
    const end = prefixEnd(full);
    return { key: Buffer.from(full, 'utf8'), range_end: end === undefined ? Buffer.from([0]) : Buffer.from(end, 'utf8') };
  }

  keyValue(kv: IKeyValue): KeyValue {
    return {
      key: this.fromEtcd(kv.key),
      value: kv.value.toString('utf8'),
      createRevision: Number(kv.create_revision),
      modRevision: Number(kv.mod_revision),
    };
  }
}

/** The smallest key after `key` in byte order: where a startAfter page begins. */
export function keyAfter(key: Buffer): Buffer {
  return Buffer.concat([key, Buffer.from([0])]);
}

// etcd's own texts (server/mvcc/kvstore.go: ErrCompacted, ErrFutureRev), as they come through gRPC.
export function isCompactedError(err: unknown): boolean {
  return err instanceof Error && err.message.includes('required revision has been compacted');
}

export function isFutureRevisionError(err: unknown): boolean {
  return err instanceof Error && err.message.includes('required revision is a future revision');
}

export function revisionOf(header: { revision: string | number } | undefined): number {
  return header ? Number(header.revision) : 0;
}
