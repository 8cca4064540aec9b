// Public entry of svcnet's x509 layer: certificate authorities and certificates they sign, with
// ECDSA P-256 keys made on Node's webcrypto (no openssl binary). It knows nothing of the API
// server: apiserver/pki lays out the control plane's PKI with it, node images sign their own
// test certificates with it.
export type { CertKeyPair, CertificateSubject, CertificateUsage, SignOptions } from './certificates.js';
export {
  caValidityDays,
  certificateUsages,
  createCertificateAuthority,
  leafValidityDays,
  normalizeHost,
  signCertificate,
  subjectAltNames,
} from './certificates.js';
export { x509 } from './x509.js';
