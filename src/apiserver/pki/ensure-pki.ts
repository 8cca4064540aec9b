// The on-disk PKI under <data-dir>/pki, laid out like kubeadm's /etc/kubernetes/pki:
// ca.{crt,key}, apiserver.{crt,key} (serving) and admin.{crt,key} (the kubeconfig's user).
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CLUSTER_DOMAIN, DEFAULT_KUBERNETES_SERVICE_IP } from '../../api/defaults/cluster.js';
import {
  type CertKeyPair,
  type CertificateSubject,
  createCertificateAuthority,
  leafValidityDays,
  normalizeHost,
  signCertificate,
  subjectAltNames,
  x509,
} from '../../pki/index.js';
import { readFileIfExists, writeFileAtomic } from './files.js';

export const pkiFileNames = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  apiserverCert: 'apiserver.crt',
  apiserverKey: 'apiserver.key',
  adminCert: 'admin.crt',
  adminKey: 'admin.key',
} as const;

/**
 * Names every serving certificate carries: loopback (kubectl on this machine), and the
 * in-cluster names and ClusterIP of the `kubernetes` Service (the first address of the default
 * service CIDR), which Pods and agents use to reach the API server.
 */
export const defaultServingHosts = [
  'localhost',
  '127.0.0.1',
  '::1',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  `kubernetes.default.svc.${CLUSTER_DOMAIN}`,
  DEFAULT_KUBERNETES_SERVICE_IP,
] as const;

export const apiserverSubject: CertificateSubject = { commonName: 'kube-apiserver' };
export const adminSubject: CertificateSubject = { commonName: 'kubernetes-admin', organizations: ['system:masters'] };

export interface PKI {
  /** `<dataDir>/pki`; file names inside it are `pkiFileNames`. */
  readonly dir: string;
  readonly ca: CertKeyPair;
  /** The API server's serving certificate. */
  readonly apiserver: CertKeyPair;
  /** Client certificate for `kubernetes-admin` in group `system:masters`. */
  readonly admin: CertKeyPair;
}

export interface EnsurePKIOptions {
  /** Extra IPs or DNS names the serving certificate must cover. */
  readonly hosts?: readonly string[];
}

// Re-issue leaf certificates this long before they expire, so a long-lived data dir keeps working.
const renewBeforeMs = 30 * 24 * 60 * 60 * 1000;
const keyMode = 0o600;
const certMode = 0o644;

/** Creates the PKI on first use; afterwards loads it, re-issuing only what is missing or stale. */
export async function ensurePKI(dataDir: string, opts: EnsurePKIOptions = {}): Promise<PKI> {
  const dir = join(dataDir, 'pki');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const hosts = [...defaultServingHosts, ...(opts.hosts ?? [])];
  // Validate requested hosts up front, before anything is written.
  subjectAltNames(hosts);

  const { ca, created } = await ensureCA(dir);
  const caCert = new X509Certificate(ca.certPem);

  const apiserver = await ensureLeaf(dir, pkiFileNames.apiserverCert, pkiFileNames.apiserverKey, {
    stale: (pair) => created || isStale(pair, caCert) || !coversHosts(pair.certPem, hosts),
    issue: () => signCertificate(ca, { subject: apiserverSubject, usage: 'server', hosts, validityDays: leafValidityDays }),
  });
  const admin = await ensureLeaf(dir, pkiFileNames.adminCert, pkiFileNames.adminKey, {
    stale: (pair) => created || isStale(pair, caCert),
    issue: () => signCertificate(ca, { subject: adminSubject, usage: 'client', validityDays: leafValidityDays }),
  });
  return { dir, ca, apiserver, admin };
}

async function ensureCA(dir: string): Promise<{ ca: CertKeyPair; created: boolean }> {
  const certPath = join(dir, pkiFileNames.caCert);
  const keyPath = join(dir, pkiFileNames.caKey);
  const certPem = await readFileIfExists(certPath);
  const keyPem = await readFileIfExists(keyPath);
  if (certPem === undefined) {
    // The key is written before the certificate, so a lone ca.key is a crash leftover that
    // nothing was ever signed with, and may be replaced.
    const ca = await createCertificateAuthority();
    await writeFileAtomic(keyPath, ca.keyPem, keyMode);
    await writeFileAtomic(certPath, ca.certPem, certMode);
    return { ca, created: true };
  }
  // Never silently replace an existing CA: every kubeconfig and agent certificate trusts it.
  if (keyPem === undefined) throw new Error(`${certPath} exists but ${keyPath} is missing; remove ${dir} to start a new PKI`);
  const ca = { certPem, keyPem };
  const cert = new X509Certificate(certPem);
  if (!cert.ca) throw new Error(`${certPath} is not a CA certificate`);
  if (!keyMatches(ca)) throw new Error(`${keyPath} does not belong to ${certPath}`);
  if (Date.parse(cert.validTo) <= Date.now()) throw new Error(`CA certificate ${certPath} expired on ${cert.validTo}; remove ${dir} to start a new PKI`);
  return { ca, created: false };
}

interface LeafPolicy {
  stale(pair: CertKeyPair): boolean;
  issue(): Promise<CertKeyPair>;
}

async function ensureLeaf(dir: string, certName: string, keyName: string, policy: LeafPolicy): Promise<CertKeyPair> {
  const certPath = join(dir, certName);
  const keyPath = join(dir, keyName);
  const certPem = await readFileIfExists(certPath);
  const keyPem = await readFileIfExists(keyPath);
  if (certPem !== undefined && keyPem !== undefined && !policy.stale({ certPem, keyPem })) return { certPem, keyPem };
  const pair = await policy.issue();
  await writeFileAtomic(keyPath, pair.keyPem, keyMode);
  await writeFileAtomic(certPath, pair.certPem, certMode);
  return pair;
}

/** True if the pair is unusable: unparseable, mismatched, not from this CA, or near expiry. */
function isStale(pair: CertKeyPair, caCert: X509Certificate): boolean {
  try {
    const cert = new X509Certificate(pair.certPem);
    if (!cert.checkIssued(caCert) || !cert.verify(caCert.publicKey)) return true;
    if (Date.parse(cert.validTo) - Date.now() < renewBeforeMs) return true;
    return !keyMatches(pair);
  } catch {
    return true;
  }
}

function keyMatches(pair: CertKeyPair): boolean {
  const fromKey = createPublicKey(createPrivateKey(pair.keyPem)).export({ type: 'spki', format: 'der' });
  const fromCert = new X509Certificate(pair.certPem).publicKey.export({ type: 'spki', format: 'der' });
  return fromKey.equals(fromCert);
}

/** True if every requested host is literally among the certificate's subjectAltNames. */
export function coversHosts(certPem: string, hosts: readonly string[]): boolean {
  const san = new x509.X509Certificate(certPem).getExtension(x509.SubjectAlternativeNameExtension);
  if (san === null) return hosts.length === 0;
  const present = new Set(
    san.names
      .toJSON()
      .filter((n) => n.type === 'dns' || n.type === 'ip')
      .map((n) => `${n.type}:${normalizeHost(n.value).value}`),
  );
  return hosts.every((h) => {
    const n = normalizeHost(h);
    return present.has(`${n.type}:${n.value}`);
  });
}
