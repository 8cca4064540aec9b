// Public entry of the storage component: the interface, its typed errors, the scheme registry
// and the built-in drivers. Other components import from here only.
export type {
  KeyValue,
  ListOptions,
  ListResult,
  Storage,
  WatchEvent,
  WatchEventType,
  WatchOptions,
  Watcher,
} from './types.js';
export {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  StorageError,
} from './errors.js';
export { openStorage, registerStorageDriver, storageSchemes } from './registry.js';
export type { StorageFactory } from './registry.js';
export { MemoryStorage } from './memory/index.js';
export { SqliteStorage } from './sqlite/index.js';
// The etcd driver itself loads on demand (openStorage('etcd://…')): it brings gRPC with it.
export { etcdStorageURL } from './etcd/config.js';
