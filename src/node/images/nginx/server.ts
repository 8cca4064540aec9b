// A minimal look-alike of the official `nginx` image's default server: the welcome page on
// port 80, nginx's error pages and headers, access lines on stdout in the image's "main" log
// format and error/notice lines on stderr. Enough for `kubectl create deployment --image=nginx`
// and `curl http://my-svc` to look as they do in any cluster.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenTCP } from '../agnhost/listen.js';
import { unmapIPv4 } from '../agnhost/golang.js';
import { nginxVersion, specialResponsePage, staticFiles } from './pages.js';

/** Overrides port 80, for tests that cannot bind privileged ports. */
export const nginxPortEnv = 'SVCNET_NGINX_PORT';
export const nginxDefaultPort = 80;

const docRoot = '/usr/share/nginx/html';
// The real value is the mtime of the files baked into the image; any fixed time will do.
const pagesModified = new Date(Date.UTC(2025, 9, 7, 17, 4, 7));
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** $time_local: "07/Oct/2025:17:04:07 +0000". */
export function nginxTimeLocal(d: Date): string {
  const off = -d.getTimezoneOffset();
  const zone = `${off >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}${pad(Math.abs(off) % 60)}`;
  return `${pad(d.getDate())}/${months[d.getMonth()]}/${d.getFullYear()}:${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone}`;
}

/** The error log's timestamp: "2025/10/07 17:04:07". */
function errorLogTime(d: Date): string {
  return `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function errorLog(level: 'notice' | 'error' | 'emerg', message: string): void {
  process.stderr.write(`${errorLogTime(new Date())} [${level}] ${process.pid}#${process.pid}: ${message}\n`);
}

/** One access line in the image's `main` format (combined plus $http_x_forwarded_for). */
export function accessLogLine(req: IncomingMessage, status: number, bodyBytes: number, when: Date): string {
  const h = (name: string) => {
    const v = req.headers[name];
    return v === undefined || v === '' ? '-' : Array.isArray(v) ? v.join(', ') : v;
  };
  const remote = unmapIPv4(req.socket.remoteAddress ?? '-');
  const request = `${req.method} ${req.url} HTTP/${req.httpVersion}`;
  return `${remote} - - [${nginxTimeLocal(when)}] "${request}" ${status} ${bodyBytes} "${h('referer')}" "${h('user-agent')}" "${h('x-forwarded-for')}"`;
}

const statusLines: Readonly<Record<number, string>> = { 404: '404 Not Found', 405: '405 Not Allowed' };

function send(req: IncomingMessage, res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  const buf = Buffer.from(body);
  res.writeHead(status, { Server: `nginx/${nginxVersion}`, 'Content-Type': 'text/html', 'Content-Length': buf.length, ...extra });
  const sent = req.method === 'HEAD' ? 0 : buf.length;
  res.end(req.method === 'HEAD' ? undefined : buf);
  process.stdout.write(accessLogLine(req, status, sent, new Date()) + '\n');
}

let connections = 0;

/** The request handler: GET/HEAD of the default pages, nginx's 404/405 otherwise. */
export function handleNginxRequest(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const page = staticFiles[path];
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') return send(req, res, 405, specialResponsePage(statusLines[405]!));
  if (page === undefined) {
    const file = `${docRoot}${path}`;
    const what = path.endsWith('/') ? `"${file}index.html" is not found` : `open() "${file}" failed`;
    const conn = (req.socket as { svcnetConn?: number }).svcnetConn ?? 0;
    errorLog('error', `*${conn} ${what} (2: No such file or directory), client: ${unmapIPv4(req.socket.remoteAddress ?? '')}, server: localhost, request: "${method} ${req.url} HTTP/${req.httpVersion}", host: "${req.headers.host ?? ''}"`);
    return send(req, res, 404, specialResponsePage(statusLines[404]!));
  }
  // The static module refuses POST to an existing file.
  if (method === 'POST') return send(req, res, 405, specialResponsePage(statusLines[405]!));
  const size = Buffer.byteLength(page);
  send(req, res, 200, page, {
    'Last-Modified': pagesModified.toUTCString(),
    ETag: `"${Math.floor(pagesModified.getTime() / 1000).toString(16)}-${size.toString(16)}"`,
    'Accept-Ranges': 'bytes',
  });
}

export function createNginxServer(): http.Server {
  const server = http.createServer(handleNginxRequest);
  server.on('connection', (sock) => Object.assign(sock, { svcnetConn: ++connections }));
  server.keepAliveTimeout = 65_000; // nginx's keepalive_timeout default
  return server;
}

/** Runs the image: listen (port 80 unless SVCNET_NGINX_PORT), log like nginx, stop on signals. */
export async function runNginx(): Promise<void> {
  const port = Number(process.env[nginxPortEnv] || nginxDefaultPort);
  const server = createNginxServer();
  // SIGTERM/SIGINT are nginx's fast shutdown; SIGQUIT (the image's STOPSIGNAL) is graceful.
  const fast = (num: number, name: string) => () => {
    errorLog('notice', `signal ${num} (${name}) received, exiting`);
    process.exit(0);
  };
  process.once('SIGTERM', fast(15, 'SIGTERM'));
  process.once('SIGINT', fast(2, 'SIGINT'));
  process.once('SIGQUIT', () => {
    errorLog('notice', 'signal 3 (SIGQUIT) received, shutting down');
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
  try {
    await listenTCP(server, port);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const text = code === 'EADDRINUSE' ? '98: Address already in use' : code === 'EACCES' ? '13: Permission denied' : String(code);
    errorLog('emerg', `bind() to 0.0.0.0:${port} failed (${text})`);
    process.stderr.write(`nginx: [emerg] bind() to 0.0.0.0:${port} failed (${text})\n`);
    process.exit(1);
  }
  process.stdout.write('/docker-entrypoint.sh: Configuration complete; ready for start up\n');
  errorLog('notice', `nginx/${nginxVersion}`);
  errorLog('notice', 'start worker processes');
}
