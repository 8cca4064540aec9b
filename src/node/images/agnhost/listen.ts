// Opening listening sockets the way a Go server does (":8080" means every address, IPv4 and
// IPv6), with Go's error texts when it fails.
import dgram from 'node:dgram';
import type { Server } from 'node:net';
import { isIPv6String } from '../../../util/ip.js';
import { goErrno, joinHostPort } from './golang.js';

/**
 * The address built-in servers bind when a program says "all addresses". Unset in Pods (they
 * listen on all of the Pod's addresses, as in a container); tests set it to 127.0.0.1 so a test
 * run listens only on loopback.
 */
export const bindAddressEnv = 'SVCNET_BIND_ADDRESS';

export function defaultBindAddress(): string | undefined {
  const v = process.env[bindAddressEnv];
  return v === undefined || v === '' ? undefined : v;
}

/** Go's "listen tcp :80: bind: address already in use"; `code` keeps the errno name. */
function listenError(proto: 'tcp' | 'udp', host: string, port: number, err: NodeJS.ErrnoException): NodeJS.ErrnoException {
  const addr = host === '' ? `:${port}` : joinHostPort(host, port);
  return Object.assign(new Error(`listen ${proto} ${addr}: bind: ${goErrno(err.code, err.message)}`), { code: err.code });
}

/** server.listen with Go's "listen tcp :8080: bind: address already in use" on failure. */
export function listenTCP(server: Server, port: number, host = ''): Promise<void> {
  const bindHost = host === '' ? defaultBindAddress() : host;
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(listenError('tcp', host, port, err));
    server.once('error', onError);
    server.listen({ port, host: bindHost }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * Binds a UDP socket. For "all addresses" it binds the dual-stack "::" so IPv4 and IPv6
 * clients both reach it, falling back to 0.0.0.0 where IPv6 is disabled.
 */
export async function bindUDP(port: number, host = ''): Promise<dgram.Socket> {
  const explicit = host === '' ? defaultBindAddress() : host;
  const attempts: Array<{ type: 'udp4' | 'udp6'; address: string }> =
    explicit !== undefined
      ? [{ type: isIPv6String(explicit) ? 'udp6' : 'udp4', address: explicit }]
      : [
          { type: 'udp6', address: '::' },
          { type: 'udp4', address: '0.0.0.0' },
        ];
  let lastErr: NodeJS.ErrnoException | undefined;
  for (const { type, address } of attempts) {
    const sock = dgram.createSocket({ type, reuseAddr: false });
    try {
      await new Promise<void>((resolve, reject) => {
        sock.once('error', reject);
        sock.bind(port, address, () => {
          sock.off('error', reject);
          resolve();
        });
      });
      return sock;
    } catch (err) {
      lastErr = err as NodeJS.ErrnoException;
      sock.close();
      if (lastErr.code !== 'EAFNOSUPPORT' && lastErr.code !== 'EADDRNOTAVAIL') break;
    }
  }
  throw listenError('udp', host, port, lastErr ?? ({ code: 'EINVAL' } as NodeJS.ErrnoException));
}
