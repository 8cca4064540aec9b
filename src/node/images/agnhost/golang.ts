// Go runtime look-alikes: agnhost is a Go program and the e2e tests (and people reading
// `kubectl logs`) see Go's formatting, so log lines, durations, timestamps, JSON and error
// strings are rendered the way Go's standard library renders them.
import { readFileSync } from 'node:fs';
import { joinHostPort as joinHostPortRaw } from '../../../util/ip.js';

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Go's log.Printf: "2006/01/02 15:04:05 message" on stderr, local time. */
export function goLog(message: string): void {
  const d = new Date();
  const stamp = `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  process.stderr.write(`${stamp} ${message.endsWith('\n') ? message : message + '\n'}`);
}

/** Go's log.Fatalf: log, then exit 1. */
export function goFatal(message: string): never {
  goLog(message);
  process.exit(1);
}

/** Go's time.Now().String(), e.g. "2024-05-01 10:00:00.123456 +0000 UTC m=+1.234567891". */
export function goTimeNow(): string {
  const nowMs = performance.timeOrigin + performance.now();
  const d = new Date(Math.floor(nowMs));
  const micros = Math.floor((nowMs % 1000) * 1000);
  const frac = String(micros).padStart(6, '0').replace(/0+$/, '');
  const offsetMin = -d.getTimezoneOffset();
  const sign = offsetMin >= 0 ? '+' : '-';
  const offset = `${sign}${pad(Math.floor(Math.abs(offsetMin) / 60))}${pad(Math.abs(offsetMin) % 60)}`;
  const zone = offsetMin === 0 ? 'UTC' : offset;
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${frac ? '.' + frac : ''}`;
  return `${date} ${time} ${offset} ${zone} m=+${process.uptime().toFixed(9)}`;
}

const durationUnitsMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's time.ParseDuration, in milliseconds. Throws Go's error text. */
export function parseGoDuration(s: string): number {
  const invalid = () => new Error(`time: invalid duration "${s}"`);
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest[0] === '-' ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw invalid();
  let total = 0;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(rest);
    if (!m || (m[1] === '' && (m[2] === undefined || m[2] === ''))) throw invalid();
    const value = Number(`${m[1] || '0'}.${m[2] ?? '0'}`);
    rest = rest.slice(m[0].length);
    const unit = /^[^\d.]+/.exec(rest)?.[0];
    if (unit === undefined) throw new Error(`time: missing unit in duration "${s}"`);
    const scale = durationUnitsMs[unit];
    if (scale === undefined) throw new Error(`time: unknown unit "${unit}" in duration "${s}"`);
    total += value * scale;
    rest = rest.slice(unit.length);
  }
  return sign * total;
}

/** Go's time.Duration.String() for a duration in milliseconds ("0s", "1.5s", "2m0s", "300ms"). */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let abs = Math.abs(ms);
  let out: string;
  if (abs < 1000) {
    if (abs >= 1) out = `${trimFloat(abs)}ms`;
    else if (abs >= 1e-3) out = `${trimFloat(abs * 1e3)}µs`;
    else out = `${Math.round(abs * 1e6)}ns`;
  } else {
    const h = Math.floor(abs / 3_600_000);
    abs -= h * 3_600_000;
    const m = Math.floor(abs / 60_000);
    abs -= m * 60_000;
    const s = `${trimFloat(abs / 1000)}s`;
    out = h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s;
  }
  return neg ? '-' + out : out;
}

function trimFloat(n: number): string {
  return String(Number(n.toFixed(9)));
}

/** Go's json.Marshal escaping of <, > and & (and the JS line separators). */
export function goJSON(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Go's net.JoinHostPort; IPv4-mapped IPv6 addresses print as IPv4, as Go's net package does. */
export function joinHostPort(host: string, port: number | string): string {
  return joinHostPortRaw(unmapIPv4(host), port);
}

export function unmapIPv4(host: string): string {
  return host.toLowerCase().startsWith('::ffff:') && host.includes('.') ? host.slice(7) : host;
}

const errnoText: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  ETIMEDOUT: 'connection timed out',
  EHOSTDOWN: 'host is down',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EAFNOSUPPORT: 'address family not supported by protocol',
  EPIPE: 'broken pipe',
  EINVAL: 'invalid argument',
  ENOENT: 'no such file or directory',
};

/** The text Go's syscall.Errno prints for a Node error code. */
export function goErrno(code: string | undefined, fallback = 'unknown error'): string {
  return (code && errnoText[code]) || fallback;
}

/** Go's signal names as os.Signal.String() prints them. */
export const goSignalNames: Record<string, string> = {
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGKILL: 'killed',
  SIGHUP: 'hangup',
  SIGQUIT: 'quit',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGPIPE: 'broken pipe',
  SIGUSR1: 'user defined signal 1',
  SIGUSR2: 'user defined signal 2',
};

/**
 * Go's resolver error for a failed lookup, "lookup foo on 10.96.0.10:53: no such host": the
 * e2e tests grep for "no such host", and naming the nameserver helps whoever reads the log.
 */
export function goLookupError(host: string, code: string | undefined): string {
  const what = code === 'ENOTFOUND' || code === 'ENODATA' ? 'no such host' : 'server misbehaving';
  const ns = firstNameserver();
  return ns ? `lookup ${host} on ${joinHostPort(ns, 53)}: ${what}` : `lookup ${host}: ${what}`;
}

function firstNameserver(): string | undefined {
  try {
    const line = readFileSync('/etc/resolv.conf', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('nameserver'));
    return line?.split(/\s+/)[1];
  } catch {
    return undefined;
  }
}
