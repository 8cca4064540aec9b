// `agnhost porter`: serves each SERVE_PORT_<n> (or SERVE_TCP_PORT_<n>) environment variable's
// value over HTTP on port n, SERVE_UDP_PORT_<n> over UDP and SERVE_TLS_PORT_<n> over HTTPS.
// The e2e proxy tests reach it through pods/proxy and services/proxy.
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { AgnhostCommand } from './command.js';
import { noArgs } from './command.js';
import type { ParsedFlags } from './flags.js';
import { goFatal, goJSON, goLog } from './golang.js';
import { createGoServer, writeGo } from './http-util.js';
import type { TLSFiles } from './http-util.js';
import { bindUDP, listenTCP } from './listen.js';

export const porterPrefixes = {
  port: 'SERVE_PORT_',
  tcp: 'SERVE_TCP_PORT_',
  udp: 'SERVE_UDP_PORT_',
  tls: 'SERVE_TLS_PORT_',
  sctp: 'SERVE_SCTP_PORT_',
} as const;

export type PorterKind = 'tcp' | 'udp' | 'tls' | 'sctp';

export interface PorterListener {
  readonly kind: PorterKind;
  readonly port: string;
  readonly value: string;
}

/** What porter serves, from the environment, in environment order as upstream iterates it. */
export function porterListeners(env: Readonly<Record<string, string | undefined>>): PorterListener[] {
  const out: PorterListener[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const kinds: Array<[string, PorterKind]> = [
      [porterPrefixes.port, 'tcp'],
      [porterPrefixes.tcp, 'tcp'],
      [porterPrefixes.udp, 'udp'],
      [porterPrefixes.sctp, 'sctp'],
      [porterPrefixes.tls, 'tls'],
    ];
    const match = kinds.find(([prefix]) => key.startsWith(prefix));
    if (match) out.push({ kind: match[1], port: key.slice(match[0].length), value });
  }
  return out;
}

export const porterCommand: AgnhostCommand = {
  name: 'porter',
  use: 'porter',
  short: 'Serves requested data on ports specified in ENV variables',
  flags: {
    'json-response': { type: 'bool', default: false, usage: 'Responds to requests with a json response that includes the default value with the http.Request Method' },
  },
  args: noArgs,
  run: runPorter,
};

function portNumber(port: string): number | undefined {
  return /^\d+$/.test(port) && Number(port) <= 65535 ? Number(port) : undefined;
}

function answer(res: ServerResponse, value: string, json: boolean): void {
  if (!json) return writeGo(res, 200, value);
  writeGo(res, 200, goJSON({ Method: res.req.method, Body: value }), { 'Content-Type': 'application/json' });
}

async function runPorter(flags: ParsedFlags): Promise<void> {
  const json = flags.bool('json-response');
  for (const l of porterListeners(process.env)) {
    const port = portNumber(l.port);
    switch (l.kind) {
      case 'tcp': {
        const server = createGoServer((_req, res) => answer(res, l.value, json));
        if (port === undefined) goLog(`server on port "${l.port}" failed: listen tcp: address ${l.port}: invalid port`);
        else listenTCP(server, port, '0.0.0.0').catch((err: Error) => goLog(`server on port "${l.port}" failed: ${err.message}`));
        break;
      }
      case 'udp': {
        if (port === undefined) goFatal(`UDP: failed to resolve address: address ${l.port}: invalid port`);
        const sock = await bindUDP(port, '0.0.0.0').catch((err: Error) => goFatal(`UDP: failed to listen on port ${l.port}: ${err.message}`));
        goLog(`Started UDP server on port ${l.port}`);
        sock.on('message', (_m, rinfo) => sock.send(l.value, rinfo.port, rinfo.address));
        break;
      }
      case 'tls':
        void serveTLS(l, port, json);
        break;
      case 'sctp':
        goFatal("Failed to listen SCTP. error: svcnet's built-in agnhost does not support SCTP");
    }
  }
  // Upstream's main blocks forever (select {}), serving or not.
  setInterval(() => undefined, 1 << 30);
}

async function serveTLS(l: PorterListener, port: number | undefined, json: boolean): Promise<void> {
  const certFile = process.env.CERT_FILE || 'localhost.crt';
  const keyFile = process.env.KEY_FILE || 'localhost.key';
  const fail = (msg: string) => goLog(`tls server on port "${l.port}" with certFile="${certFile}", keyFile="${keyFile}" failed: ${msg}`);
  let tls: TLSFiles;
  try {
    tls = { cert: readFileSync(certFile), key: readFileSync(keyFile) };
  } catch {
    // The agnhost image ships localhost.crt/.key in its working directory; a host process has
    // no such files, so stand in with a fresh self-signed certificate for the same names.
    tls = await selfSignedLocalhost();
  }
  const server = createGoServer((_req, res) => answer(res, l.value, json), tls);
  if (port === undefined) return fail(`listen tcp: address ${l.port}: invalid port`);
  await listenTCP(server, port, '0.0.0.0').catch((err: Error) => fail(err.message));
}

let localhostCert: Promise<TLSFiles> | undefined;

/** A certificate for localhost, 127.0.0.1 and ::1 (the SANs of agnhost's bundled one). */
export function selfSignedLocalhost(): Promise<TLSFiles> {
  localhostCert ??= (async () => {
    // Loaded lazily: the x509 library is large and only TLS ports need it.
    const pki = await import('../../../pki/index.js');
    const ca = await pki.createCertificateAuthority('svcnet agnhost porter');
    const leaf = await pki.signCertificate(ca, { subject: { commonName: 'localhost' }, usage: 'server', hosts: ['localhost', '127.0.0.1', '::1'], validityDays: 365 });
    return { cert: `${leaf.certPem.trim()}\n${ca.certPem.trim()}\n`, key: leaf.keyPem };
  })();
  return localhostCert;
}
