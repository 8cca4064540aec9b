// Certificate and key generation for svcnet's self-made PKI, modelled on what kubeadm
// creates under /etc/kubernetes/pki. Generation uses @peculiar/x509 on Node's webcrypto, so
// no openssl binary is needed; inspection of existing files uses node:crypto's X509Certificate.
import { KeyObject, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { formatIP, parseIP } from '../util/ip.js';
import { x509 } from './x509.js';

/** A certificate and its private key, both PEM. Keys are PKCS#8 ("PRIVATE KEY"). */
export interface CertKeyPair {
  readonly certPem: string;
  readonly keyPem: string;
}

/** The subject of a certificate: Kubernetes reads the user from CN and groups from O. */
export interface CertificateSubject {
  readonly commonName: string;
  readonly organizations?: readonly string[];
}

export const certificateUsages = ['server', 'client'] as const;
export type CertificateUsage = (typeof certificateUsages)[number];

export interface SignOptions {
  readonly subject: CertificateSubject;
  readonly usage: CertificateUsage;
  /** DNS names and IP addresses; only meaningful for serving certificates. */
  readonly hosts?: readonly string[];
  readonly validityDays: number;
}

// Pass the crypto provider explicitly rather than setting @peculiar/x509's global provider,
// so importing this module has no side effects on other users of the package.
const crypto = webcrypto as unknown as Crypto;
const keyAlgorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;
const dayMs = 24 * 60 * 60 * 1000;
// Backdate notBefore a little so a peer whose clock is slightly behind ours does not see a
// "not yet valid" certificate right after `svcnet up`.
const clockSkewMs = 5 * 60 * 1000;

export const caValidityDays = 3650;
export const leafValidityDays = 365;

async function generateKeyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  return KeyObject.from(key as webcrypto.CryptoKey).export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Imports a PEM private key (PKCS#8 or SEC1) for signing. Only EC keys are supported. */
async function importSigningKey(keyPem: string): Promise<CryptoKey> {
  const key = createPrivateKey(keyPem);
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const namedCurve = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : undefined;
  if (key.asymmetricKeyType !== 'ec' || namedCurve === undefined) {
    throw new Error(`unsupported CA key: want an ECDSA P-256 or P-384 key, got ${key.asymmetricKeyType} ${curve ?? ''}`.trim());
  }
  const der = key.export({ type: 'pkcs8', format: 'der' });
  return crypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve }, false, ['sign']);
}

// A positive 128-bit serial: RFC 5280 wants positive serials of at most 20 octets.
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - clockSkewMs), notAfter: new Date(now + days * dayMs) };
}

// One RDN per attribute value, the shape openssl and Node's getPeerCertificate() read back
// as CN: string and O: string | string[].
function toName(subject: CertificateSubject): x509.JsonName {
  const orgs = (subject.organizations ?? []).map((o) => ({ O: [o] }));
  return [...orgs, { CN: [subject.commonName] }];
}

/** Splits hosts into IP and DNS subjectAltNames, dropping duplicates. */
export function subjectAltNames(hosts: readonly string[]): x509.JsonGeneralNames {
  const seen = new Set<string>();
  const names: x509.JsonGeneralName[] = [];
  for (const host of hosts) {
    const name = normalizeHost(host);
    if (seen.has(name.value)) continue;
    seen.add(name.value);
    names.push(name);
  }
  return names;
}

/**
 * Canonical form of a host: IPs in their canonical text (so "::0:1" equals "::1"; an IPv4-mapped
 * address is IPv4, as Go's x509 writes it), DNS names lower-cased.
 */
export function normalizeHost(host: string): x509.JsonGeneralName {
  const h = host.trim();
  if (h === '') throw new Error('empty host name for serving certificate');
  const bare = h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
  const ip = parseIP(bare);
  if (ip) return { type: 'ip', value: formatIP(ip) };
  // Anything with a colon, or all digits and dots, meant to be an IP.
  if (bare.includes(':') || /^[0-9.]+$/.test(bare)) throw new Error(`invalid IP address for serving certificate: ${host}`);
  return { type: 'dns', value: bare.toLowerCase() };
}

/** Creates a self-signed CA, as kubeadm's "kubernetes" CA. */
export async function createCertificateAuthority(commonName = 'kubernetes'): Promise<CertKeyPair> {
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: [{ CN: [commonName] }],
      keys,
      signingAlgorithm,
      ...validity(caValidityDays),
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}

/** Issues a leaf certificate with a fresh key, signed by the given CA. */
export async function signCertificate(ca: CertKeyPair, options: SignOptions): Promise<CertKeyPair> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const signingKey = await importSigningKey(ca.keyPem);
  const keys = await generateKeyPair();
  const isServer = options.usage === 'server';
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    // keyEncipherment is meaningless for ECDSA but kubeadm sets it, and Go ignores it.
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([isServer ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false, crypto),
  ];
  const hosts = options.hosts ?? [];
  if (hosts.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(subjectAltNames(hosts)));
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject: toName(options.subject),
      // The Name object keeps the CA subject's exact DER bytes; Go matches issuer to subject byte-wise.
      issuer: caCert.subjectName,
      publicKey: keys.publicKey,
      signingKey,
      signingAlgorithm,
      ...validity(options.validityDays),
      extensions,
    },
    crypto,
  );
  return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}
