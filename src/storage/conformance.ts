// The behaviour every Storage driver must show, run by each driver's own test file (as hono's
// common.case.test.ts is by every router). A driver that cannot pass a case skips it by name
// and must say why.
import { describe, it } from 'node:test';
import { kvCases } from './conformance-kv.js';
import type { StorageCase } from './conformance-kv.js';
import { watchCases } from './conformance-watch.js';
import type { Storage } from './types.js';

export { collect } from './conformance-watch.js';

export interface StorageSuiteOptions {
  readonly name: string;
  readonly newStorage: () => Promise<Storage>;
  /** Test name → reason for skipping it. */
  readonly skip?: Readonly<Record<string, string>>;
}

export function runStorageSuite(opts: StorageSuiteOptions): void {
  const test = (name: string, fn: StorageCase): void => {
    it(name, { skip: opts.skip?.[name] ?? false }, async () => {
      const s = await opts.newStorage();
      try {
        await fn(s);
      } finally {
        await s.close();
      }
    });
  };
  describe(`storage conformance: ${opts.name}`, () => {
    for (const [name, fn] of Object.entries({ ...kvCases, ...watchCases })) test(name, fn);
  });
}
