// Finds the programs the tests drive the way a shell does: the first executable of that name on
// PATH. One lookup for every test, so a tool installed anywhere on PATH is found by all of them.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Absolute path of the first executable `cmd` on PATH, or undefined (as `command -v` finds it). */
export function findOnPath(cmd: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    // An empty or relative PATH entry means "relative to the cwd", which no test should depend on.
    if (dir === '' || !isAbsolute(dir)) continue;
    const p = join(dir, cmd);
    try {
      if (!statSync(p).isFile()) continue;
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here, or not executable: keep looking, as execvp does
    }
  }
  return undefined;
}
