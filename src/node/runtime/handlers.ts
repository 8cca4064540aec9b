// Running a probe or lifecycle handler (exec, httpGet, tcpSocket, sleep) against a container,
// as the kubelet's prober and lifecycle handler runner do. Named ports resolve against the
// container's ports; an exec runs inside the container's namespaces with its environment.
import { spawn } from 'node:child_process';
import { enterContainerArgv } from './container-process.js';
import type { NetProber, ProbeResult } from './net-prober.js';
import type { Container, LifecycleHandler, ProbeHandler } from '../../api/types/core/v1.js';

export interface HandlerTarget {
  readonly container: Container;
  readonly podIP: string;
  /** The container's pid (exec enters its namespaces); undefined when it is not running. */
  readonly pid: number | undefined;
  readonly env: Readonly<Record<string, string>>;
  readonly prober: NetProber;
}

/** A port number, or a named port of the container (findPortByName). */
export function resolvePort(port: number | string | undefined, container: Container): number | string {
  if (typeof port === 'number') return port;
  if (port === undefined) return 'unknown';
  if (/^\d+$/.test(port)) return Number(port);
  const found = container.ports?.find((p) => p.name === port);
  return found ? found.containerPort : port;
}

/** Runs a command inside the container's namespaces; success is exit status 0. */
export function execInContainer(pid: number, argv: readonly string[], env: Readonly<Record<string, string>>, timeoutMs: number): Promise<ProbeResult & { exitCode: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(enterContainerArgv(pid, argv)[0]!, enterContainerArgv(pid, argv).slice(1), { env: { ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ result: 'failure', output: `command ${JSON.stringify(argv.join(' '))} timed out`, exitCode: null });
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ result: 'failure', output: err.message, exitCode: null });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ result: code === 0 ? 'success' : 'failure', output, exitCode: code });
    });
  });
}

export async function runHandler(handler: ProbeHandler | LifecycleHandler, target: HandlerTarget, timeoutMs: number): Promise<ProbeResult> {
  if (handler.exec) {
    if (target.pid === undefined) return { result: 'failure', output: 'container is not running' };
    return execInContainer(target.pid, handler.exec.command ?? [], target.env, timeoutMs);
  }
  if (handler.httpGet) {
    const h = handler.httpGet;
    const port = resolvePort(h.port, target.container);
    if (typeof port !== 'number') return { result: 'failure', output: `couldn't find port: ${port} in ${target.container.name}` };
    return target.prober.probe({
      kind: 'http',
      scheme: (h.scheme ?? 'HTTP').toLowerCase() === 'https' ? 'https' : 'http',
      host: h.host || target.podIP,
      port,
      path: h.path ?? '/',
      headers: h.httpHeaders ?? [],
      timeoutMs,
    });
  }
  if (handler.tcpSocket) {
    const port = resolvePort(handler.tcpSocket.port, target.container);
    if (typeof port !== 'number') return { result: 'failure', output: `couldn't find port: ${port} in ${target.container.name}` };
    return target.prober.probe({ kind: 'tcp', host: handler.tcpSocket.host || target.podIP, port, timeoutMs });
  }
  if ('sleep' in handler && handler.sleep) {
    await new Promise((r) => setTimeout(r, Math.min(handler.sleep!.seconds * 1000, timeoutMs)));
    return { result: 'success', output: '' };
  }
  if ('grpc' in handler && handler.grpc) return { result: 'failure', output: 'grpc probes are not supported by svcnet' };
  return { result: 'failure', output: 'missing probe handler' };
}
