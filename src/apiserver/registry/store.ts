// The generic registry store (k8s.io/apiserver/pkg/registry/generic/registry/store.go, slimmed):
// object metadata, optimistic concurrency, graceful deletion and finalizers over the revisioned
// Storage interface. resourceVersion is the storage modRevision, stamped on read.
import { apiErrors, StatusError } from '../../api/errors.js';
import { fieldErr } from '../../api/field-errors.js';
import { deepClone, formatTime, generateName, jsonEqual, newUID, type KubeObject } from '../../api/meta.js';
import { CompactedError, ConflictError, FutureRevisionError, KeyExistsError, KeyNotFoundError } from '../../storage/errors.js';
import type { KeyValue, Storage, WatchEvent, Watcher } from '../../storage/types.js';
import { tooLargeResourceVersion } from '../resource-version.js';
import { apiVersionOf, type ResourceDef } from '../resources.js';
import { continueExpired, decodeContinue, encodeContinue, listExpired } from './continue.js';
import { withKeyLock } from './key-lock.js';
import type { PendingChange, RequestContext, Strategy } from './strategy.js';

export interface Predicate {
  matches(obj: KubeObject): boolean;
  /** True when it matches everything (lets list skip decoding work). */
  readonly empty: boolean;
}

export const EVERYTHING: Predicate = { matches: () => true, empty: true };

export interface ListOptions {
  readonly predicate: Predicate;
  readonly limit?: number;
  readonly continueToken?: string;
  /** Read at exactly this revision (410 if compacted); default: the latest. Ignored with a continue token. */
  readonly revision?: number;
}

export interface ListResult {
  readonly items: KubeObject[];
  readonly resourceVersion: string;
  readonly continueToken?: string;
  readonly remainingItemCount?: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreWatchEvent {
  readonly type: WatchEventType;
  readonly object: KubeObject;
  /** The object before this change, when there was one (lets filtered watches see transitions). */
  readonly previous?: KubeObject;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  orphanDependents?: boolean;
}

export interface DeleteResult {
  readonly object: KubeObject;
  /** False when the object still exists (graceful deletion or finalizers pending). */
  readonly deleted: boolean;
}

/** Keys look like etcd's under kube-apiserver: /registry/<group>/<resource>/<namespace>/<name>. */
export function registryPrefix(def: ResourceDef): string {
  return `/registry/${def.group || 'core'}/${def.resource}/`;
}

const MAX_GENERATE_NAME_RETRIES = 8;
/** etcd's default request size limit (1.5 MiB), which bounds every stored object. */
export const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;

export class RegistryStore {
  readonly def: ResourceDef;
  readonly #storage: Storage;
  readonly #strategy: Strategy;
  readonly #namespaceLookup: (ns: string) => Promise<KubeObject | undefined>;

  constructor(storage: Storage, strategy: Strategy, namespaceLookup: (ns: string) => Promise<KubeObject | undefined>) {
    this.#storage = storage;
    this.#strategy = strategy;
    this.def = strategy.def;
    this.#namespaceLookup = namespaceLookup;
  }

  get strategy(): Strategy {
    return this.#strategy;
  }

  get groupResource() {
    return { group: this.def.group, resource: this.def.resource };
  }

  key(namespace: string, name: string): string {
    return this.def.namespaced ? `${registryPrefix(this.def)}${namespace}/${name}` : `${registryPrefix(this.def)}${name}`;
  }

  prefix(namespace: string): string {
    return this.def.namespaced && namespace ? `${registryPrefix(this.def)}${namespace}/` : registryPrefix(this.def);
  }

  /** Decodes a stored value and stamps kind, apiVersion and resourceVersion. */
  decode(kv: KeyValue): KubeObject {
    const obj = JSON.parse(kv.value) as KubeObject;
    obj.apiVersion = apiVersionOf(this.def);
    obj.kind = this.def.kind;
    obj.metadata.resourceVersion = String(kv.modRevision);
    this.#strategy.decorate?.(obj);
    return obj;
  }

  #encode(obj: KubeObject): string {
    // Stored without apiVersion/kind/resourceVersion (restored on read) and with metadata first,
    // so a LIST can splice stored text into the response without re-encoding (see listJSON).
    const { apiVersion: _a, kind: _k, metadata, ...rest } = obj;
    const m = { ...metadata };
    delete m.resourceVersion;
    const s = JSON.stringify({ metadata: m, ...rest });
    // etcd's default --max-request-bytes; kube-apiserver passes etcd's error through as a
    // reason-less 500, which kubectl prints as "Error from server: etcdserver: request is too large".
    if (s.length > MAX_OBJECT_BYTES && Buffer.byteLength(s) > MAX_OBJECT_BYTES) {
      throw new StatusError(500, '', 'etcdserver: request is too large');
    }
    return s;
  }

