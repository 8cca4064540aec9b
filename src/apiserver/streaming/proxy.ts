// pods/{[scheme:]name[:port]}/proxy/{path} and services/{[scheme:]name[:port]}/proxy/{path}:
// HTTP proxying to a Pod. Pod IPs live in network namespaces the API server is not in, so the
// TCP connection is opened by the Pod's node (the same tunnel port-forward uses) and the HTTP
// request runs over it. Target choice and messages follow pkg/registry/core/{pod,service}.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';
import { createWebSocketStream } from 'ws';
import { apiErrors, StatusError } from '../../api/errors.js';
import type { ResourceCall } from '../handlers/context.js';
import type { Registry } from '../registry/registry.js';
import { nodeWebSocket, NodeResponseError, type KubeletSocketResolver } from './node-connection.js';
import type { Pod } from '../../api/types/core/v1.js';
import { podIP, splitSchemeNamePort } from './pod-target.js';
import { TUNNEL_PROTOCOL } from './port-forward-upgrade.js';

interface ProxyTarget {
  readonly scheme: string;
  readonly namespace: string;
  readonly pod: string;
  readonly node: string;
  readonly ip: string;
  readonly port: number;
}

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host',
  'http2-settings',
]);

function isGlobalUnicastIPv4(ip: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return false;
  const a = Number(m[1]);
  return a !== 0 && a !== 127 && a < 224 && !(a === 169 && Number(m[2]) === 254);
}

/** pod ResourceLocation: port defaults to the first declared container port. */
export async function podProxyTarget(registry: Registry, namespace: string, id: string): Promise<ProxyTarget> {
  const parts = splitSchemeNamePort(id);
  if (!parts) throw apiErrors.badRequest(`invalid pod request ${JSON.stringify(id)}`);
  const pod = (await registry.store('', 'pods')!.get(namespace, parts.name)) as unknown as Pod;
  let port = parts.port;
  if (!port) port = String(pod.spec?.containers?.find((c) => c.ports?.length)?.ports?.[0]?.containerPort ?? '');
  const ip = podIP(pod);
  if (!isGlobalUnicastIPv4(ip)) throw apiErrors.badRequest('address not allowed');
  const node = pod.spec?.nodeName;
  if (!node) throw apiErrors.badRequest(`pod ${parts.name} does not have a host assigned`);
  return { scheme: parts.scheme || 'http', namespace, pod: parts.name, node, ip, port: port ? Number(port) : 80 };
}

interface EndpointsLike {
  subsets?: {
    addresses?: { ip: string; nodeName?: string; targetRef?: { kind?: string; namespace?: string; name?: string } }[];
    ports?: { name?: string; port: number }[];
  }[];
}

/** service ResourceLocation: a random ready address of the Endpoints that carries the port. */
export async function serviceProxyTarget(registry: Registry, namespace: string, id: string): Promise<ProxyTarget> {
  const parts = splitSchemeNamePort(id);
  if (!parts) throw apiErrors.badRequest(`invalid service request ${JSON.stringify(id)}`);
  const svcName = parts.name;
  let portName = parts.port;
  const svc = (await registry.store('', 'services')!.get(namespace, svcName)) as { spec?: { ports?: { name?: string; port: number }[] } };
  if (/^\d+$/.test(portName)) {
    const found = svc.spec?.ports?.find((p) => p.port === Number(portName));
    if (!found) throw apiErrors.serviceUnavailable(`no service port ${portName} found for service ${JSON.stringify(svcName)}`);
    portName = found.name ?? '';
  }
  const eps = (await registry.store('', 'endpoints')!.tryGet(namespace, svcName)) as EndpointsLike | undefined;
  const subsets = eps?.subsets ?? [];
  if (subsets.length === 0) throw apiErrors.serviceUnavailable(`no endpoints available for service ${JSON.stringify(svcName)}`);
  const pods = registry.store('', 'pods')!;
  const start = Math.floor(Math.random() * subsets.length);
  for (let i = 0; i < subsets.length; i++) {
    const ss = subsets[(start + i) % subsets.length]!;
    const addrs = ss.addresses ?? [];
    const port = ss.ports?.find((p) => (p.name ?? '') === portName);
    if (!port || addrs.length === 0) continue;
    const a0 = Math.floor(Math.random() * addrs.length);
    for (let j = 0; j < addrs.length; j++) {
      const addr = addrs[(a0 + j) % addrs.length]!;
      // isValidAddress: the address must be a Pod of this namespace that has this IP.
      const ref = addr.targetRef;
      if (!ref?.name || (ref.kind ?? 'Pod') !== 'Pod' || (ref.namespace ?? namespace) !== namespace) continue;
      const pod = (await pods.tryGet(namespace, ref.name)) as unknown as Pod | undefined;
      if (!pod || !(pod.status?.podIPs ?? [{ ip: pod.status?.podIP ?? '' }]).some((p) => p.ip === addr.ip)) continue;
      const node = pod.spec?.nodeName ?? addr.nodeName;
      if (!node) continue;
      return { scheme: parts.scheme || 'http', namespace, pod: ref.name, node, ip: addr.ip, port: port.port };
    }
  }
  throw apiErrors.serviceUnavailable(`no endpoints available for service ${JSON.stringify(id)}`);
}

