// A thread-safe-store equivalent (client-go tools/cache Indexer): objects by key, plus named
// indexes that map an index value (a namespace, a Service name, a node name) to the keys of the
// objects that carry it, so lookups like "EndpointSlices of Service ns/web" avoid a full scan.
import type { KubeObject } from '../api/meta.js';

/** Maps an object to the values it is indexed under (client-go IndexFunc). */
export type IndexFunc<T> = (obj: T) => readonly string[];

/** cache.MetaNamespaceKeyFunc: `namespace/name`, or `name` for cluster-scoped objects. */
export function metaNamespaceKey(obj: Pick<KubeObject, 'metadata'>): string {
  const { namespace, name } = obj.metadata;
  if (!name) throw new Error('object has no metadata.name');
  return namespace ? `${namespace}/${name}` : name;
}

/** cache.SplitMetaNamespaceKey. */
export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export const NAMESPACE_INDEX = 'namespace';

/** cache.MetaNamespaceIndexFunc. */
export function namespaceIndexFunc(obj: Pick<KubeObject, 'metadata'>): readonly string[] {
  return [obj.metadata.namespace ?? ''];
}

/** Indexes by a label's value, namespaced (`ns/value`) so equal values in two namespaces differ. */
export function labelIndexFunc(label: string): IndexFunc<Pick<KubeObject, 'metadata'>> {
  return (obj) => {
    const v = obj.metadata.labels?.[label];
    return v === undefined ? [] : [obj.metadata.namespace ? `${obj.metadata.namespace}/${v}` : v];
  };
}

/** The index name for the EndpointSlice → Service relation. */
export const SERVICE_NAME_INDEX = 'kubernetes.io/service-name';
export const serviceNameIndexFunc = labelIndexFunc('kubernetes.io/service-name');

export class Indexer<T extends Pick<KubeObject, 'metadata'>> {
  readonly #items = new Map<string, T>();
  readonly #indexers = new Map<string, IndexFunc<T>>();
  /** index name → index value → keys */
  readonly #indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Readonly<Record<string, IndexFunc<T>>> = {}) {
    this.addIndexers(indexers);
  }

  /** Adds index functions; existing objects are indexed at once. */
  addIndexers(indexers: Readonly<Record<string, IndexFunc<T>>>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.#indexers.has(name)) throw new Error(`indexer ${JSON.stringify(name)} already exists`);
      this.#indexers.set(name, fn);
      this.#indices.set(name, new Map());
      for (const [key, obj] of this.#items) this.#indexOne(name, fn, key, obj);
    }
  }

  #indexOne(name: string, fn: IndexFunc<T>, key: string, obj: T): void {
    const index = this.#indices.get(name)!;
    for (const value of fn(obj)) {
      let keys = index.get(value);
      if (!keys) index.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  #unindex(key: string, obj: T): void {
    for (const [name, fn] of this.#indexers) {
      const index = this.#indices.get(name)!;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }

  /** Adds or replaces the object under its key; returns the previous object. */
  set(obj: T): T | undefined {
    const key = metaNamespaceKey(obj);
    const old = this.#items.get(key);
    if (old) this.#unindex(key, old);
    this.#items.set(key, obj);
    for (const [name, fn] of this.#indexers) this.#indexOne(name, fn, key, obj);
    return old;
  }

  /** Removes by key; returns the removed object. */
  deleteKey(key: string): T | undefined {
    const old = this.#items.get(key);
    if (!old) return undefined;
    this.#unindex(key, old);
    this.#items.delete(key);
    return old;
  }

  get(key: string): T | undefined {
    return this.#items.get(key);
  }

  has(key: string): boolean {
    return this.#items.has(key);
  }

  get size(): number {
    return this.#items.size;
  }

  list(): T[] {
    return [...this.#items.values()];
  }

  listKeys(): string[] {
    return [...this.#items.keys()];
  }

  /** Objects whose index function yields `value` under index `name`. */
  byIndex(name: string, value: string): T[] {
    const keys = this.indexKeys(name, value);
    return keys.map((k) => this.#items.get(k)!);
  }

  indexKeys(name: string, value: string): string[] {
    const index = this.#indices.get(name);
    if (!index) throw new Error(`index ${JSON.stringify(name)} does not exist`);
    return [...(index.get(value) ?? [])];
  }

  /** The values present in an index (client-go ListIndexFuncValues). */
  indexValues(name: string): string[] {
    const index = this.#indices.get(name);
    if (!index) throw new Error(`index ${JSON.stringify(name)} does not exist`);
    return [...index.keys()];
  }
}