  async get(namespace: string, name: string): Promise<KubeObject> {
    const kv = await this.#storage.get(this.key(namespace, name));
    if (!kv) throw apiErrors.notFound(this.groupResource, name);
    return this.decode(kv);
  }

  async tryGet(namespace: string, name: string): Promise<KubeObject | undefined> {
    const kv = await this.#storage.get(this.key(namespace, name));
    return kv ? this.decode(kv) : undefined;
  }

  async list(namespace: string, opts: ListOptions): Promise<ListResult> {
    const prefix = this.prefix(namespace);
    const { revision, startAfter: continueKey } = this.#listStart(prefix, opts);
    let startAfter = continueKey;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const items: KubeObject[] = [];
    let readRevision = revision ?? 0;
    let lastKey: string | undefined;
    let more = false;
    let remaining = 0;
    try {
      // Read pages until `limit` matching items are found, as the etcd3 store does when a
      // selector filters out part of each page.
      outer: for (;;) {
        const page = await this.#storage.list(prefix, { limit, startAfter, revision: readRevision || undefined });
        readRevision = page.revision;
        for (let idx = 0; idx < page.items.length; idx++) {
          const kv = page.items[idx]!;
          lastKey = kv.key;
          const obj = this.decode(kv);
          if (!opts.predicate.matches(obj)) continue;
          items.push(obj);
          if (limit && items.length === limit) {
            const leftInPage = page.items.length - 1 - idx;
            more = leftInPage > 0 || page.more;
            if (more && opts.predicate.empty) remaining = leftInPage + page.remaining;
            break outer;
          }
        }
        if (!page.more) break;
        startAfter = lastKey;
      }
    } catch (err) {
      throw listReadError(err, opts.continueToken ? continueKey : undefined, prefix);
    }
    const result: ListResult = { items, resourceVersion: String(readRevision) };
    if (more && lastKey) {
      return {
        ...result,
        continueToken: encodeContinue(readRevision, lastKey, prefix),
        remainingItemCount: remaining > 0 ? remaining : undefined,
      };
    }
    return result;
  }

