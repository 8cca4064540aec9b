#!/usr/bin/env node
// Entry point for the built-in nginx look-alike (the `nginx` image). Arguments such as
// `-g "daemon off;"` are accepted and ignored: there is no configuration to apply.
import { runNginx } from '../nginx/server.js';

runNginx().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
