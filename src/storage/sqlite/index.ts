// The default driver: SQLite through better-sqlite3, in WAL mode with synchronous=FULL, so a
// write whose promise has resolved is on disk (it survives kill -9 and power loss). Writes are
// group-committed (see group-commit.ts); reads are synchronous queries on the same connection,
// so they always see every acknowledged write.
import Database from 'better-sqlite3';
import { WatchBroadcaster } from '../broadcaster.js';
import { CompactedError, ConflictError, FutureRevisionError, KeyExistsError, KeyNotFoundError, StorageError } from '../errors.js';
import { prefixEnd } from '../key-range.js';
import { LogType, rowToEvent, rowToKeyValue } from '../log-row.js';
import type { LogRow } from '../log-row.js';
import type { KeyValue, ListOptions, ListResult, Storage, WatchEvent, WatchOptions, Watcher } from '../types.js';
import { GroupCommitter } from './group-commit.js';
import type { Outcome } from './group-commit.js';
import { prepareStatements, schemaSql } from './schema.js';
import type { Statements } from './schema.js';

type WriteOp =
  | { readonly kind: 'create'; readonly key: string; readonly value: string }
  | { readonly kind: 'update'; readonly key: string; readonly value: string; readonly expected: number }
  | { readonly kind: 'delete'; readonly key: string; readonly expected: number | undefined };

/** Stands in for "no upper bound" in range scans (see schema.ts). */
const unbounded = Buffer.from([0xff]);
/** A fresh store starts at revision 1, as etcd does, so no list ever reports resourceVersion "0". */
const initialRevision = 1;

export class SqliteStorage implements Storage {
  readonly name = 'sqlite';
  readonly path: string;
  readonly #db: Database.Database;
  readonly #sql: Statements;
  readonly #writer: GroupCommitter<WriteOp, WatchEvent>;
  readonly #hub: WatchBroadcaster;
  #revision: number;
  #compacted: number;
  #closed = false;

  /** Open (creating if needed) the database file at `path`. */
  static async open(path: string): Promise<SqliteStorage> {
    return new SqliteStorage(path);
  }

