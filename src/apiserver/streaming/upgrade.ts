// Takes the API server's upgrade requests (WebSocket or SPDY) for pods/exec, pods/attach and
// pods/portforward; everything else is left to the server's default answer.
import type { Socket } from 'node:net';
import type { RawRequest } from '../http.js';
import { parseRequestInfo, type ResourceRequestInfo } from '../request-info.js';
import { checkPathSegmentName, parseRequestURI } from '../request-uri.js';
import { StatusError, toStatusError, apiErrors } from '../../api/errors.js';
import { writeRawStatus } from './raw-response.js';

export interface UpgradeRequest {
  readonly req: RawRequest;
  readonly socket: Socket;
  readonly head: Buffer;
  readonly url: URL;
  readonly info: ResourceRequestInfo;
}

export type UpgradeHandler = (u: UpgradeRequest) => Promise<void>;

/**
 * The pods subresource an upgrade request is for, or undefined when it is not ours. Throws a
 * StatusError for a target that cannot name a Pod (bad escapes, `..`, trailing segments); the
 * server answers those on the socket.
 */
export function upgradeTarget(req: RawRequest): { url: URL; info: ResourceRequestInfo } | undefined {
  // Not new URL(req.url): it resolves `..`/`%2e%2e` segments (see request-uri.ts).
  const uri = parseRequestURI(req.url);
  const url = new URL('https://localhost/');
  url.search = uri.rawQuery;
  const info = parseRequestInfo(req.method ?? 'GET', uri.path, url.searchParams);
  if (!info.isResourceRequest || info.group !== '' || info.version !== 'v1' || info.resource !== 'pods') return undefined;
  if (!info.namespace || !info.name) return undefined;
  if (!UPGRADE_SUBRESOURCES.has(info.subresource)) return undefined;
  if (info.rest.length) throw NOT_FOUND();
  checkPathSegmentName(info.name);
  return { url, info };
}

const UPGRADE_SUBRESOURCES = new Set(['exec', 'attach', 'portforward']);
const NOT_FOUND = () => new StatusError(404, 'NotFound', 'the server could not find the requested resource');

/** Runs a handler, turning any failure into a Status answer on the still-HTTP socket. */
export function runUpgrade(handler: UpgradeHandler, u: UpgradeRequest, onUnexpected: (err: unknown) => void): void {
  // A handler that throws synchronously must not escape into the HTTP server's 'upgrade' emit.
  Promise.resolve()
    .then(() => handler(u))
    .catch((err: unknown) => {
      if (!(err instanceof StatusError)) onUnexpected(err);
      writeRawStatus(u.socket, err instanceof StatusError ? err : toStatusError(err));
    });
}

export const attachNotSupported = (): StatusError =>
  apiErrors.badRequest('attach is not supported by svcnet: Pods are host processes whose stdio belongs to the node agent; use kubectl exec or kubectl logs -f');