  /** Where a list starts: from a (validated) continue token, or at the requested revision. */
  #listStart(prefix: string, opts: { continueToken?: string; revision?: number }): { revision?: number; startAfter?: string } {
    if (!opts.continueToken) return { revision: opts.revision || undefined };
    const tok = decodeContinue(opts.continueToken, prefix);
    return { revision: tok.revision, startAfter: tok.startAfter };
  }

  /**
   * LIST without a selector, as JSON text: stored values are spliced into the response with
   * their resourceVersion inserted, skipping a parse and a stringify per object (for 10,000
   * Services that is most of the LIST's CPU time).
   */
  async listJSONItems(namespace: string, opts: { limit?: number; continueToken?: string; revision?: number }): Promise<{
    items: string[];
    resourceVersion: string;
    continueToken?: string;
    remainingItemCount?: number;
  }> {
    if (this.#strategy.decorate) {
      // Objects normalized on read must go through decode.
      const r = await this.list(namespace, { predicate: EVERYTHING, ...opts });
      return { ...r, items: r.items.map((o) => JSON.stringify(stripTypeMeta(o))) };
    }
    const prefix = this.prefix(namespace);
    const { revision, startAfter } = this.#listStart(prefix, opts);
    let page;
    try {
      page = await this.#storage.list(prefix, { limit: opts.limit ?? 0, startAfter, revision });
    } catch (err) {
      throw listReadError(err, opts.continueToken ? startAfter : undefined, prefix);
    }
    const items = page.items.map(spliceResourceVersion);
    const last = page.items[page.items.length - 1];
    if (page.more && last) {
      return {
        items,
        resourceVersion: String(page.revision),
        continueToken: encodeContinue(page.revision, last.key, prefix),
        remainingItemCount: page.remaining || undefined,
      };
    }
    return { items, resourceVersion: String(page.revision) };
  }

  async currentRevision(): Promise<number> {
    return this.#storage.currentRevision();
  }

  /**
   * Resolves with the current revision once the store has reached `rev` (any key's write counts,
   * as the revision is global), or when `timeoutMs` has passed, whichever is first.
   */
  async waitForRevision(rev: number, timeoutMs: number): Promise<number> {
    const current = await this.#storage.currentRevision();
    if (current >= rev) return current;
    return new Promise((resolve, reject) => {
      let watcher: Watcher | undefined;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        watcher?.close();
        this.#storage.currentRevision().then(resolve, reject);
      };
      const timer = setTimeout(finish, timeoutMs);
      // Every key lives under "/"; the watch replays anything committed since `current`.
      watcher = this.#storage.watch('/', {
        fromRevision: current,
        onEvent: (ev) => {
          if (ev.revision >= rev) finish();
        },
        onError: finish,
      });
      if (done) watcher.close();
    });
  }

  async #checkNamespace(namespace: string, name: string): Promise<void> {
    if (!this.def.namespaced) return;
    const ns = await this.#namespaceLookup(namespace);
    if (!ns) throw apiErrors.notFound({ group: '', resource: 'namespaces' }, namespace);
    if (ns.metadata.deletionTimestamp || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating') {
      throw apiErrors.namespaceTerminating(this.groupResource, name, namespace);
    }
  }

  /** POST: fills system metadata, runs the strategy, stores. */
  async create(namespace: string, input: KubeObject, ctx: RequestContext): Promise<KubeObject> {
    const obj = deepClone(input);
    const meta = (obj.metadata ??= {});
    if (this.def.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw apiErrors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = namespace || meta.namespace;
    } else {
      delete meta.namespace;
    }
    const generated = !meta.name && !!meta.generateName;
    if (generated) meta.name = generateName(meta.generateName!);
    if (!meta.name) {
      throw apiErrors.invalid(this.def.group, this.def.kind, '', [fieldErr.required('metadata.name', 'name or generateName is required')]);
    }
    meta.uid = newUID();
    meta.creationTimestamp = formatTime(ctx.now);
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (this.#strategy.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    if (this.def.namespaced) await this.#checkNamespace(meta.namespace!, meta.name);

    // As upstream's BeginCreate: allocation runs before PrepareForCreate and validation, so its
    // errors come back alone, and it is undone if anything after it fails.
    const pending = await this.#strategy.beginCreate?.(obj, ctx);
    try {
      this.#strategy.prepareForCreate(obj, ctx);
      const errs = this.#strategy.validate(obj, ctx);
      if (errs.length) throw apiErrors.invalid(this.def.group, this.def.kind, meta.name, errs);
      if (ctx.dryRun) {
        // A dry run must be indistinguishable from a real one except that nothing is stored.
        if (await this.#storage.get(this.key(meta.namespace ?? '', meta.name))) {
          throw apiErrors.alreadyExists(this.groupResource, meta.name);
        }
        await pending?.revert();
        return this.#stamp(obj, await this.#storage.currentRevision());
      }
      for (let attempt = 0; ; attempt++) {
        try {
          const rev = await this.#storage.create(this.key(meta.namespace ?? '', meta.name), this.#encode(obj));
          await pending?.commit();
          return this.#stamp(obj, rev);
        } catch (err) {
          if (err instanceof KeyExistsError) {
            if (generated && attempt < MAX_GENERATE_NAME_RETRIES) {
              meta.name = generateName(meta.generateName!);
              continue;
            }
            throw apiErrors.alreadyExists(this.groupResource, meta.name);
          }
          throw err;
        }
      }
    } catch (err) {
      await pending?.revert();
      throw err;
    }
  }

  #stamp(obj: KubeObject, rev: number): KubeObject {
    obj.apiVersion = apiVersionOf(this.def);
    obj.kind = this.def.kind;
    obj.metadata.resourceVersion = String(rev);
    return obj;
  }

  /**
   * The read-modify-write loop every write goes through (GuaranteedUpdate): `mutate` gets the
   * current object (undefined if absent) and returns the desired one. A resourceVersion in the
   * desired object pins the update to that version (409 if stale); otherwise conflicts retry.
   * Callers on one key are queued (key-lock.ts), so concurrent writers do not spin.
   */
  async guaranteedUpdate(
    namespace: string,
    name: string,
    ctx: RequestContext,
    mutate: (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>,
    opts: { subresource?: string; allowCreate?: boolean } = {},
  ): Promise<{ object: KubeObject; created: boolean }> {
    const key = this.key(namespace, name);
    return withKeyLock(this.#storage, key, () => this.#guaranteedUpdate(key, namespace, name, ctx, mutate, opts));
  }

  async #guaranteedUpdate(
    key: string,
    namespace: string,
    name: string,
    ctx: RequestContext,
    mutate: (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>,
    opts: { subresource?: string; allowCreate?: boolean },
  ): Promise<{ object: KubeObject; created: boolean }> {
    // Unbounded, as upstream's GuaranteedUpdate: without a precondition a conflict only means
    // someone else wrote first, and every conflict is another writer's progress.
    for (;;) {
      const kv = await this.#storage.get(key);
      const current = kv ? this.decode(kv) : undefined;
      if (!current && !(opts.allowCreate && !opts.subresource)) {
        throw apiErrors.notFound(this.groupResource, name);
      }
      const desired = deepClone(await mutate(current ? deepClone(current) : undefined));
      desired.metadata ??= {};
      if (this.def.namespaced) {
        if (desired.metadata.namespace && desired.metadata.namespace !== namespace) {
          throw apiErrors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
        }
        desired.metadata.namespace = namespace;
      }
      if (desired.metadata.name !== undefined && desired.metadata.name !== name) {
        throw apiErrors.badRequest(`the name of the object (${desired.metadata.name}) does not match the name on the URL (${name})`);
      }
      desired.metadata.name = name;
      if (!current) {
        const created = await this.create(namespace, desired, ctx);
        return { object: created, created: true };
      }
      const pinned = desired.metadata.resourceVersion;
      if (pinned && pinned !== current.metadata.resourceVersion) {
        throw apiErrors.objectModified(this.groupResource, name);
      }
      // BeginUpdate (allocation) precedes PrepareForUpdate and validation, as upstream.
      const pending = opts.subresource ? undefined : await this.#strategy.beginUpdate?.(desired, current, ctx);
      let next: KubeObject;
      try {
        next = this.#prepareUpdate(desired, current, ctx, opts.subresource);
      } catch (err) {
        await pending?.revert();
        throw err;
      }
      if (jsonEqual(stripRV(next), stripRV(current))) {
        // No-op updates do not write (and so do not bump resourceVersion), as upstream.
        await pending?.revert();
        return { object: current, created: false };
      }
      try {
        if (ctx.dryRun) {
          await pending?.revert();
          return { object: next, created: false };
        }
        if (next.metadata.deletionTimestamp && !this.#pendingFinalizers(next) && !this.#strategy.gracePeriod) {
          // The last finalizer is gone from an object being deleted: it goes away now.
          const { kv: deletedKV, revision } = await this.#storage.delete(key, kv!.modRevision);
          await pending?.commit();
          const gone = this.decode({ ...deletedKV, value: this.#encode(next), modRevision: revision });
          await this.#strategy.afterDelete?.(gone, ctx);
          return { object: gone, created: false };
        }
        const rev = await this.#storage.update(key, this.#encode(next), kv!.modRevision);
        await pending?.commit();
        return { object: this.#stamp(next, rev), created: false };
      } catch (err) {
        await pending?.revert();
        if (err instanceof ConflictError || err instanceof KeyNotFoundError) {
          if (pinned) throw apiErrors.objectModified(this.groupResource, name);
          continue;
        }
        throw err;
      }
    }
  }

  #pendingFinalizers(obj: KubeObject): boolean {
    return (obj.metadata.finalizers ?? []).length > 0 || (this.#strategy.hasPendingFinalizers?.(obj) ?? false);
  }

  #prepareUpdate(desired: KubeObject, current: KubeObject, ctx: RequestContext, subresource?: string): KubeObject {
    const next = desired;
    const m = next.metadata;
    const c = current.metadata;
    // System fields are owned by the server.
    m.uid = c.uid;
    m.creationTimestamp = c.creationTimestamp;
    m.deletionTimestamp = c.deletionTimestamp;
    m.deletionGracePeriodSeconds = c.deletionGracePeriodSeconds;
    if (m.deletionTimestamp === undefined) delete m.deletionTimestamp;
    if (m.deletionGracePeriodSeconds === undefined) delete m.deletionGracePeriodSeconds;
    // Unconditional updates (no resourceVersion sent) apply to the version just read.
    if (!m.resourceVersion) m.resourceVersion = c.resourceVersion;
    m.generation = c.generation;
    if (m.generation === undefined) delete m.generation;
    delete m.selfLink;
    if (subresource === 'binding') {
      // Binding writes the object as the handler built it, skipping update validation, as
      // upstream's BindingREST writes storage directly.
      return next;
    }
    if (subresource === 'finalize') {
      // namespaces/finalize changes spec.finalizers and nothing else.
      const finalizers = (next.spec as { finalizers?: string[] } | undefined)?.finalizers;
      for (const k of Object.keys(next)) if (k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') delete next[k];
      for (const k of Object.keys(current)) if (k !== 'metadata') next[k] = deepClone(current[k]);
      next.metadata = { ...deepClone(current.metadata), resourceVersion: m.resourceVersion };
      const spec = (next.spec ??= {}) as { finalizers?: string[] };
      if (finalizers && finalizers.length) spec.finalizers = finalizers;
      else delete spec.finalizers;
    } else if (subresource === 'status') {
      if (this.#strategy.prepareForStatusUpdate) this.#strategy.prepareForStatusUpdate(next, current, ctx);
      else {
        for (const k of Object.keys(next)) if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') delete next[k];
        for (const k of Object.keys(current)) if (k !== 'status' && k !== 'metadata') next[k] = deepClone(current[k]);
      }
    } else {
      if (this.#strategy.hasStatusSubresource) {
        if (current.status === undefined) delete next.status;
        else next.status = deepClone(current.status);
      }
      this.#strategy.prepareForUpdate(next, current, ctx);
    }
    if (this.#strategy.tracksGeneration && !subresource && specChanged(next, current)) {
      m.generation = (c.generation ?? 0) + 1;
    }
    const errs = this.#strategy.validateUpdate(next, current, ctx);
    if (errs.length) throw apiErrors.invalid(this.def.group, this.def.kind, m.name ?? '', errs);
    return next;
  }

  /** DELETE: preconditions, graceful deletion, finalizers, then removal. */
  async delete(namespace: string, name: string, options: DeleteOptions, ctx: RequestContext): Promise<DeleteResult> {
    const key = this.key(namespace, name);
    // Queued with updates to the same key, so a delete does not spin against a stream of patches.
    return withKeyLock(this.#storage, key, () => this.#delete(key, name, options, ctx));
  }

  async #delete(key: string, name: string, options: DeleteOptions, ctx: RequestContext): Promise<DeleteResult> {
    for (;;) {
      const kv = await this.#storage.get(key);
      if (!kv) throw apiErrors.notFound(this.groupResource, name);
      const current = this.decode(kv);
      const pre = options.preconditions;
      if (pre?.uid && pre.uid !== current.metadata.uid) {
        throw apiErrors.conflict(
          this.groupResource,
          name,
          `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
        );
      }
      if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
        throw apiErrors.conflict(
          this.groupResource,
          name,
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
        );
      }
      this.#strategy.validateDelete?.(current, ctx);
      const next = deepClone(current);
      const finalizers = new Set(next.metadata.finalizers ?? []);
      const policy = options.propagationPolicy ?? (options.orphanDependents ? 'Orphan' : undefined);
      if (policy === 'Foreground') finalizers.add('foregroundDeletion');
      if (policy === 'Orphan') finalizers.add('orphan');
      const grace = this.#strategy.gracePeriod?.(current, options.gracePeriodSeconds);
      const strategyFinalizers = this.#strategy.hasPendingFinalizers?.(next) ?? false;
      const mustWait = finalizers.size > 0 || strategyFinalizers || (grace !== undefined && grace > 0);
      if (mustWait) {
        let changed = false;
        if (!next.metadata.deletionTimestamp) {
          const seconds = grace ?? 0;
          next.metadata.deletionTimestamp = formatTime(new Date(ctx.now.getTime() + seconds * 1000));
          next.metadata.deletionGracePeriodSeconds = seconds;
          changed = true;
        } else if (grace !== undefined && next.metadata.deletionGracePeriodSeconds !== undefined && grace < next.metadata.deletionGracePeriodSeconds) {
          // A shorter grace period may replace a longer one, never the other way round.
          next.metadata.deletionTimestamp = formatTime(new Date(ctx.now.getTime() + grace * 1000));
          next.metadata.deletionGracePeriodSeconds = grace;
          changed = true;
        }
        if (finalizers.size !== (next.metadata.finalizers ?? []).length) {
          next.metadata.finalizers = [...finalizers];
          changed = true;
        }
        if (finalizers.size > 0 || strategyFinalizers || grace! > 0) {
          if (!next.metadata.deletionTimestamp || changed) this.#strategy.beginGracefulDeletion?.(next);
          if (!changed || ctx.dryRun) return { object: changed ? next : current, deleted: false };
          try {
            const rev = await this.#storage.update(key, this.#encode(next), kv.modRevision);
            return { object: this.#stamp(next, rev), deleted: false };
          } catch (err) {
            if (err instanceof ConflictError || err instanceof KeyNotFoundError) continue;
            throw err;
          }
        }
      }
      if (ctx.dryRun) return { object: current, deleted: true };
      try {
        const { revision } = await this.#storage.delete(key, kv.modRevision);
        current.metadata.resourceVersion = String(revision);
        await this.#strategy.afterDelete?.(current, ctx);
        return { object: current, deleted: true };
      } catch (err) {
        if (err instanceof ConflictError) continue;
        if (err instanceof KeyNotFoundError) throw apiErrors.notFound(this.groupResource, name);
        throw err;
      }
    }
  }

  /**
   * Watches this resource from `fromRevision` (exclusive; 0 = now). Throws a 410 StatusError when
   * the revision was compacted.
   */
  /**
   * The storage broadcaster hands the same event object to every watcher, so each event is
   * decoded once per store, not once per watcher (the watch-cache effect, without the cache).
   * Watchers must treat the shared objects as read-only.
   */
  readonly #decodedEvents = new WeakMap<WatchEvent, StoreWatchEvent>();

  #watchEvent(ev: WatchEvent): StoreWatchEvent {
    let out = this.#decodedEvents.get(ev);
    if (out) return out;
    if (ev.type === 'DELETE') {
      const last = ev.prevKv ?? ev.kv;
      out = { type: 'DELETED', object: this.decode({ ...last, modRevision: ev.revision }) };
    } else {
      let previous: KubeObject | undefined;
      const prevKv = ev.prevKv;
      const decode = (kv: KeyValue) => this.decode(kv);
      out = {
        type: prevKv ? 'MODIFIED' : 'ADDED',
        object: this.decode(ev.kv),
        // Only filtered watches look at the previous object; decode it on demand.
        get previous() {
          if (prevKv && !previous) previous = decode(prevKv);
          return previous;
        },
      };
    }
    this.#decodedEvents.set(ev, out);
    return out;
  }

  watch(
    namespace: string,
    fromRevision: number,
    onEvent: (e: StoreWatchEvent, revision: number) => void,
    onError: (err: Error) => void,
  ): { close(): void } {
    try {
      return this.#storage.watch(this.prefix(namespace), {
        fromRevision,
        onEvent: (ev: WatchEvent) => onEvent(this.#watchEvent(ev), ev.revision),
        onError,
      });
    } catch (err) {
      if (err instanceof CompactedError) {
        throw apiErrors.resourceExpired(`too old resource version: ${fromRevision} (${err.compacted})`);
      }
      throw err;
    }
  }
}

const METADATA_PREFIX = '{"metadata":{';

/** Stored text with metadata.resourceVersion inserted (stored values begin with metadata). */
function spliceResourceVersion(kv: KeyValue): string {
  const v = kv.value;
  if (!v.startsWith(METADATA_PREFIX)) {
    const o = JSON.parse(v) as KubeObject;
    delete o.apiVersion;
    delete o.kind;
    o.metadata.resourceVersion = String(kv.modRevision);
    return JSON.stringify(o);
  }
  const rest = v.slice(METADATA_PREFIX.length);
  const sep = rest.startsWith('}') ? '' : ',';
  return `${METADATA_PREFIX}"resourceVersion":"${kv.modRevision}"${sep}${rest}`;
}

/** List items carry no apiVersion/kind, as kube-apiserver's lists. */
function stripTypeMeta(o: KubeObject): unknown {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}

function stripRV(o: KubeObject): unknown {
  const c = { ...o, metadata: { ...o.metadata } };
  delete c.metadata.resourceVersion;
  delete c.metadata.managedFields;
  return c;
}

function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const c: Record<string, unknown> = { ...o };
    delete c.metadata;
    delete c.status;
    delete c.apiVersion;
    delete c.kind;
    return c;
  };
  return !jsonEqual(strip(a), strip(b));
}

/** Storage errors of a list read, as the etcd3 store's interpretListError words them. */
function listReadError(err: unknown, continueKey: string | undefined, prefix: string): unknown {
  if (err instanceof CompactedError) return continueKey !== undefined ? continueExpired(continueKey, prefix) : listExpired();
  // Only a forged continue token can name a revision the store has not reached.
  if (err instanceof FutureRevisionError) return tooLargeResourceVersion(String(err.requested), err.current);
  return err;
}

export type { PendingChange };