/** `/api/v1/namespaces/ns/pods/name:port/proxy` and the path after it. */
export function splitProxyPath(pathname: string): { prefix: string; rest: string } | undefined {
  const m = /^(.*?\/(?:pods|services|nodes)\/[^/]+\/proxy)(\/.*)?$/.exec(pathname);
  return m ? { prefix: m[1]!, rest: m[2] ?? '' } : undefined;
}

async function openTunnel(kubeletSocket: KubeletSocketResolver, t: ProxyTarget): Promise<Duplex> {
  const path = `/portForward/${encodeURIComponent(t.namespace)}/${encodeURIComponent(t.pod)}?port=${t.port}&host=${encodeURIComponent(t.ip)}`;
  try {
    const ws = await nodeWebSocket(kubeletSocket(t.node), path, TUNNEL_PROTOCOL);
    const io = createWebSocketStream(ws);
    io.on('error', () => ws.terminate());
    ws.resume();
    return t.scheme === 'https' ? tlsConnect({ socket: io, rejectUnauthorized: false, servername: undefined }) : io;
  } catch (err) {
    const why = err instanceof NodeResponseError ? err.body : err instanceof StatusError ? err.message : String(err);
    throw apiErrors.serviceUnavailable(`error trying to reach service: ${why}`);
  }
}

export async function serveProxy(call: ResourceCall, registry: Registry, kubeletSocket: KubeletSocketResolver): Promise<void> {
  const { req, info } = call;
  const split = splitProxyPath(req.rawPath);
  if (!split) throw apiErrors.badRequest('invalid proxy path');
  const res = req.res as ServerResponse;
  // The root of a proxied resource must end in "/" so relative links resolve under it.
  if (split.rest === '') {
    res.writeHead(301, { location: `${req.rawPath}/${req.url.search}` });
    res.end();
    return;
  }
  const t = info.resource === 'services' ? await serviceProxyTarget(registry, info.namespace, info.name) : await podProxyTarget(registry, info.namespace, info.name);
  const io = await openTunnel(kubeletSocket, t);
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || k.startsWith(':') || HOP_BY_HOP.has(k) || k === 'authorization') continue;
    headers[k] = v;
  }
  headers.host = `${t.ip}:${t.port}`;
  headers['x-forwarded-uri'] = req.rawPath + req.url.search;
  headers['x-forwarded-host'] = String(req.headers.host ?? req.headers[':authority'] ?? '');
  headers['x-forwarded-proto'] = 'https';
  headers.connection = 'close';
  const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
    const out = httpRequest({ createConnection: () => io as never, method: req.method, path: split.rest + req.url.search, headers }, resolve);
    out.on('error', (e) => reject(apiErrors.serviceUnavailable(`error trying to reach service: ${e.message}`)));
    const body = req.raw as NodeJS.ReadableStream;
    if (req.method === 'GET' || req.method === 'HEAD') out.end();
    else body.pipe(out);
  });
  const outHeaders: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(upstream.headers)) {
    if (v === undefined || HOP_BY_HOP.has(k)) continue;
    outHeaders[k] = v;
  }
  const loc = upstream.headers.location;
  if (loc) outHeaders.location = rewriteLocation(loc, split.prefix, `${t.ip}:${t.port}`);
  res.writeHead(upstream.statusCode ?? 502, outHeaders);
  await new Promise<void>((resolve) => {
    upstream.on('data', (c: Buffer) => res.write(c));
    upstream.on('end', () => {
      res.end();
      resolve();
    });
    upstream.on('error', () => {
      res.end();
      resolve();
    });
    res.on('close', () => {
      io.destroy();
      resolve();
    });
  });
}

/** Redirects from the backend stay inside the proxy path. */
export function rewriteLocation(location: string, prefix: string, backendHost: string): string {
  if (location.startsWith('/')) return prefix + location;
  try {
    const u = new URL(location);
    const port = u.port || (u.protocol === 'https:' ? '443' : '80');
    if (`${u.hostname}:${port}` === backendHost) return prefix + u.pathname + u.search + u.hash;
  } catch {
    // Not a URL: leave it.
  }
  return location;
}
