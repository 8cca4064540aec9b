// The etcd storage URL: etcd://host:port[,host:port…][?prefix=/p&cacert=…&cert=…&key=…].
// kube-apiserver spreads the same settings over --etcd-servers, --etcd-prefix, --etcd-cafile,
// --etcd-certfile and --etcd-keyfile; one URL keeps openStorage(url) the only entry point, and
// the CLI's --etcd-* flags fold into it (see etcdStorageURL).
import { readFileSync } from 'node:fs';

export interface EtcdConfig {
  /** Client URLs, http:// or https:// (https when any TLS file is given). */
  readonly endpoints: readonly string[];
  /**
   * Prepended to every storage key, so one etcd can hold several clusters. Storage keys already
   * start with /registry/, so the default (empty) lays objects out exactly as kube-apiserver's
   * default --etcd-prefix=/registry does.
   */
  readonly prefix: string;
  readonly tls?: { readonly ca?: string; readonly cert?: string; readonly key?: string };
}

const knownParams = new Set(['prefix', 'cacert', 'cert', 'key']);

/** Parse everything after "etcd://". Throws with the offending part named. */
export function parseEtcdLocation(location: string, url: string): EtcdConfig {
  const q = location.indexOf('?');
  const hostPart = q < 0 ? location : location.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : location.slice(q + 1));
  for (const name of params.keys()) {
    if (!knownParams.has(name)) throw new Error(`storage URL "${url}": unknown parameter "${name}" (known: ${[...knownParams].join(', ')})`);
  }
  const hosts = hostPart.split(',').map((h) => h.trim()).filter((h) => h !== '');
  if (hosts.length === 0) throw new Error(`storage URL "${url}" names no etcd endpoint (expected etcd://host:port[,host:port…])`);
  for (const h of hosts) {
    if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(h)) throw new Error(`storage URL "${url}": invalid etcd endpoint "${h}" (expected host:port)`);
  }
  const tls = { ca: params.get('cacert') ?? undefined, cert: params.get('cert') ?? undefined, key: params.get('key') ?? undefined };
  const secure = tls.ca !== undefined || tls.cert !== undefined || tls.key !== undefined;
  if ((tls.cert === undefined) !== (tls.key === undefined)) throw new Error(`storage URL "${url}": cert and key must be given together`);
  const prefix = params.get('prefix') ?? '';
  if (prefix !== '' && !prefix.startsWith('/')) throw new Error(`storage URL "${url}": prefix must start with "/"`);
  return {
    endpoints: hosts.map((h) => `${secure ? 'https' : 'http'}://${h}`),
    prefix: prefix.replace(/\/+$/, ''),
    tls: secure ? tls : undefined,
  };
}

/** The etcd3 client's credentials from the TLS file paths (read once, at open). */
export function readCredentials(tls: EtcdConfig['tls']): { rootCertificate: Buffer; privateKey?: Buffer; certChain?: Buffer } | undefined {
  if (!tls) return undefined;
  if (tls.ca === undefined) throw new Error('etcd TLS needs cacert (the CA that signed the etcd server certificate)');
  return {
    rootCertificate: readFileSync(tls.ca),
    privateKey: tls.key === undefined ? undefined : readFileSync(tls.key),
    certChain: tls.cert === undefined ? undefined : readFileSync(tls.cert),
  };
}

/** Fold kube-apiserver-style --etcd-* flags into an etcd:// storage URL. */
export function etcdStorageURL(base: string, flags: { prefix?: string; cafile?: string; certfile?: string; keyfile?: string }): string {
  const params = new URLSearchParams();
  if (flags.prefix !== undefined) params.set('prefix', flags.prefix);
  if (flags.cafile !== undefined) params.set('cacert', flags.cafile);
  if (flags.certfile !== undefined) params.set('cert', flags.certfile);
  if (flags.keyfile !== undefined) params.set('key', flags.keyfile);
  const extra = params.toString();
  if (extra === '') return base;
  return `${base}${base.includes('?') ? '&' : '?'}${extra}`;
}
