// `agnhost test-webserver`: a file server rooted at "/" (Go's http.FileServer), which the DNS
// e2e tests use to fetch the result files their prober Pods write.
import { readFile, readdir, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { posix } from 'node:path';
import type { AgnhostCommand } from './command.js';
import { noArgs } from './command.js';
import type { ParsedFlags } from './flags.js';
import { goFatal } from './golang.js';
import { createGoServer, goHttpError, writeGo } from './http-util.js';
import { listenTCP } from './listen.js';

export const testWebserverCommand: AgnhostCommand = {
  name: 'test-webserver',
  use: 'test-webserver',
  short: 'Starts a simple HTTP fileserver',
  flags: { port: { type: 'int', default: 80, usage: 'Port number.' } },
  args: noArgs,
  run: runTestWebserver,
};

const corsHeaders = {
  'Cache-Control': 'private',
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Credentials': 'true',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'DNT,X-Mx-ReqToken,Keep-Alive,User-Agent,X-Requested-With,Cache-Control,Content-Type',
};

const typesByExtension: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'text/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
};

function escapeHTML(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(301, { ...corsHeaders, Location: location, 'Content-Length': 0 });
  res.end();
}

function notFound(res: ServerResponse, err: NodeJS.ErrnoException): void {
  for (const [k, v] of Object.entries(corsHeaders)) res.setHeader(k, v);
  if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return goHttpError(res, '404 page not found', 404);
  if (err.code === 'EACCES' || err.code === 'EPERM') return goHttpError(res, '403 Forbidden', 403);
  goHttpError(res, '500 Internal Server Error', 500);
}

/** Serves one request for `urlPath` from the file system rooted at `root`. */
export async function serveFile(res: ServerResponse, urlPath: string, root = '/'): Promise<void> {
  const clean = posix.normalize('/' + decodeURIComponent(urlPath));
  if (urlPath.endsWith('/index.html')) return redirect(res, './');
  const file = posix.join(root, clean);
  try {
    const st = await stat(file);
    if (st.isDirectory()) {
      if (!urlPath.endsWith('/')) return redirect(res, posix.basename(clean) + '/');
      const index = await readFile(posix.join(file, 'index.html')).catch(() => undefined);
      if (index !== undefined) return writeGo(res, 200, index, { ...corsHeaders, 'Content-Type': 'text/html; charset=utf-8' });
      const entries = await readdir(file, { withFileTypes: true });
      const rows = entries
        .map((e) => (e.isDirectory() ? e.name + '/' : e.name))
        .sort()
        .map((n) => `<a href="${encodeURI(n).replace(/\?/g, '%3F').replace(/#/g, '%23')}">${escapeHTML(n)}</a>\n`);
      const body = `<!doctype html>\n<meta name="viewport" content="width=device-width">\n<pre>\n${rows.join('')}</pre>\n`;
      return writeGo(res, 200, body, { ...corsHeaders, 'Content-Type': 'text/html; charset=utf-8', 'Last-Modified': st.mtime.toUTCString() });
    }
    if (urlPath.endsWith('/')) return redirect(res, '../' + posix.basename(clean));
    const data = await readFile(file);
    const type = typesByExtension[posix.extname(file).toLowerCase()];
    writeGo(res, 200, data, { ...corsHeaders, ...(type ? { 'Content-Type': type } : {}), 'Last-Modified': st.mtime.toUTCString(), 'Accept-Ranges': 'bytes' });
  } catch (err) {
    notFound(res, err as NodeJS.ErrnoException);
  }
}

function runTestWebserver(flags: ParsedFlags): Promise<void> {
  const server = createGoServer((req, res) => serveFile(res, new URL(req.url ?? '/', 'http://localhost').pathname));
  return listenTCP(server, flags.int('port')).catch((err: Error) => goFatal(err.message));
}
