// The plain unix socket's listener: whoever can connect to it is served as system:masters.
import { chmodSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { basename, dirname, join } from 'node:path';

/**
 * Listens on a unix socket that nobody else can ever connect to: bound inside a fresh 0700
 * directory, made 0600, then renamed into place. chmod after listen on the final path would
 * leave a window in which any local user could connect (and be served as system:masters).
 */
export async function listenPrivate(server: HttpServer, socketPath: string): Promise<void> {
  const dir = mkdtempSync(join(dirname(socketPath), `.${basename(socketPath)}-`));
  const tmp = join(dir, 's');
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(tmp, () => {
        server.off('error', reject);
        resolve();
      });
    });
    chmodSync(tmp, 0o600);
    renameSync(tmp, socketPath);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
