// GET pods/{name}/log: validates PodLogOptions as kube-apiserver does, resolves the container,
// and streams the node's /containerLogs answer to the client (LogREST + LogLocation). The query
// parser is the one the node uses too (src/api/pod-logs.ts).
import type { ServerResponse } from 'node:http';
import { apiErrors, StatusError } from '../../api/errors.js';
import { parsePodLogOptions, podLogOptionsQuery, type PodLogOptions } from '../../api/pod-logs.js';
import type { ResourceCall } from '../handlers/context.js';
import { nodeGet, NodeResponseError, type KubeletSocketResolver } from './node-connection.js';
import { validateContainer } from './pod-target.js';
import type { Pod } from '../../api/types/core/v1.js';

export { parsePodLogOptions };

/** The node's /containerLogs query for these options. */
export function containerLogsPath(pod: Pod, container: string, o: PodLogOptions): string {
  const { namespace = '', name = '' } = pod.metadata;
  const q = podLogOptionsQuery(o).toString();
  return `/containerLogs/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/${encodeURIComponent(container)}${q ? `?${q}` : ''}`;
}

/** kube-apiserver's GenericHttpResponseChecker: a kubelet 400 is BadRequest with its text, 500 InternalError. */
export function nodeLogError(err: NodeResponseError, name: string): StatusError {
  if (err.status === 400) return apiErrors.badRequest(err.body);
  if (err.status === 500) return apiErrors.internal(err.body);
  return new StatusError(err.status, err.status === 404 ? 'NotFound' : '', err.status === 404 ? 'the server could not find the requested resource' : `the server responded with the status code ${err.status} but did not return more information`, {
    name,
    kind: 'pods/log',
    causes: err.body ? [{ reason: 'UnexpectedServerResponse', message: err.body }] : [],
  });
}

export async function servePodLogs(call: ResourceCall, kubeletSocket: KubeletSocketResolver): Promise<void> {
  const { req, info } = call;
  if (info.verb !== 'get') throw apiErrors.methodNotSupported({ group: '', resource: 'pods/log' }, info.verb);
  const opts = parsePodLogOptions(info.name, req.query);
  const pod = (await call.store.get(info.namespace, info.name)) as Pod;
  const container = validateContainer(pod, opts.container ?? '');
  const headers = { 'content-type': 'text/plain', 'cache-control': 'no-cache, private', 'x-content-type-options': 'nosniff' };
  const node = pod.spec?.nodeName;
  // An unscheduled Pod has no log location: upstream answers an empty body.
  if (!node) {
    req.res.writeHead(200, headers);
    req.res.end();
    return;
  }
  let upstream;
  try {
    upstream = await nodeGet(kubeletSocket(node), containerLogsPath(pod, container, opts));
  } catch (err) {
    throw err instanceof NodeResponseError ? nodeLogError(err, info.name) : err;
  }
  const res = req.res as ServerResponse;
  res.writeHead(200, headers);
  await new Promise<void>((resolve) => {
    const done = () => {
      upstream.abort();
      resolve();
    };
    res.on('close', done);
    upstream.res.on('data', (c: Buffer) => res.write(c));
    upstream.res.on('end', () => {
      res.end();
      resolve();
    });
    upstream.res.on('error', () => {
      res.end();
      resolve();
    });
  });
}
