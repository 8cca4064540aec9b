// Takes the API server's upgrade requests (WebSocket or SPDY) for pods/exec, pods/attach and
// pods/portforward; everything else is left to the server's default answer.
import type { Socket } from 'node:net';
import type { RawRequest } from '../http.js';
import { parseRequestInfo, type ResourceRequestInfo } from '../request-info.js';
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

/** The pods subresource an upgrade request is for, or undefined when it is not ours. */
export function upgradeTarget(req: RawRequest): { url: URL; info: ResourceRequestInfo } | undefined {
  const url = new URL(req.url ?? '/', 'https://localhost');
  const info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
  if (!info.isResourceRequest || info.group !== '' || info.version !== 'v1' || info.resource !== 'pods') return undefined;
  if (!info.namespace || !info.name) return undefined;
  return { url, info };
}

/** Runs a handler, turning any failure into a Status answer on the still-HTTP socket. */
export function runUpgrade(handler: UpgradeHandler, u: UpgradeRequest, onUnexpected: (err: unknown) => void): void {
  handler(u).catch((err: unknown) => {
    if (!(err instanceof StatusError)) onUnexpected(err);
    writeRawStatus(u.socket, err instanceof StatusError ? err : toStatusError(err));
  });
}

export const attachNotSupported = (): StatusError =>
  apiErrors.badRequest('attach is not supported by svcnet: Pods are host processes whose stdio belongs to the node agent; use kubectl exec or kubectl logs -f');
