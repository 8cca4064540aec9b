// `agnhost serve-hostname`: answers every request with the hostname (the Pod name), over HTTP
// (default), raw TCP or UDP. The Service up/down, recreate and session-affinity e2e tests count
// which Pods answered by these replies.
import net from 'node:net';
import { hostname } from 'node:os';
import type { AgnhostCommand } from './command.js';
import { noArgs } from './command.js';
import type { ParsedFlags } from './flags.js';
import { goFatal, goLog, goSignalNames, joinHostPort } from './golang.js';
import { createGoServer, remoteAddr, writeGo } from './http-util.js';
import { bindUDP, listenTCP } from './listen.js';

/**
 * After SIGTERM upstream logs "Awaiting pod deletion." and keeps serving for 60 s, so a Pod
 * being deleted answers until the kubelet's grace period ends and it is killed.
 */
export const serveHostnameLingerMs = 60_000;

export const serveHostnameCommand: AgnhostCommand = {
  name: 'serve-hostname',
  use: 'serve-hostname',
  short: 'Serves the hostname',
  flags: {
    tcp: { type: 'bool', default: false, usage: 'Serve raw over TCP.' },
    udp: { type: 'bool', default: false, usage: 'Serve raw over UDP.' },
    http: { type: 'bool', default: true, usage: 'Serve HTTP.' },
    close: { type: 'bool', default: false, usage: 'Close connection per each HTTP request.' },
    port: { type: 'int', default: 9376, usage: 'Port number.' },
  },
  args: noArgs,
  run: runServeHostname,
};

function runServeHostname(flags: ParsedFlags): void {
  const doTCP = flags.bool('tcp');
  const doUDP = flags.bool('udp');
  const doHTTP = flags.bool('http');
  const doClose = flags.bool('close');
  const port = flags.int('port');
  if (doHTTP && (doTCP || doUDP)) goFatal("Can't server TCP/UDP mode and HTTP mode at the same time");
  const name = hostname();

  if (doTCP) {
    const server = net.createServer((conn) => {
      goLog(`TCP request from ${joinHostPort(conn.remoteAddress ?? '', conn.remotePort ?? 0)}`);
      conn.on('error', () => undefined);
      conn.end(name);
    });
    listenTCP(server, port).catch((err: Error) => goFatal(`Error from net.Listen(): ${err.message}`));
  }
  if (doUDP) {
    bindUDP(port).then(
      (sock) => {
        sock.on('message', (_msg, rinfo) => {
          goLog(`UDP request from ${joinHostPort(rinfo.address, rinfo.port)}`);
          sock.send(name, rinfo.port, rinfo.address);
        });
        sock.on('error', (err) => goFatal(`Error from ReadFrom(): ${err.message}`));
      },
      (err: Error) => goFatal(`Error from ListenUDP(): ${err.message}`),
    );
  }
  if (doHTTP) {
    const server = createGoServer((req, res) => {
      goLog(`HTTP request from ${remoteAddr(req)}`);
      writeGo(res, 200, name, doClose ? { Connection: 'close' } : {});
    });
    listenTCP(server, port).catch((err: Error) => goFatal(err.message));
  }
  goLog(`Serving on port ${port}.`);

  process.once('SIGTERM', () => {
    goLog(`Shutting down after receiving signal: ${goSignalNames.SIGTERM}.`);
    goLog('Awaiting pod deletion.');
    setTimeout(() => process.exit(0), serveHostnameLingerMs);
  });
  // Go's main blocks on the signal channel; keep the process alive even when no server is on.
  setInterval(() => undefined, 1 << 30);
}
