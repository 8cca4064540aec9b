// Answers written straight onto an upgrade request's socket: before a 101 the socket is plain
// HTTP/1.1 and nothing else will write the response.
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import type { StatusError } from '../../api/errors.js';

export function writeRaw(socket: Duplex, code: number, contentType: string, body: string): void {
  if (socket.destroyed) return;
  const b = Buffer.from(body);
  socket.end(
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}\r\ncontent-type: ${contentType}\r\n` +
      `cache-control: no-cache, private\r\ncontent-length: ${b.length}\r\nconnection: close\r\n\r\n${body}`,
  );
}

export function writeRawStatus(socket: Duplex, err: StatusError): void {
  writeRaw(socket, err.code, 'application/json', JSON.stringify(err.toStatus()));
}

/** The 101 for a SPDY/3.1 upgrade, naming the negotiated stream protocol. */
export function acceptSpdy(socket: Duplex, protocol: string): void {
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
  );
}

/** Comma-separated header values as a list. */
export function headerList(v: string | string[] | undefined): string[] {
  const joined = Array.isArray(v) ? v.join(',') : (v ?? '');
  return joined
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
