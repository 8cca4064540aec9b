#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm run build puts it in dist/).
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`svcnet: ${err && err.message ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
