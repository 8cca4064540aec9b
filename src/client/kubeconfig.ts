// Reads a kubeconfig (clientcmd v1 Config) into the few facts a REST client needs: where the
// server is and how to trust and authenticate to it. Relative file paths resolve against the
// kubeconfig's own directory, as clientcmd does.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

export interface ClusterConnection {
  /** e.g. `https://127.0.0.1:<port>` */
  readonly server: string;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly token?: string;
  readonly insecureSkipTLSVerify: boolean;
  /** TLS server name override (`tls-server-name`). */
  readonly tlsServerName?: string;
}

type Named<T> = { name?: string } & Record<string, T | undefined>;
type Dict = Record<string, unknown>;

function pick(list: unknown, name: string, field: string, what: string): Dict {
  const entries = Array.isArray(list) ? (list as Named<Dict>[]) : [];
  const found = entries.find((e) => e?.name === name);
  if (!found) throw new Error(`kubeconfig: ${what} ${JSON.stringify(name)} not found`);
  return (found[field] as Dict | undefined) ?? {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** `<field>-data` (base64) wins over `<field>` (a file path), as in clientcmd. */
function material(section: Dict, field: string, base: string): Buffer | undefined {
  const data = str(section[`${field}-data`]);
  if (data) return Buffer.from(data, 'base64');
  const file = str(section[field]);
  if (file) return readFileSync(isAbsolute(file) ? file : join(base, file));
  return undefined;
}

/** Parses kubeconfig text; `base` is the directory relative paths resolve against. */
export function parseKubeconfig(text: string, base: string, context?: string): ClusterConnection {
  const cfg = (parse(text) ?? {}) as Dict;
  const ctxName = context ?? str(cfg['current-context']);
  if (!ctxName) throw new Error('kubeconfig: no context given and no current-context set');
  const ctx = pick(cfg.contexts, ctxName, 'context', 'context');
  const clusterName = str(ctx.cluster);
  if (!clusterName) throw new Error(`kubeconfig: context ${JSON.stringify(ctxName)} names no cluster`);
  const cluster = pick(cfg.clusters, clusterName, 'cluster', 'cluster');
  const userName = str(ctx.user);
  const user = userName ? pick(cfg.users, userName, 'user', 'user') : {};
  const server = str(cluster.server);
  if (!server) throw new Error(`kubeconfig: cluster ${JSON.stringify(clusterName)} has no server`);
  if (user.exec || user['auth-provider']) {
    // Say so plainly instead of failing later with a confusing 401.
    throw new Error(`kubeconfig: user ${JSON.stringify(userName)} uses an exec/auth-provider plugin, which svcnet's client does not support`);
  }
  let token = str(user.token);
  const tokenFile = str(user.tokenFile);
  if (!token && tokenFile) token = readFileSync(isAbsolute(tokenFile) ? tokenFile : join(base, tokenFile), 'utf8').trim();
  return {
    server: server.replace(/\/+$/, ''),
    ca: material(cluster, 'certificate-authority', base),
    cert: material(user, 'client-certificate', base),
    key: material(user, 'client-key', base),
    token,
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: str(cluster['tls-server-name']),
  };
}

export function loadKubeconfig(path: string, context?: string): ClusterConnection {
  return parseKubeconfig(readFileSync(path, 'utf8'), dirname(path), context);
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** rest.InClusterConfig: the Pod's service account token and the KUBERNETES_SERVICE_* env. */
export function inClusterConnection(env: NodeJS.ProcessEnv = process.env, dir = SERVICE_ACCOUNT_DIR): ClusterConnection {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw new Error('not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set');
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ca: readFileSync(join(dir, 'ca.crt')),
    token: readFileSync(join(dir, 'token'), 'utf8').trim(),
    insecureSkipTLSVerify: false,
  };
}