  constructor(path: string) {
    this.path = path;
    // A short busy timeout: the only contender is another process holding the exclusive lock.
    this.#db = new Database(path, { timeout: 200 });
    try {
      // One process owns the file: watchers are fed in-process, so a second writer's commits
      // would never reach them. EXCLUSIVE also lets WAL run without a shared-memory index.
      this.#db.pragma('locking_mode = EXCLUSIVE');
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = FULL');
      this.#db.exec(schemaSql);
      this.#db.exec('BEGIN EXCLUSIVE; COMMIT');
    } catch (err) {
      this.#db.close();
      if ((err as { code?: string }).code === 'SQLITE_BUSY') {
        throw new Error(`sqlite database ${path} is in use by another process`, { cause: err });
      }
      throw err;
    }
    this.#sql = prepareStatements(this.#db);
    this.#compacted = Number(this.#sql.getMeta.get('compact_revision') ?? 0);
    this.#revision = this.#storedRevision();
    this.#writer = new GroupCommitter((ops) => this.#commit(ops));
    this.#hub = new WatchBroadcaster(
      {
        eventsAfter: (prefix, after, upTo, limit) => this.#eventsAfter(prefix, after, upTo, limit),
        compactedRevision: () => this.#compacted,
      },
      this.#revision,
    );
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.#checkOpen();
    const row = this.#sql.current.get(key) as LogRow | undefined;
    return row && rowToKeyValue(row);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.#checkOpen();
    const revision = this.#readRevision(opts.revision);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : -1;
    const params = { ...range(prefix), after: opts.startAfter ?? null, limit };
    const atCurrent = revision === this.#revision;
    const rows = (atCurrent ? this.#sql.listCurrent.all(params) : this.#sql.listAt.all({ ...params, revision })) as LogRow[];
    let remaining = 0;
    if (limit > 0 && rows.length === limit) {
      const countParams = { ...params, after: rows[rows.length - 1]!.key };
      delete (countParams as { limit?: number }).limit;
      remaining = Number(atCurrent ? this.#sql.countCurrent.get(countParams) : this.#sql.countAt.get({ ...countParams, revision }));
    }
    return { items: rows.map(rowToKeyValue), revision, more: remaining > 0, remaining };
  }

  async count(prefix: string): Promise<number> {
    this.#checkOpen();
    return Number(this.#sql.countCurrent.get({ ...range(prefix), after: null }));
  }

  async create(key: string, value: string): Promise<number> {
    this.#checkOpen();
    return (await this.#writer.submit({ kind: 'create', key, value })).revision;
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<number> {
    this.#checkOpen();
    return (await this.#writer.submit({ kind: 'update', key, value, expected: expectedModRevision })).revision;
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ kv: KeyValue; revision: number }> {
    this.#checkOpen();
    const event = await this.#writer.submit({ kind: 'delete', key, expected: expectedModRevision });
    return { kv: event.prevKv!, revision: event.revision };
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
    this.#db.transaction(() => {
      this.#sql.compact.run({ revision, old: this.#compacted });
      this.#sql.setMeta.run('compact_revision', revision);
    })();
    this.#compacted = revision;
  }

  /** Commits writes already issued, ends every watch, and closes the database. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writer.drain();
    this.#hub.closeAll(new Error('storage closed'));
    this.#db.close();
  }

  /** One transaction for the whole batch; guard failures are per-write outcomes, not rollbacks. */
  #commit(ops: readonly WriteOp[]): Outcome<WatchEvent>[] {
    const events: WatchEvent[] = [];
    let outcomes: Outcome<WatchEvent>[];
    try {
      outcomes = this.#db.transaction(() =>
        ops.map((op): Outcome<WatchEvent> => {
          try {
            const event = this.#apply(op);
            events.push(event);
            return { ok: true, value: event };
          } catch (error) {
            if (error instanceof StorageError) return { ok: false, error };
            throw error;
          }
        }),
      )();
    } catch (err) {
      this.#revision = this.#storedRevision();
      throw err;
    }
    this.#hub.publish(events);
    return outcomes;
  }

  #apply(op: WriteOp): WatchEvent {
    const cur = this.#sql.current.get(op.key) as LogRow | undefined;
    const revision = this.#revision + 1;
    let row: LogRow;
    if (op.kind === 'create') {
      if (cur) throw new KeyExistsError(op.key);
      row = { revision, key: op.key, type: LogType.create, value: op.value, createRevision: revision, prevRevision: 0 };
    } else {
      if (!cur) throw new KeyNotFoundError(op.key);
      if (op.expected !== undefined && cur.revision !== op.expected) throw new ConflictError(op.key, op.expected, cur.revision);
      const [type, value] = op.kind === 'update' ? [LogType.update, op.value] : [LogType.delete, cur.value];
      row = { revision, key: op.key, type, value, createRevision: cur.createRevision, prevRevision: cur.revision };
    }
    this.#sql.insertLog.run(row.revision, row.key, row.type, row.value, row.createRevision, row.prevRevision);
    if (row.type === LogType.delete) this.#sql.deleteKv.run(row.key);
    else this.#sql.upsertKv.run(row.key, row.revision);
    this.#revision = revision;
    return rowToEvent(row, cur);
  }

  #eventsAfter(prefix: string, after: number, upTo: number, limit: number): WatchEvent[] {
    const rows = this.#sql.eventsAfter.all({ ...range(prefix), after, upTo, limit }) as LogRow[];
    return rows.map((row) =>
      rowToEvent(row, row.type === LogType.update ? (this.#sql.byRevision.get(row.prevRevision) as LogRow | undefined) : undefined),
    );
  }

  #readRevision(requested: number | undefined): number {
    if (!requested) return this.#revision;
    if (requested < this.#compacted) throw new CompactedError(requested, this.#compacted);
    if (requested > this.#revision) throw new FutureRevisionError(requested, this.#revision);
    return requested;
  }

  /** Never reuse a revision: the log's newest row survives compaction, meta covers an empty log. */
  #storedRevision(): number {
    return Math.max(initialRevision, Number(this.#sql.maxRevision.get() ?? 0), this.#compacted);
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error('storage closed');
  }
}

function range(prefix: string): { start: string; end: string | Buffer } {
  return { start: prefix, end: prefixEnd(prefix) ?? unbounded };
}
