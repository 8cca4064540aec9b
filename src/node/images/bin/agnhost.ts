#!/usr/bin/env node
// Entry point for the built-in agnhost: `node dist/src/node/images/bin/agnhost.js netexec …`.
import { runAgnhost } from '../agnhost/main.js';

runAgnhost(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
