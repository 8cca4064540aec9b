// The etcd v3 driver, used the way kube-apiserver's storage/etcd3 store uses etcd: a key's
// mod_revision is the object's resourceVersion; create is a transaction guarded by
// create_revision == 0, update and delete by mod_revision == the revision the caller read;
// lists read at a revision; watches start at a revision (watch.ts); compaction is etcd's own.
import { Etcd3 } from 'etcd3';
import type { IRangeResponse, ITxnResponse } from 'etcd3';
import { CompactedError, ConflictError, FutureRevisionError, KeyExistsError, KeyNotFoundError } from '../errors.js';
import type { KeyValue, ListOptions, ListResult, Storage, WatchOptions, Watcher } from '../types.js';
import { parseEtcdLocation, readCredentials } from './config.js';
import type { EtcdConfig } from './config.js';
import { KeySpace, isCompactedError, isFutureRevisionError, keyAfter, revisionOf } from './convert.js';
import { EtcdWatch } from './watch.js';

export class EtcdStorage implements Storage {
  readonly name = 'etcd';
  readonly config: EtcdConfig;
  readonly #client: Etcd3;
  readonly #keys: KeySpace;
  /** Highest revision any response has shown us: "now" for a watch from 0, without a round trip. */
  #seen = 0;
  /** Last compacted revision known here; compactedRevision() re-checks it against etcd. */
  #compacted = 0;
  readonly #inflight = new Set<Promise<unknown>>();
  /** The last write issued per key: writes to one key go to etcd one after another (see #txn). */
  readonly #keyTails = new Map<string, Promise<unknown>>();
  readonly #watches = new Set<EtcdWatch>();
  #closed = false;

  /** Connect and check etcd answers (so a wrong address fails at startup, not at first use). */
  static async open(location: string, url: string): Promise<EtcdStorage> {
    const s = new EtcdStorage(parseEtcdLocation(location, url));
    try {
      await s.currentRevision();
      await s.compactedRevision();
    } catch (err) {
      await s.close();
      throw new Error(`cannot reach etcd at ${s.config.endpoints.join(',')}: ${(err as Error).message}`, { cause: err });
    }
    return s;
  }

