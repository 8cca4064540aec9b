// `agnhost connect host:port`: tries one connection and reports how it failed with the fixed
// prefixes tests check (REFUSED, TIMEOUT, DNS, OTHER, UNKNOWN). "Services should be rejected
// when no endpoints exist" needs REFUSED here, which proves the proxy REJECTs rather than drops.
import dgram from 'node:dgram';
import net from 'node:net';
import type { AgnhostCommand } from './command.js';
import type { ParsedFlags } from './flags.js';
import { isIPv6String } from '../../../util/ip.js';
import { goErrno, joinHostPort } from './golang.js';
import { dialAddressString, resolveDialAddress } from './netexec-dial.js';
import type { DialAddress } from './netexec-dial.js';

export const connectCommand: AgnhostCommand = {
  name: 'connect',
  use: 'connect [host:port]',
  short: 'Attempts a TCP, UDP or SCTP connection and returns useful errors',
  flags: {
    timeout: { type: 'duration', default: 0, usage: 'Maximum time before returning an error' },
    protocol: { type: 'string', default: 'tcp', usage: 'The protocol to use to perform the connection, can be tcp, udp or sctp' },
    'udp-data': { type: 'string', default: 'hostname', usage: 'The UDP payload send to the server' },
    'sctp-data': { type: 'string', default: 'hostname', usage: 'The SCTP payload send to the server' },
  },
  args: { min: 1, max: 1 },
  run: runConnect,
};

function fail(message: string): never {
  process.stderr.write(message + '\n');
  process.exit(1);
}

/** Go's net.SplitHostPort, enough to tell "UNKNOWN: … missing port in address". */
export function splitHostPort(dest: string): { host: string; port: string } {
  const m = /^\[([^\]]*)\]:([^:]*)$/.exec(dest) ?? /^([^:[\]]*):([^:]*)$/.exec(dest);
  if (m) return { host: m[1]!, port: m[2]! };
  if (!dest.includes(':')) throw new Error(`address ${dest}: missing port in address`);
  throw new Error(`address ${dest}: too many colons in address`);
}

async function resolve(proto: 'tcp' | 'udp', dest: string): Promise<DialAddress> {
  let hp: { host: string; port: string };
  try {
    hp = splitHostPort(dest);
  } catch (err) {
    fail(`UNKNOWN: ${(err as Error).message}`);
  }
  try {
    return await resolveDialAddress(proto, hp.host, hp.port);
  } catch (err) {
    fail(`DNS: ${(err as Error).message}`);
  }
}

async function runConnect(flags: ParsedFlags): Promise<void> {
  const dest = flags.args[0]!;
  const timeoutMs = flags.duration('timeout');
  switch (flags.string('protocol')) {
    case '':
    case 'tcp':
      return connectTCP(await resolve('tcp', dest), timeoutMs);
    case 'udp':
      return connectUDP(dest, await resolve('udp', dest), timeoutMs, flags.string('udp-data'));
    case 'sctp':
      fail("OTHER: svcnet's built-in agnhost does not support SCTP");
    // falls through (fail never returns)
    default:
      process.stderr.write(`Unsupported protocol\n${flags.string('protocol')}`);
      process.exit(1);
  }
}

function connectTCP(addr: DialAddress, timeoutMs: number): Promise<void> {
  return new Promise(() => {
    const sock = net.connect({ host: addr.ip === '' ? 'localhost' : addr.ip, port: addr.port });
    const timer = timeoutMs > 0 ? setTimeout(() => fail('TIMEOUT'), timeoutMs) : undefined;
    sock.on('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      process.exit(0);
    });
    sock.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') fail('REFUSED');
      if (err.code === 'ETIMEDOUT') fail('TIMEOUT');
      fail(`OTHER: dial tcp ${dialAddressString(addr)}: connect: ${goErrno(err.code, err.message)}`);
    });
  });
}

function connectUDP(dest: string, addr: DialAddress, timeoutMs: number, data: string): Promise<void> {
  return new Promise(() => {
    const ip = addr.ip === '' ? '127.0.0.1' : addr.ip;
    const sock = dgram.createSocket(isIPv6String(ip) ? 'udp6' : 'udp4');
    let local = '';
    const opError = (op: 'read' | 'write', detail: string) => `${op} udp ${local}->${joinHostPort(ip, addr.port)}: ${detail}`;
    sock.on('error', (err: NodeJS.ErrnoException) => {
      if (local === '') fail(`OTHER: dial udp ${dest}: ${goErrno(err.code, err.message)}`);
      const text = opError('read', `read: ${goErrno(err.code, err.message)}`);
      fail(err.code === 'ECONNREFUSED' ? `REFUSED: ${text}` : `UNKNOWN: ${text}`);
    });
    sock.on('message', (msg) => {
      if (msg.length === 0) fail('OTHER: No data received from the server. Cannot guarantee the server received the request.');
      process.exit(0);
    });
    sock.connect(addr.port, ip, () => {
      const a = sock.address();
      local = joinHostPort(a.address, a.port);
      if (timeoutMs > 0) setTimeout(() => fail(`TIMEOUT: ${opError('read', 'i/o timeout')}`), timeoutMs);
      sock.send(`${data}\n`);
    });
  });
}
