// Client certificates: issuing them for agents and controllers, and turning a verified peer
// certificate into a Kubernetes user, as kube-apiserver's x509 authenticator does
// (user = Subject CN, groups = Subject O).
import type { TLSSocket } from 'node:tls';
import { type CertKeyPair, leafValidityDays, signCertificate } from '../../pki/index.js';
import type { PKI } from './ensure-pki.js';

export interface ClientCertificateRequest {
  /** The user name, e.g. `system:node:<name>` or `system:kube-controller-manager`. */
  readonly commonName: string;
  /** The groups, e.g. `system:nodes`. */
  readonly organizations?: readonly string[];
  readonly validityDays?: number;
}

/** Issues a client certificate (clientAuth) signed by the cluster CA. Nothing is written to disk. */
export async function issueClientCertificate(pki: Pick<PKI, 'ca'>, req: ClientCertificateRequest): Promise<CertKeyPair> {
  if (req.commonName === '') throw new Error('client certificate needs a non-empty common name');
  return signCertificate(pki.ca, {
    subject: { commonName: req.commonName, organizations: req.organizations ?? [] },
    usage: 'client',
    validityDays: req.validityDays ?? leafValidityDays,
  });
}

export interface UserInfo {
  readonly user: string;
  readonly groups: string[];
}

/**
 * Returns the user of a TLS connection whose client certificate chains to the CA the server
 * trusts, or undefined when there is no certificate or it failed verification.
 *
 * The server must use `requestCert: true, rejectUnauthorized: false, ca: [caPem]`, so that
 * connections without (valid) certificates still reach other authenticators and get a proper
 * 401 Status instead of a TLS alert. OpenSSL then has already verified the chain, validity
 * dates and the clientAuth purpose, and reports the outcome in `socket.authorized`.
 * For HTTP/2 compat requests pass `req.socket`, which proxies to the session's TLSSocket.
 */
export function authenticateClientCertificate(socket: TLSSocket): UserInfo | undefined {
  if (socket.authorized !== true) return undefined;
  const cert = socket.getPeerCertificate();
  // With no certificate Node returns an empty object (or null once the socket is destroyed).
  if (cert === null || cert === undefined || cert.subject === undefined) return undefined;
  const user = firstValue(cert.subject.CN);
  // Kubernetes refuses certificates with an empty CN: "common name of the provided certificate is empty".
  if (user === undefined || user === '') return undefined;
  return { user, groups: allValues(cert.subject.O) };
}

// Node reports a repeated subject attribute as an array and a single one as a string.
function allValues(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? [...v] : [v];
}

function firstValue(v: string | string[] | undefined): string | undefined {
  return allValues(v)[0];
}
