// In-memory driver for tests and throwaway clusters. It keeps the same log-plus-current-state
// model as the sqlite driver (kine's too), so watch replay, list at a revision and compaction
// behave identically; writes apply synchronously and events fan out through the broadcaster.
import { WatchBroadcaster } from '../broadcaster.js';
import { CompactedError, ConflictError, FutureRevisionError, KeyExistsError, KeyNotFoundError } from '../errors.js';
import { compareKeys } from '../key-range.js';
import { LogType, rowToEvent, rowToKeyValue } from '../log-row.js';
import type { LogRow } from '../log-row.js';
import type { KeyValue, ListOptions, ListResult, Storage, WatchEvent, WatchOptions, Watcher } from '../types.js';

/** A fresh store starts at revision 1, as etcd does, so no list ever reports resourceVersion "0". */
const initialRevision = 1;

export class MemoryStorage implements Storage {
  readonly name = 'memory';
  #revision = initialRevision;
  #compacted = 0;
  #closed = false;
  /** History, ordered by revision. */
  #log: LogRow[] = [];
  readonly #byRevision = new Map<number, LogRow>();
  /** Current row per live key, and the live keys in key order. */
  readonly #current = new Map<string, LogRow>();
  readonly #keys: string[] = [];
  readonly #hub = new WatchBroadcaster(
    {
      eventsAfter: (prefix, after, upTo, limit) => this.#eventsAfter(prefix, after, upTo, limit),
      compactedRevision: () => this.#compacted,
    },
    initialRevision,
  );

  async get(key: string): Promise<KeyValue | undefined> {
    this.#checkOpen();
    const row = this.#current.get(key);
    return row && rowToKeyValue(row);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.#checkOpen();
    const revision = this.#readRevision(opts.revision);
    const matching = revision === this.#revision ? this.#currentRows(prefix, opts.startAfter) : this.#rowsAt(prefix, opts.startAfter, revision);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : matching.length;
    const items = matching.slice(0, limit).map(rowToKeyValue);
    const remaining = matching.length - items.length;
    return { items, revision, more: remaining > 0, remaining };
  }

  async count(prefix: string): Promise<number> {
    this.#checkOpen();
    let n = 0;
    for (let i = lowerBound(this.#keys, prefix); i < this.#keys.length && this.#keys[i]!.startsWith(prefix); i++) n++;
    return n;
  }

  async create(key: string, value: string): Promise<number> {
    this.#checkOpen();
    if (this.#current.has(key)) throw new KeyExistsError(key);
    const revision = this.#revision + 1;
    return this.#append({ revision, key, type: LogType.create, value, createRevision: revision, prevRevision: 0 });
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<number> {
    this.#checkOpen();
    const cur = this.#guard(key, expectedModRevision);
    const row = { revision: this.#revision + 1, key, type: LogType.update, value, createRevision: cur.createRevision, prevRevision: cur.revision };
    return this.#append(row);
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ kv: KeyValue; revision: number }> {
    this.#checkOpen();
    const cur = this.#guard(key, expectedModRevision);
    const row = { revision: this.#revision + 1, key, type: LogType.delete, value: cur.value, createRevision: cur.createRevision, prevRevision: cur.revision };
    return { kv: rowToKeyValue(cur), revision: this.#append(row) };
  }

  watch(prefix: string, opts: WatchOptions): Watcher {
    this.#checkOpen();
    return this.#hub.watch(prefix, opts);
  }

  async currentRevision(): Promise<number> {
    this.#checkOpen();
    return this.#revision;
  }

  async compactedRevision(): Promise<number> {
    this.#checkOpen();
    return this.#compacted;
  }

  /** Keeps rows >= revision and, below it, each key's latest row as of revision (unless deleted). */
  async compact(revision: number): Promise<void> {
    this.#checkOpen();
    if (revision > this.#revision) throw new FutureRevisionError(revision, this.#revision);
    if (revision <= this.#compacted) return;
    const superseded = new Set<number>();
    for (const row of this.#log) {
      if (row.revision > revision) break;
      if (row.revision > this.#compacted && row.prevRevision > 0) superseded.add(row.prevRevision);
    }
    const drop = (row: LogRow): boolean =>
      row.revision < revision && (row.type === LogType.delete || superseded.has(row.revision));
    this.#log = this.#log.filter((row) => {
      if (!drop(row)) return true;
      this.#byRevision.delete(row.revision);
      return false;
    });
    this.#compacted = revision;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#hub.closeAll(new Error('storage closed'));
  }

  #eventsAfter(prefix: string, after: number, upTo: number, limit: number): WatchEvent[] {
    const out: WatchEvent[] = [];
    for (let i = firstAfter(this.#log, after); i < this.#log.length && out.length < limit; i++) {
      const row = this.#log[i]!;
      if (row.revision > upTo) break;
      if (row.key.startsWith(prefix)) out.push(rowToEvent(row, this.#byRevision.get(row.prevRevision)));
    }
    return out;
  }

  #append(row: LogRow): number {
    this.#log.push(row);
    this.#byRevision.set(row.revision, row);
    this.#revision = row.revision;
    if (row.type === LogType.delete) {
      this.#current.delete(row.key);
      this.#keys.splice(lowerBound(this.#keys, row.key), 1);
    } else {
      if (row.type === LogType.create) this.#keys.splice(lowerBound(this.#keys, row.key), 0, row.key);
      this.#current.set(row.key, row);
    }
    this.#hub.publish([rowToEvent(row, this.#byRevision.get(row.prevRevision))]);
    return row.revision;
  }

  #guard(key: string, expectedModRevision: number | undefined): LogRow {
    const cur = this.#current.get(key);
    if (!cur) throw new KeyNotFoundError(key);
    if (expectedModRevision !== undefined && cur.revision !== expectedModRevision) {
      throw new ConflictError(key, expectedModRevision, cur.revision);
    }
    return cur;
  }

  #readRevision(requested: number | undefined): number {
    if (!requested) return this.#revision;
    if (requested < this.#compacted) throw new CompactedError(requested, this.#compacted);
    if (requested > this.#revision) throw new FutureRevisionError(requested, this.#revision);
    return requested;
  }

  #currentRows(prefix: string, startAfter: string | undefined): LogRow[] {
    const rows: LogRow[] = [];
    let i = lowerBound(this.#keys, startAfter !== undefined && compareKeys(startAfter, prefix) >= 0 ? startAfter : prefix);
    if (startAfter !== undefined && this.#keys[i] === startAfter) i++;
    for (; i < this.#keys.length && this.#keys[i]!.startsWith(prefix); i++) rows.push(this.#current.get(this.#keys[i]!)!);
    return rows;
  }

  /** Each key's latest row at `revision`, keys in order; O(history), fine for a test driver. */
  #rowsAt(prefix: string, startAfter: string | undefined, revision: number): LogRow[] {
    const latest = new Map<string, LogRow>();
    for (const row of this.#log) {
      if (row.revision > revision) break;
      if (row.key.startsWith(prefix) && (startAfter === undefined || compareKeys(row.key, startAfter) > 0)) latest.set(row.key, row);
    }
    return [...latest.values()].filter((r) => r.type !== LogType.delete).sort((a, b) => compareKeys(a.key, b.key));
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error('storage closed');
  }
}

/** First index whose key is >= key. */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(keys[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose revision is > revision. */
function firstAfter(log: readonly LogRow[], revision: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (log[mid]!.revision <= revision) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
