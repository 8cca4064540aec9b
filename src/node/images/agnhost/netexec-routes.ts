// netexec's HTTP endpoints, one handler each, answering as upstream's netexec.go does
// (including its quirks: /dial always answers 200, /shell too, whatever the docs say).
import { spawn } from 'node:child_process';
import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatGoDuration, goJSON, goLog, goSignalNames, goTimeNow, parseGoDuration } from './golang.js';
import { goHeaderMap, goHttpError, remoteAddr, writeGo } from './http-util.js';
import { dialHTTP, dialUDP, resolveDialAddress } from './netexec-dial.js';
import { getHostName } from './netexec-udp.js';

export interface NetexecState {
  /** Set once the UDP (or SCTP) server is up, as upstream's serverReady. */
  ready: boolean;
  sigtermReceived: boolean;
  /** Starts a graceful shutdown: stop accepting, wait up to timeoutMs, exit with code. */
  shutdown(code: number, timeoutMs: number): void;
}

export interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The request URL, or the --http-override URL that replaces it. */
  readonly url: URL;
  readonly form: URLSearchParams;
  readonly state: NetexecState;
}

type Handler = (ctx: RouteContext) => void | Promise<void>;

const ok = (ctx: RouteContext, body: string) => writeGo(ctx.res, 200, body);

function root(ctx: RouteContext): void {
  goLog('GET /');
  ok(ctx, `NOW: ${goTimeNow()}`);
}

function echo(ctx: RouteContext): void {
  const msg = ctx.form.get('msg') ?? '';
  const code = ctx.form.get('code') ?? '';
  goLog(`GET /echo?msg=${msg}&code=${code}`);
  if (code === '') return ok(ctx, msg);
  if (!/^[+-]?\d+$/.test(code)) return ok(ctx, `argument 'code' must be an integer or empty, got ${JSON.stringify(code)}\n`);
  writeGo(ctx.res, Number(code), msg);
}

function clientIP(ctx: RouteContext): void {
  goLog('GET /clientip');
  ok(ctx, remoteAddr(ctx.req));
}

function header(ctx: RouteContext): void {
  const key = ctx.form.get('key') ?? '';
  if (key !== '') {
    goLog(`GET /header?key=${key}`);
    // Go's Header.Get returns the first value; Host is not in Go's header map.
    const values = key.toLowerCase() === 'host' ? [] : (goHeaderMap(ctx.req)[canonical(key)] ?? []);
    return ok(ctx, values[0] ?? '');
  }
  goLog('GET /header');
  ok(ctx, goJSON(goHeaderMap(ctx.req)));
}

function canonical(key: string): string {
  return key
    .toLowerCase()
    .split('-')
    .map((p) => (p ? p[0]!.toUpperCase() + p.slice(1) : p))
    .join('-');
}

async function exit(ctx: RouteContext): Promise<void> {
  const waitStr = ctx.form.get('wait') ?? '';
  const timeoutStr = ctx.form.get('timeout') ?? '';
  const codeStr = ctx.form.get('code') ?? '';
  goLog(`GET /exit?code=${codeStr}&timeout=${timeoutStr}&wait=${waitStr}`);
  let timeout = 0;
  let wait = 0;
  try {
    timeout = timeoutStr === '' ? 0 : parseGoDuration(timeoutStr);
  } catch {
    return ok(ctx, `argument 'timeout' must be a valid golang duration or empty, got ${JSON.stringify(timeoutStr)}\n`);
  }
  try {
    wait = waitStr === '' ? 0 : parseGoDuration(waitStr);
  } catch {
    return ok(ctx, `argument 'wait' must be a valid golang duration or empty, got ${JSON.stringify(waitStr)}\n`);
  }
  if (codeStr !== '' && !/^[+-]?\d+$/.test(codeStr)) {
    return ok(ctx, `argument 'code' must be an integer [0-127] or empty, got ${JSON.stringify(codeStr)}\n`);
  }
  const code = codeStr === '' ? 0 : Number(codeStr);
  goLog(`Will begin shutdown in ${formatGoDuration(wait)}, allowing ${formatGoDuration(timeout)} for connections to close, then will exit with ${code}`);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  // Without a timeout upstream exits on the spot, so the client sees the connection drop.
  if (timeout <= 0) process.exit(code);
  ctx.state.shutdown(code, timeout);
  writeGo(ctx.res, 200, '');
}

function hostnameHandler(path: string): Handler {
  return (ctx) => {
    goLog(`GET ${path}`);
    ok(ctx, getHostName());
  };
}

function healthz(ctx: RouteContext): void {
  goLog('GET /healthz');
  writeGo(ctx.res, ctx.state.ready ? 200 : 412, '');
}

function readyz(ctx: RouteContext): void {
  goLog('GET /readyz');
  if (ctx.state.sigtermReceived) return writeGo(ctx.res, 503, 'shutting down');
  if (ctx.state.ready) return ok(ctx, 'ok');
  writeGo(ctx.res, 412, '');
}

function shutdownHandler(): void {
  goLog('GET /shutdown');
  process.exit(0);
}

