// Public entry of the PKI component: the CA, serving and client certificates, client
// certificate authentication, and the admin kubeconfig.
export type { CertKeyPair, CertificateSubject } from './certificates.js';
export { createCertificateAuthority, signCertificate } from './certificates.js';
export type { EnsurePKIOptions, PKI } from './ensure-pki.js';
export { defaultServingHosts, ensurePKI, pkiFileNames } from './ensure-pki.js';
export type { ClientCertificateRequest, UserInfo } from './client-certificate.js';
export { authenticateClientCertificate, issueClientCertificate } from './client-certificate.js';
export type { KubeconfigOptions } from './kubeconfig.js';
export { renderKubeconfig, writeKubeconfig } from './kubeconfig.js';
