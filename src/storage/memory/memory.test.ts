import { runStorageSuite } from '../conformance.js';
import { MemoryStorage } from './index.js';

runStorageSuite({ name: 'memory', newStorage: async () => new MemoryStorage() });
