// netexec's UDP server: answers "hostname", "echo <msg>" and "clientip" datagrams. Like
// upstream it lower-cases and trims the text first, so "echo Hello" answers "hello".
import type dgram from 'node:dgram';
import { hostname } from 'node:os';
import { goFatal, goLog, joinHostPort } from './golang.js';

/** The reply to one datagram, or undefined for no reply (upstream only logs unknown commands). */
export function udpReply(payload: Buffer, client: string): string | undefined {
  const text = payload.toString().trim().toLowerCase();
  if (text === 'hostname') {
    goLog('Sending udp hostName response');
    return getHostName();
  }
  if (text.startsWith('echo ')) {
    const resp = text.slice('echo '.length);
    goLog(`Echoing ${resp} to UDP client ${client}`);
    return resp;
  }
  if (text === 'clientip') {
    goLog(`Sending clientip back to UDP client ${client}`);
    return client;
  }
  if (text.length > 0) goLog(`Unknown UDP command received from ${client}: ${text}`);
  return undefined;
}

/** Serves netexec's UDP commands on an already-bound socket. */
export function serveUDPCommands(sock: dgram.Socket, onExit: () => void): void {
  sock.on('message', (msg, rinfo) => {
    // Upstream reads into a 2048-byte buffer; longer datagrams are truncated.
    const client = joinHostPort(rinfo.address, rinfo.port);
    const reply = udpReply(msg.subarray(0, 2048), client);
    if (reply === undefined) return;
    sock.send(reply, rinfo.port, rinfo.address, (err) => {
      if (err) goFatal(`Error occurred: failed to write to UDP client ${client}:${err.message}`);
    });
  });
  sock.on('error', (err) => goFatal(`Error occurred: failed accepting UDP connections:${err.message}`));
  sock.on('close', () => {
    goLog('UDP server exited');
    onExit();
  });
}

/** os.Hostname(), logged as netexec's getHostName does. */
export function getHostName(): string {
  const name = hostname();
  goLog(`hostname: ${name}`);
  return name;
}