  constructor(config: EtcdConfig) {
    this.config = config;
    this.#keys = new KeySpace(config.prefix);
    this.#client = new Etcd3({
      hosts: [...config.endpoints],
      credentials: readCredentials(config.tls),
      dialTimeout: 5_000,
      // kube-apiserver lifts gRPC's 4 MiB receive limit too (MaxCallRecvMsgSize = MaxInt32).
      grpcOptions: { 'grpc.max_receive_message_length': -1 },
    });
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const res = await this.#run(() => this.#client.kv.range({ key: this.#keys.toEtcd(key) }));
    const kv = res.kvs[0];
    return kv && this.#keys.keyValue(kv);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const range = this.#keys.range(prefix);
    let start = range.key;
    if (opts.startAfter !== undefined) {
      const after = keyAfter(this.#keys.toEtcd(opts.startAfter));
      if (Buffer.compare(after, start) > 0) start = after;
    }
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const res = await this.#read(opts.revision, () =>
      this.#client.kv.range({ key: start, range_end: range.range_end, limit, revision: opts.revision || 0 }),
    );
    const items = res.kvs.map((kv) => this.#keys.keyValue(kv));
    // etcd's count is every key in [start, end) at that revision, the page included.
    const remaining = Number(res.count) - items.length;
    return { items, revision: opts.revision || revisionOf(res.header), more: remaining > 0, remaining };
  }

  async count(prefix: string): Promise<number> {
    const res = await this.#run(() => this.#client.kv.range({ ...this.#keys.range(prefix), count_only: true }));
    return Number(res.count);
  }

  async create(key: string, value: string): Promise<number> {
    const k = this.#keys.toEtcd(key);
    const res = await this.#txn(key, {
      compare: [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: k, value: Buffer.from(value, 'utf8') } }],
    });
    if (!res.succeeded) throw new KeyExistsError(key);
    return revisionOf(res.header);
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<number> {
    const k = this.#keys.toEtcd(key);
    const res = await this.#txn(key, {
      // create_revision > 0 as well: mod_revision == 0 alone would also match an absent key.
      compare: [
        { key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision },
        { key: k, target: 'Create', result: 'Greater', create_revision: 0 },
      ],
      success: [{ request_put: { key: k, value: Buffer.from(value, 'utf8') } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw this.#guardError(key, expectedModRevision, res);
    return revisionOf(res.header);
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ kv: KeyValue; revision: number }> {
    const k = this.#keys.toEtcd(key);
    const res = await this.#txn(key, {
      compare:
        expectedModRevision === undefined
          ? [{ key: k, target: 'Create', result: 'Greater', create_revision: 0 }]
          : [
              { key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision },
              { key: k, target: 'Create', result: 'Greater', create_revision: 0 },
            ],
      success: [{ request_delete_range: { key: k, prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw this.#guardError(key, expectedModRevision ?? 0, res);
    const prev = res.responses[0]?.response_delete_range?.prev_kvs[0];
    if (!prev) throw new KeyNotFoundError(key);
    return { kv: this.#keys.keyValue(prev), revision: revisionOf(res.header) };
  }

  watch(prefix: string, opts: WatchOptions): Watcher {
    this.#checkOpen();
    const from = opts.fromRevision;
    if (!Number.isSafeInteger(from) || from < 0) throw new RangeError(`invalid watch revision ${from}`);
    // Only the compaction this process knows of is checked synchronously; one made by another
    // API server comes back from etcd as a canceled watch and ends the watch with CompactedError.
    if (from !== 0 && from < this.#compacted) throw new CompactedError(from, this.#compacted);
    const w = new EtcdWatch({
      client: this.#client.watchClient,
      keys: this.#keys,
      range: this.#keys.range(prefix),
      after: from === 0 ? this.#seen : from,
      opts,
      onCompacted: (rev) => this.#noteCompacted(rev),
      onEnd: () => this.#watches.delete(w),
    });
    this.#watches.add(w);
    return w;
  }

  async currentRevision(): Promise<number> {
    // Any range answers with the store's revision in its header; a single absent key is cheapest.
    const res = await this.#run(() => this.#client.kv.range({ key: Buffer.from([0]), keys_only: true }));
    return revisionOf(res.header);
  }

  /**
   * etcd reports its compacted revision only inside errors, so ask it: a range at revision r fails
   * with ErrCompacted exactly when r < the compacted revision. The known value is still good when
   * a read at it succeeds (one round trip); otherwise binary-search up to the current revision.
   * Unlike kube-apiserver's compact_rev_key, this writes nothing, so compaction uses no revision.
   */
  async compactedRevision(): Promise<number> {
    const current = await this.currentRevision();
    const readable = async (rev: number): Promise<boolean> => {
      try {
        await this.#run(() => this.#client.kv.range({ key: Buffer.from([0]), keys_only: true, revision: rev }));
        return true;
      } catch (err) {
        if (isCompactedError(err)) return false;
        throw err;
      }
    };
    let lo = Math.max(this.#compacted, 1);
    if (await readable(lo)) return this.#compacted;
    let hi = current; // the current revision is always readable
    while (lo + 1 < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (await readable(mid)) hi = mid;
      else lo = mid;
    }
    this.#noteCompacted(hi);
    return this.#compacted;
  }

  async compact(revision: number): Promise<void> {
    this.#checkOpen();
    if (revision <= this.#compacted) return;
    const current = await this.currentRevision();
    if (revision > current) throw new FutureRevisionError(revision, current);
    try {
      await this.#run(() => this.#client.kv.compact({ revision }));
    } catch (err) {
      // Another API server compacted further already: nothing left to do here.
      if (isCompactedError(err)) {
        await this.compactedRevision();
        return;
      }
      if (isFutureRevisionError(err)) throw new FutureRevisionError(revision, await this.currentRevision());
      throw err;
    }
    this.#noteCompacted(revision);
  }

  /** Lets writes already sent finish, ends every watch, and closes the connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#inflight]);
    for (const w of [...this.#watches]) w.fail(new Error('storage closed'));
    this.#client.close();
  }

  #noteCompacted(revision: number): void {
    if (revision > this.#compacted) this.#compacted = revision;
  }

  #guardError(key: string, expected: number, res: ITxnResponse): Error {
    const cur = res.responses[0]?.response_range?.kvs[0];
    if (!cur) return new KeyNotFoundError(key);
    return new ConflictError(key, expected, Number(cur.mod_revision));
  }

  /**
   * Writes to the same key are applied in the order they were issued, as the sqlite and memory
   * drivers do: etcd serves concurrent requests on one connection in no set order, so a second
   * create of a key issued after the first could otherwise win. Other keys are not held up.
   */
  #txn(key: string, req: Parameters<Etcd3['kv']['txn']>[0]): Promise<ITxnResponse> {
    this.#checkOpen();
    const prev = this.#keyTails.get(key);
    // Checked once, at issue: a write queued behind another still goes out during close().
    const send = () => this.#run(() => this.#client.kv.txn(req), false);
    const p = prev ? prev.then(noop, noop).then(send) : send();
    this.#keyTails.set(key, p);
    this.#inflight.add(p);
    const done = () => {
      this.#inflight.delete(p);
      if (this.#keyTails.get(key) === p) this.#keyTails.delete(key);
    };
    p.then(done, done);
    return p;
  }

  /** A read at `revision`, with etcd's ErrCompacted/ErrFutureRev turned into typed errors. */
  async #read(revision: number | undefined, call: () => Promise<IRangeResponse>): Promise<IRangeResponse> {
    try {
      return await this.#run(call);
    } catch (err) {
      if (revision && isCompactedError(err)) {
        this.#noteCompacted(revision + 1);
        throw new CompactedError(revision, await this.compactedRevision());
      }
      if (revision && isFutureRevisionError(err)) throw new FutureRevisionError(revision, await this.currentRevision());
      throw err;
    }
  }

  /** Every call goes through here: refused after close, tracked so close() can wait for it. */
  #run<T extends { header: { revision: string } }>(call: () => Promise<T>, check = true): Promise<T> {
    if (check) this.#checkOpen();
    const p = call().then((res) => {
      const rev = revisionOf(res.header);
      if (rev > this.#seen) this.#seen = rev;
      return res;
    });
    this.#inflight.add(p);
    const done = () => this.#inflight.delete(p);
    p.then(done, done);
    return p;
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error('storage closed');
  }
}

function noop(): void {}
