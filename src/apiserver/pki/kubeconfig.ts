// Writes a kubeconfig (clientcmd v1 Config) with embedded, base64-encoded certificates, in the
// same shape `kubeadm` writes admin.conf, so kubectl and client libraries need no other files.
import { stringify } from 'yaml';
import { writeFileAtomic } from './files.js';

export interface KubeconfigOptions {
  /** e.g. `https://127.0.0.1:<port>` */
  readonly server: string;
  readonly caPem: string;
  readonly clientCertPem: string;
  readonly clientKeyPem: string;
  /** Defaults to `svcnet`. */
  readonly clusterName?: string;
  /** Defaults to `kubernetes-admin`. */
  readonly user?: string;
  /** Defaults to `<user>@<clusterName>`. */
  readonly context?: string;
}

export const defaultClusterName = 'svcnet';
export const defaultKubeconfigUser = 'kubernetes-admin';

const base64 = (pem: string): string => Buffer.from(pem, 'utf8').toString('base64');

/** Renders the kubeconfig YAML. Pure, so the shape is testable without a file. */
export function renderKubeconfig(opts: KubeconfigOptions): string {
  const cluster = opts.clusterName ?? defaultClusterName;
  const user = opts.user ?? defaultKubeconfigUser;
  const context = opts.context ?? `${user}@${cluster}`;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: opts.server, 'certificate-authority-data': base64(opts.caPem) } }],
    contexts: [{ name: context, context: { cluster, user } }],
    'current-context': context,
    preferences: {},
    users: [
      {
        name: user,
        user: {
          'client-certificate-data': base64(opts.clientCertPem),
          'client-key-data': base64(opts.clientKeyPem),
        },
      },
    ],
  };
  // lineWidth 0: never fold the long base64 strings.
  return stringify(config, { lineWidth: 0 });
}

/** Writes the kubeconfig with mode 0600: it holds a private key. */
export async function writeKubeconfig(path: string, opts: KubeconfigOptions): Promise<void> {
  await writeFileAtomic(path, renderKubeconfig(opts), 0o600);
}
