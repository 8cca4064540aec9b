// netexec's /dial: the probe the e2e "Networking Granular Checks" use to ask one Pod to reach
// another (`/dial?request=hostname&protocol=http&host=10.244.1.5&port=8080&tries=1`). The
// messages in "errors" are Go's, because tests and people compare them.
import dgram from 'node:dgram';
import http from 'node:http';
import { lookup } from 'node:dns/promises';
import { isIPv6String, parseIP } from '../../../util/ip.js';
import { goErrno, goLookupError, joinHostPort, unmapIPv4 } from './golang.js';

/** A resolved dial target, as Go's *net.TCPAddr / *net.UDPAddr. */
export interface DialAddress {
  /** Empty for "the local system", as Go dials ":8080". */
  readonly ip: string;
  readonly port: number;
}

export const dialTimeoutMs = 5000;

/** Go's addr.String(): "10.0.0.1:80", "[fd00::1]:80", ":80". */
export function dialAddressString(addr: DialAddress): string {
  return addr.ip === '' ? `:${addr.port}` : joinHostPort(addr.ip, addr.port);
}

/** net.ResolveTCPAddr / ResolveUDPAddr of JoinHostPort(host, port). Throws Go's error text. */
export async function resolveDialAddress(protocol: 'tcp' | 'udp', host: string, port: string): Promise<DialAddress> {
  let portNum = 0;
  if (port !== '') {
    if (!/^\d+$/.test(port)) throw new Error(`lookup ${protocol}/${port}: unknown port`);
    portNum = Number(port);
    if (portNum > 65535) throw new Error(`address ${port}: invalid port`);
  }
  if (host === '' || parseIP(host)) return { ip: host, port: portNum };
  try {
    const addrs = await lookup(host, { all: true });
    // Go's resolver hands "tcp"/"udp" callers the first IPv4 address when there is one.
    const chosen = addrs.find((a) => a.family === 4) ?? addrs[0];
    if (chosen === undefined) throw Object.assign(new Error('no addresses'), { code: 'ENOTFOUND' });
    return { ip: chosen.address, port: portNum };
  } catch (err) {
    throw new Error(goLookupError(host, (err as NodeJS.ErrnoException).code));
  }
}

// Go's http client percent-encodes what cannot go into a request line; Node refuses it instead.
function requestPath(request: string): string {
  return '/' + request.replace(/[\x00-\x20\x7f]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/** dialHTTP: GET http://<addr>/<request> with a 5 s client timeout; the body whatever the status. */
export function dialHTTP(request: string, addr: DialAddress): Promise<string> {
  const target = dialAddressString(addr);
  const url = `http://${target}/${request}`;
  return new Promise((resolve, reject) => {
    let phase: 'headers' | 'body' = 'headers';
    let settled = false;
    const finish = (err: string | undefined, body?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err !== undefined) reject(new Error(`Get "${url}": ${err}`));
      else resolve(body ?? '');
    };
    const req = http.request({
      host: addr.ip === '' ? 'localhost' : addr.ip,
      port: addr.port,
      path: requestPath(request),
      method: 'GET',
      agent: false,
      headers: { 'User-Agent': 'Go-http-client/1.1', Host: target.startsWith(':') ? `localhost${target}` : target },
    });
    const timer = setTimeout(() => {
      finish(`context deadline exceeded (Client.Timeout exceeded while ${phase === 'headers' ? 'awaiting headers' : 'reading body'})`);
      req.destroy();
    }, dialTimeoutMs);
    req.on('response', (res) => {
      phase = 'body';
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish(undefined, Buffer.concat(chunks).toString()));
      res.on('error', (err) => finish(httpErrorText(err, req, target)));
    });
    req.on('error', (err) => finish(httpErrorText(err, req, target)));
    req.end();
  });
}

function httpErrorText(err: NodeJS.ErrnoException, req: http.ClientRequest, target: string): string {
  if (err.message === 'socket hang up') return 'EOF';
  if (err.syscall === 'connect') return `dial tcp ${target}: connect: ${goErrno(err.code, err.message)}`;
  if (err.code === 'ECONNRESET' || err.syscall === 'read') {
    const s = req.socket;
    const local = s?.localAddress ? joinHostPort(s.localAddress, s.localPort ?? 0) : '';
    return `read tcp ${local}->${target}: read: ${goErrno(err.code, err.message)}`;
  }
  return err.message;
}

/** dialUDP: one datagram out, the first datagram back (up to 2048 bytes) within 5 s. */
export function dialUDP(request: string, addr: DialAddress): Promise<string> {
  const target = dialAddressString(addr);
  const ip = addr.ip === '' ? '127.0.0.1' : unmapIPv4(addr.ip);
  const sock = dgram.createSocket(isIPv6String(ip) ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    let settled = false;
    let local = '';
    const finish = (err: string | undefined, reply?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.close();
      if (err !== undefined) reject(new Error(err));
      else resolve(reply ?? '');
    };
    const readFailed = (detail: string) => finish(`reading from udp connection failed. err:'${detail}'`);
    let timer: NodeJS.Timeout | undefined;
    sock.on('error', (err: NodeJS.ErrnoException) => {
      if (local === '') finish(`udp dial failed. err:dial udp ${target}: ${goErrno(err.code, err.message)}`);
      else readFailed(`read udp ${local}->${target}: read: ${goErrno(err.code, err.message)}`);
    });
    sock.on('message', (msg) => {
      if (msg.length === 0) readFailed('<nil>');
      else finish(undefined, msg.subarray(0, 2048).toString());
    });
    sock.connect(addr.port, ip, () => {
      const a = sock.address();
      local = joinHostPort(a.address, a.port);
      sock.send(request, (err) => {
        if (err) finish(`udp connection write failed. err:write udp ${local}->${target}: write: ${goErrno((err as NodeJS.ErrnoException).code, err.message)}`);
      });
      timer = setTimeout(() => readFailed(`read udp ${local}->${target}: i/o timeout`), dialTimeoutMs);
    });
  });
}
