// GET pods/{name}/log: validates PodLogOptions as kube-apiserver does, resolves the container,
// and streams the node's /containerLogs answer to the client (LogREST + LogLocation).
import type { ServerResponse } from 'node:http';
import { apiErrors, StatusError } from '../../api/errors.js';
import { fieldErr, type FieldError } from '../../api/field-errors.js';
import type { ResourceCall } from '../handlers/context.js';
import { nodeGet, NodeResponseError, type KubeletSocketResolver } from './node-connection.js';
import { validateContainer, type PodLike } from './pod-target.js';

export interface PodLogOptions {
  readonly container: string;
  readonly follow: boolean;
  readonly previous: boolean;
  readonly timestamps: boolean;
  readonly tailLines?: number;
  readonly limitBytes?: number;
  readonly sinceSeconds?: number;
  readonly sinceTime?: string;
}

const bool = (v: string | null): boolean => v === 'true' || v === '1';

function int(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  if (!/^-?\d+$/.test(v)) throw apiErrors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** Query → options, then ValidatePodLogOptions (pkg/apis/core/validation). */
export function parsePodLogOptions(name: string, q: URLSearchParams): PodLogOptions {
  const opts: PodLogOptions = {
    container: q.get('container') ?? '',
    follow: bool(q.get('follow')),
    previous: bool(q.get('previous')),
    timestamps: bool(q.get('timestamps')),
    tailLines: int(q, 'tailLines'),
    limitBytes: int(q, 'limitBytes'),
    sinceSeconds: int(q, 'sinceSeconds'),
    sinceTime: q.get('sinceTime') ?? undefined,
  };
  if (opts.sinceTime !== undefined && Number.isNaN(Date.parse(opts.sinceTime))) {
    throw apiErrors.badRequest(`parsing time ${JSON.stringify(opts.sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(opts.sinceTime)} as "2006"`);
  }
  const errs: FieldError[] = [];
  if (opts.tailLines !== undefined && opts.tailLines < 0) errs.push(fieldErr.invalid('tailLines', opts.tailLines, 'must be greater than or equal to 0'));
  if (opts.limitBytes !== undefined && opts.limitBytes < 1) errs.push(fieldErr.invalid('limitBytes', opts.limitBytes, 'must be greater than 0'));
  if (opts.sinceSeconds !== undefined && opts.sinceTime !== undefined) {
    errs.push(fieldErr.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  } else if (opts.sinceSeconds !== undefined && opts.sinceSeconds < 1) {
    errs.push(fieldErr.invalid('sinceSeconds', opts.sinceSeconds, 'must be greater than 0'));
  }
  if (errs.length) throw apiErrors.invalid('', 'PodLogOptions', name, errs);
  return opts;
}

/** The node's /containerLogs query for these options. */
export function containerLogsPath(pod: PodLike, container: string, o: PodLogOptions): string {
  const p = new URLSearchParams();
  if (o.follow) p.set('follow', 'true');
  if (o.previous) p.set('previous', 'true');
  if (o.timestamps) p.set('timestamps', 'true');
  if (o.sinceSeconds !== undefined) p.set('sinceSeconds', String(o.sinceSeconds));
  if (o.sinceTime !== undefined) p.set('sinceTime', new Date(o.sinceTime).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  if (o.tailLines !== undefined) p.set('tailLines', String(o.tailLines));
  if (o.limitBytes !== undefined) p.set('limitBytes', String(o.limitBytes));
  const { namespace = '', name = '' } = pod.metadata;
  const q = p.toString();
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
  const pod = (await call.store.get(info.namespace, info.name)) as PodLike;
  const container = validateContainer(pod, opts.container);
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
