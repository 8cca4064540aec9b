export * as v1 from './v1.js';
export * from './v1.js';