function redirect(ctx: RouteContext): void {
  const location = ctx.form.get('location') ?? '';
  const codeStr = ctx.form.get('code') ?? '';
  goLog(`${ctx.req.method ?? 'GET'} /redirect?msg=${location}&code=${codeStr}`);
  if (codeStr !== '' && !/^[+-]?\d+$/.test(codeStr)) return ok(ctx, `argument 'code' must be an integer or empty, got ${JSON.stringify(codeStr)}\n`);
  const code = codeStr === '' ? 302 : Number(codeStr);
  // http.Redirect makes a relative location absolute against the request's directory ("/").
  const target = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(location) || location.startsWith('/') ? location : '/' + location;
  const method = ctx.req.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? `<a href="${target.replace(/"/g, '&#34;')}">${STATUS_CODES[code] ?? ''}</a>.\n\n` : '';
  writeGo(ctx.res, code, body, body ? { Location: target, 'Content-Type': 'text/html; charset=utf-8' } : { Location: target });
}

async function dial(ctx: RouteContext): Promise<void> {
  const q = ctx.url.searchParams;
  const host = q.get('host') ?? '';
  const port = q.get('port') ?? '';
  const request = q.get('request') ?? '';
  const protocol = q.get('protocol') ?? '';
  const tryParam = q.get('tries') ?? '';
  goLog(`GET /dial?host=${host}&protocol=${protocol}&port=${port}&request=${request}&tries=${tryParam}`);
  let tries = 1;
  if (tryParam !== '') {
    if (!/^[+-]?\d+$/.test(tryParam)) {
      return goHttpError(ctx.res, `tries parameter is invalid. strconv.Atoi: parsing ${JSON.stringify(tryParam)}: invalid syntax`, 400);
    }
    tries = Number(tryParam);
  }
  if (request === '') return goHttpError(ctx.res, 'request parameter not specified. <nil>', 400);
  const proto = protocol.toLowerCase();
  if (proto === 'sctp') {
    return goHttpError(ctx.res, 'host and/or port param are invalid. svcnet\'s built-in agnhost does not support SCTP', 400);
  }
  if (proto !== '' && proto !== 'http' && proto !== 'udp') return goHttpError(ctx.res, `unsupported protocol. ${protocol}`, 400);
  let addr;
  try {
    addr = await resolveDialAddress(proto === 'udp' ? 'udp' : 'tcp', host, port);
  } catch (err) {
    return goHttpError(ctx.res, `host and/or port param are invalid. ${(err as Error).message}`, 400);
  }
  const dialer = proto === 'udp' ? dialUDP : dialHTTP;
  const responses: string[] = [];
  const errors: string[] = [];
  let last = '';
  for (let i = 0; i < tries; i++) {
    try {
      last = await dialer(request, addr);
      responses.push(last);
    } catch (err) {
      last = '';
      errors.push((err as Error).message);
    }
  }
  // Upstream includes "responses" only when the last try returned a non-empty answer.
  const output: Record<string, string[]> = {};
  if (errors.length > 0) output.errors = errors;
  if (last.length > 0) output.responses = responses;
  ok(ctx, goJSON(output));
}

async function shell(ctx: RouteContext): Promise<void> {
  const cmd = ctx.form.get('shellCommand') || ctx.form.get('cmd') || '';
  goLog(`GET /shell?cmd=${cmd}`);
  const { output, error } = await runShell(cmd);
  const result: Record<string, string> = {};
  if (error !== undefined) result.error = error;
  if (output.length > 0) result.output = output;
  goLog(`Output: map[${Object.entries(result).map(([k, v]) => `${k}:${v}`).join(' ')}]`);
  ok(ctx, goJSON(result));
}

/** exec.Command("/bin/sh", "-c", cmd).CombinedOutput(), with Go's ExitError text. */
export function runShell(cmd: string): Promise<{ output: string; error?: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const child = spawn('/bin/sh', ['-c', cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', (err: NodeJS.ErrnoException) => resolve({ output: '', error: `fork/exec /bin/sh: ${err.message}` }));
    child.on('close', (code, signal) => {
      const output = Buffer.concat(chunks).toString();
      if (signal) resolve({ output, error: `signal: ${goSignalNames[signal] ?? signal}` });
      else if (code !== 0) resolve({ output, error: `exit status ${code}` });
      else resolve({ output });
    });
  });
}

function upload(ctx: RouteContext): void {
  goLog('GET /upload');
  goHttpError(ctx.res, "svcnet's built-in agnhost netexec does not implement /upload", 501);
}

/** Exact-path routes; anything else is served by "/" (Go's ServeMux catch-all). */
export const netexecRoutes: Readonly<Record<string, Handler>> = {
  '/clientip': clientIP,
  '/header': header,
  '/dial': dial,
  '/echo': echo,
  '/exit': exit,
  '/healthz': healthz,
  '/readyz': readyz,
  '/hostname': hostnameHandler('/hostname'),
  '/hostName': hostnameHandler('/hostName'),
  '/redirect': redirect,
  '/shell': shell,
  '/shutdown': shutdownHandler,
  '/upload': upload,
};

export function routeFor(path: string): Handler {
  return netexecRoutes[path] ?? root;
}
