// Public entry of the API server's PKI: the control plane's CA, serving and admin certificates
// on disk, client certificates for nodes, client-certificate authentication, and the admin
// kubeconfig. The x509 work itself is the lower layer src/pki.
export type { CertKeyPair, CertificateSubject } from '../../pki/index.js';
export type { EnsurePKIOptions, PKI } from './ensure-pki.js';
export { defaultServingHosts, ensurePKI, pkiFileNames } from './ensure-pki.js';
export type { ClientCertificateRequest, UserInfo } from './client-certificate.js';
export { authenticateClientCertificate, issueClientCertificate } from './client-certificate.js';
export type { KubeconfigOptions } from './kubeconfig.js';
export { renderKubeconfig, writeKubeconfig } from './kubeconfig.js';
