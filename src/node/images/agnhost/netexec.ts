// `agnhost netexec`: the HTTP + UDP test server most Kubernetes network e2e tests run in their
// Pods. Flags, endpoints, log lines and shutdown behaviour follow upstream's netexec.go.
import { readFileSync } from 'node:fs';
import { parseIP } from '../../../util/ip.js';
import type http from 'node:http';
import type { AgnhostCommand } from './command.js';
import { noArgs } from './command.js';
import type { ParsedFlags } from './flags.js';
import { goFatal, goLog } from './golang.js';
import { createGoServer, readForm } from './http-util.js';
import type { TLSFiles } from './http-util.js';
import { bindUDP, listenTCP } from './listen.js';
import { routeFor } from './netexec-routes.js';
import type { NetexecState } from './netexec-routes.js';
import { serveUDPCommands } from './netexec-udp.js';

export const netexecCommand: AgnhostCommand = {
  name: 'netexec',
  use: 'netexec',
  short: 'Creates HTTP(S), UDP, and (optionally) SCTP servers with various endpoints',
  flags: {
    'http-port': { type: 'int', default: 8080, usage: 'HTTP Listen Port' },
    'tls-cert-file': { type: 'string', default: '', usage: 'File containing an x509 certificate for HTTPS. (CA cert, if any, concatenated after server cert)' },
    'tls-private-key-file': { type: 'string', default: '', usage: 'File containing an x509 private key matching --tls-cert-file' },
    'udp-port': { type: 'int', default: 8081, usage: 'UDP Listen Port' },
    'sctp-port': { type: 'int', default: -1, usage: 'SCTP Listen Port' },
    'http-override': { type: 'string', default: '', usage: 'Override the HTTP handler to always respond as if it were a GET with this path & params' },
    'udp-listen-addresses': { type: 'string', default: '', usage: 'A comma separated list of ip addresses the udp servers listen from' },
    'delay-shutdown': { type: 'int', default: 0, usage: 'Number of seconds to delay shutdown when receiving SIGTERM.' },
  },
  args: noArgs,
  run: runNetexec,
};

/** --udp-listen-addresses: "" means every address; otherwise distinct IPs, sorted as upstream's set. */
export function parseUDPAddresses(addresses: string): string[] {
  if (addresses === '') return [''];
  const out = new Set<string>();
  for (const a of addresses.split(',')) {
    if (!parseIP(a)) throw new Error(`parseAddress: invalid address ${a}`);
    out.add(a);
  }
  return [...out].sort();
}

async function runNetexec(flags: ParsedFlags): Promise<void> {
  const httpPort = flags.int('http-port');
  const udpPort = flags.int('udp-port');
  const sctpPort = flags.int('sctp-port');
  const override = flags.string('http-override');
  let server: http.Server | undefined;

  const state: NetexecState = {
    ready: false,
    sigtermReceived: false,
    shutdown(code, timeoutMs) {
      const done = (result: string) => {
        goLog(`Graceful shutdown completed with: ${result}`);
        process.exit(code);
      };
      setTimeout(() => done('context deadline exceeded'), timeoutMs).unref();
      server?.close(() => done('<nil>'));
      // Like Go's Shutdown, keep closing connections as they turn idle.
      setInterval(() => server?.closeIdleConnections(), 20).unref();
    },
  };

  // After SIGTERM /readyz says 503 while the server keeps serving for --delay-shutdown seconds,
  // so tests can watch a terminating endpoint leave the Service.
  process.on('SIGTERM', () => {
    if (state.sigtermReceived) return;
    state.sigtermReceived = true;
    const delay = flags.int('delay-shutdown');
    if (delay <= 0) process.exit(0);
    goLog(`Sleeping ${delay} seconds before terminating...`);
    setTimeout(() => process.exit(0), delay * 1000);
  });

  if (udpPort !== -1) {
    let addresses: string[];
    try {
      addresses = parseUDPAddresses(flags.string('udp-listen-addresses'));
    } catch (err) {
      goFatal((err as Error).message);
    }
    for (const address of addresses) {
      bindUDP(udpPort, address).then(
        (sock) => {
          goLog(`Started UDP server on port ${address} ${udpPort}`);
          state.ready = true;
          serveUDPCommands(sock, () => (state.ready = false));
        },
        (err: Error) => goFatal(`Error occurred: failed to create listener for UDP address ${address}:${udpPort}:${err.message}`),
      );
    }
  }
  if (sctpPort !== -1) {
    goFatal(`Error occurred: failed to create listener for SCTP address :${sctpPort}:svcnet's built-in agnhost does not support SCTP`);
  }

  let tls: TLSFiles | undefined;
  const certFile = flags.string('tls-cert-file');
  if (certFile !== '') {
    try {
      tls = { cert: readFileSync(certFile), key: readFileSync(flags.string('tls-private-key-file')) };
    } catch (err) {
      goFatal(`open ${(err as NodeJS.ErrnoException).path ?? certFile}: no such file or directory`);
    }
  }

  server = createGoServer(async (req, res) => {
    const url = new URL(override !== '' ? override : (req.url ?? '/'), 'http://localhost');
    // An override request is a fresh GET: no body, only the override's query.
    const form = override !== '' ? url.searchParams : await readForm(req);
    await routeFor(url.pathname)({ req, res, url, form, state });
  }, tls);
  goLog(`Started HTTP server on port ${httpPort}`);
  await listenTCP(server, httpPort).catch((err: Error) => goFatal(err.message));
}
