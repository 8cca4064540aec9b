// GET /containerLogs/{namespace}/{pod}/{container} for a StreamingRuntime: the kubelet's log
// endpoint. The query is PodLogOptions (src/api/pod-logs.ts, the API server's parser too); the
// file is read by the node's one CRI log reader (runtime/cri-log-reader.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError } from '../../api/errors.js';
import { parsePodLogOptions } from '../../api/pod-logs.js';
import { containerLogReadOptions, streamLogFile, type ContainerLogReadOptions } from '../runtime/cri-log-reader.js';
import { ContainerStateError, type LogTarget, type StreamingRuntime } from './runtime.js';

export async function serveContainerLogs(
  runtime: StreamingRuntime,
  parts: readonly string[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const [namespace, pod, container] = parts;
  if (!namespace || !pod || !container) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('expected /containerLogs/{namespace}/{pod}/{container}');
    return;
  }
  const url = new URL(req.url ?? '/', 'http://node');
  let query: ContainerLogReadOptions;
  let target: LogTarget;
  try {
    const opts = parsePodLogOptions(pod, url.searchParams);
    query = containerLogReadOptions(opts, Date.now());
    if (!runtime.containerLog) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
      return;
    }
    target = await runtime.containerLog(namespace, pod, container, !!opts.previous);
  } catch (err) {
    const code = err instanceof ContainerStateError || err instanceof StatusError ? 400 : 500;
    res.writeHead(code, { 'content-type': 'text/plain' }).end((err as Error).message);
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  let closed = false;
  res.on('close', () => (closed = true));
  await streamLogFile(target, query, (b) => res.write(b), () => closed).catch(() => {});
  res.end();
}
