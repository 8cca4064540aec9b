// The storage layer alone: svcnet's sqlite driver (in-process, as the API server embeds it) and
// etcd (a separate process over gRPC with the etcd3 client), driven with the operations
// kube-apiserver sends etcd: create = Txn(If CreateRevision == 0 Then Put), update =
// Txn(If ModRevision == n Then Put), list = Range over a prefix, watch = Watch on a prefix.
import { join } from 'node:path';
import { openStorage, type Storage } from '../src/storage/index.js';
import { startEtcdProcess } from './etcd-process.js';
import { removeDir, tempDir } from './cleanup.js';
import { serviceName, storedServiceJson } from './service-fixture.js';
import { nowMs, procMemory } from './stats.js';
import { SEQ_ANNOTATION, SEQ_PATTERN, type BenchTarget, type ListOutcome, type TargetName } from './target.js';

/** The raw operations a storage backend offers; KvTarget turns them into a BenchTarget. */
interface KvOps {
  create(key: string, value: string): Promise<number>;
  update(key: string, value: string, modRevision: number): Promise<number>;
  range(prefix: string): Promise<{ count: number; bytes: number }>;
  watch(prefix: string, onValue: (value: string) => void): Promise<{ close(): void }>;
  close(): Promise<void>;
}

/** kube-apiserver's key layout for Services. */
const PREFIX = '/registry/services/specs/';

export class KvTarget implements BenchTarget {
  readonly listVariants = ['json'];
  readonly name: TargetName;
  readonly pids: Record<string, number>;
  readonly #ops: KvOps;
  readonly #values = new Map<string, string>();
  readonly #revisions = new Map<string, number>();
  readonly #memPids: Record<string, number>;

  constructor(name: TargetName, ops: KvOps, pids: Record<string, number>, memPids: Record<string, number>) {
    this.name = name;
    this.#ops = ops;
    this.pids = pids;
    this.#memPids = memPids;
  }

  async prepareCreates(namespace: string, from: number, count: number): Promise<void> {
    this.#values.clear();
    for (let i = from; i < from + count; i++) this.#values.set(`${namespace}/${i}`, storedServiceJson(i, namespace));
  }

  async create(namespace: string, i: number): Promise<void> {
    const value = this.#values.get(`${namespace}/${i}`) ?? storedServiceJson(i, namespace);
    await this.#ops.create(`${PREFIX}${namespace}/${serviceName(i)}`, value);
  }

  async list(namespace: string): Promise<ListOutcome> {
    const start = nowMs();
    const r = await this.#ops.range(`${PREFIX}${namespace}/`);
    return { ms: nowMs() - start, ...r };
  }

  async openWatchers(namespace: string, n: number, onSeq: (watcher: number, seq: number, atMs: number) => void): Promise<{ close(): void }> {
    const watches: { close(): void }[] = [];
    const close = () => watches.forEach((w) => w.close());
    try {
      for (let w = 0; w < n; w++) {
        watches.push(
          await this.#ops.watch(`${PREFIX}${namespace}/`, (value) => {
            const at = nowMs();
            const m = SEQ_PATTERN.exec(value);
            if (m) onSeq(w, Number(m[1]), at);
          }),
        );
      }
    } catch (err) {
      close();
      throw err;
    }
    return { close };
  }

  async write(namespace: string, seq: number, stamp: () => void): Promise<void> {
    const key = `${PREFIX}${namespace}/watched-${seq - (seq % 2)}`;
    const obj = JSON.parse(storedServiceJson(seq, namespace)) as { metadata: { annotations: Record<string, string> } };
    obj.metadata.annotations[SEQ_ANNOTATION] = String(seq);
    const value = JSON.stringify(obj);
    stamp();
    const rev = seq % 2 === 0 ? await this.#ops.create(key, value) : await this.#ops.update(key, value, this.#revisions.get(key)!);
    this.#revisions.set(key, rev);
  }

  memory() {
    return Object.fromEntries(Object.entries(this.#memPids).map(([k, pid]) => [k, procMemory(pid)]));
  }

  close(): Promise<void> {
    return this.#ops.close();
  }
}

export async function startSqliteTarget(): Promise<KvTarget> {
  const dir = tempDir('sqlite');
  const store: Storage = await openStorage(`sqlite://${join(dir, 'state.db')}`);
  const ops: KvOps = {
    create: (k, v) => store.create(k, v),
    update: (k, v, rev) => store.update(k, v, rev),
    async range(prefix) {
      const r = await store.list(prefix);
      let bytes = 0;
      for (const kv of r.items) bytes += kv.value.length;
      return { count: r.items.length, bytes };
    },
    async watch(prefix, onValue) {
      return store.watch(prefix, { fromRevision: 0, onEvent: (ev) => onValue(ev.kv.value) });
    },
    async close() {
      await store.close();
      removeDir(dir);
    },
  };
  // In-process: the benchmark process is both client and server.
  return new KvTarget('sqlite', ops, { process: process.pid }, { process: process.pid });
}

export async function startEtcdTarget(bin: string): Promise<{ target: KvTarget; version: string }> {
  const etcd = await startEtcdProcess(bin);
  const client = etcd.client;
  const txnPut = async (key: string, value: string, field: 'Create' | 'Mod', rev: number) => {
    const r = await client.if(key, field, '==', rev).then(client.put(key).value(value)).commit();
    if (!r.succeeded) throw new Error(`etcd txn on ${key} did not succeed`);
    return Number(r.header.revision);
  };
  const ops: KvOps = {
    create: (k, v) => txnPut(k, v, 'Create', 0),
    update: (k, v, rev) => txnPut(k, v, 'Mod', rev),
    async range(prefix) {
      const r = await client.getAll().prefix(prefix).exec();
      let bytes = 0;
      for (const kv of r.kvs) bytes += kv.value.length;
      return { count: r.kvs.length, bytes };
    },
    async watch(prefix, onValue) {
      const w = await client.watch().prefix(prefix).create();
      w.on('put', (kv) => onValue(kv.value.toString('utf8')));
      return { close: () => void w.cancel() };
    },
    close: () => etcd.stop(),
  };
  const target = new KvTarget('etcd', ops, { server: etcd.pid, client: process.pid }, { server: etcd.pid });
  return { target, version: etcd.version };
}
