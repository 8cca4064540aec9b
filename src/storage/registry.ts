// Drivers are chosen by URL scheme, as kine's pkg/drivers registry does: the composition root
// calls openStorage(url) and never names a driver class. A new backend is one
// registerStorageDriver(scheme, factory) call.
import { isAbsolute, resolve } from 'node:path';
import type { Storage } from './types.js';

/**
 * Opens a store. `location` is everything after "scheme://" (for sqlite:///var/db the location
 * is "/var/db"); `url` is the whole string, for drivers that want to parse it themselves.
 */
export type StorageFactory = (location: string, url: string) => Promise<Storage>;

const drivers = new Map<string, StorageFactory>();

export function registerStorageDriver(scheme: string, factory: StorageFactory): void {
  drivers.set(scheme.toLowerCase(), factory);
}

/** The schemes openStorage accepts, sorted. */
export function storageSchemes(): string[] {
  return [...drivers.keys()].sort();
}

/** Open the store named by `url`: sqlite:///abs/state.db, sqlite://relative/state.db, memory:// … */
export async function openStorage(url: string): Promise<Storage> {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/is.exec(url);
  const supported = storageSchemes().map((s) => `${s}://`).join(', ');
  if (!match) throw new Error(`invalid storage URL "${url}": expected scheme://location (supported: ${supported})`);
  const scheme = match[1]!.toLowerCase();
  const factory = drivers.get(scheme);
  if (!factory) throw new Error(`unsupported storage scheme "${scheme}" in "${url}" (supported: ${supported})`);
  return factory(match[2]!, url);
}

registerStorageDriver('memory', async () => {
  const { MemoryStorage } = await import('./memory/index.js');
  return new MemoryStorage();
});

// Imported lazily so a process that imports only the registry loads the native module on demand.
registerStorageDriver('sqlite', async (location, url) => {
  if (location === '') throw new Error(`storage URL "${url}" names no database file`);
  const { SqliteStorage } = await import('./sqlite/index.js');
  return SqliteStorage.open(isAbsolute(location) ? location : resolve(location));
});

// etcd://host:port[,host:port…][?prefix=/p&cacert=…&cert=…&key=…] (see etcd/config.ts).
registerStorageDriver('etcd', async (location, url) => {
  const { EtcdStorage } = await import('./etcd/index.js');
  return EtcdStorage.open(location, url);
});
