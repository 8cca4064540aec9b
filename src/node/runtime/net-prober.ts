// HTTP and TCP probes as the kubelet's prober makes them (pkg/probe/http, pkg/probe/tcp), with
// its result texts. They must run where Pod IPs are routed, the node's namespace: an agent that
// lives there probes directly; one in another namespace (tests) goes through a small helper
// process started in the node namespace (prober-main.ts), which runs the same direct code.
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export type ProbeOutcome = 'success' | 'failure';

export interface ProbeResult {
  readonly result: ProbeOutcome;
  readonly output: string;
}

export interface HttpProbeRequest {
  readonly kind: 'http';
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly headers: readonly { name: string; value: string }[];
  readonly timeoutMs: number;
}

export interface TcpProbeRequest {
  readonly kind: 'tcp';
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
}

export type NetProbeRequest = HttpProbeRequest | TcpProbeRequest;

export interface NetProber {
  probe(req: NetProbeRequest): Promise<ProbeResult>;
  close(): void;
}

const userAgent = 'kube-probe/1.32';

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

// Go's net error texts for the common failures.
function dialError(host: string, port: number, err: NodeJS.ErrnoException): string {
  const addr = hostPort(host, port);
  if (err.code === 'ECONNREFUSED') return `dial tcp ${addr}: connect: connection refused`;
  if (err.code === 'EHOSTUNREACH') return `dial tcp ${addr}: connect: no route to host`;
  if (err.code === 'ENETUNREACH') return `dial tcp ${addr}: connect: network is unreachable`;
  return `dial tcp ${addr}: ${err.message}`;
}

function tcpProbe(req: TcpProbeRequest): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: req.host, port: req.port });
    const timer = setTimeout(() => {
      sock.destroy();
      resolve({ result: 'failure', output: `dial tcp ${hostPort(req.host, req.port)}: i/o timeout` });
    }, req.timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ result: 'success', output: '' });
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      resolve({ result: 'failure', output: dialError(req.host, req.port, err) });
    });
  });
}

function httpProbe(req: HttpProbeRequest): Promise<ProbeResult> {
  const url = `${req.scheme}://${hostPort(req.host, req.port)}${req.path.startsWith('/') ? '' : '/'}${req.path}`;
  return new Promise((resolve) => {
    const headers: Record<string, string> = { 'User-Agent': userAgent, Accept: '*/*' };
    for (const h of req.headers) headers[h.name] = h.value;
    const mod = req.scheme === 'https' ? https : http;
    let done = false;
    const finish = (r: ProbeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      request.destroy();
      resolve(r);
    };
    const request = mod.get(url, { headers, rejectUnauthorized: false, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        if (body.length < 10 * 1024) body += c.toString();
      });
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        if (code >= 200 && code < 400) finish({ result: 'success', output: body });
        else finish({ result: 'failure', output: `HTTP probe failed with statuscode: ${code}` });
      });
      res.on('error', () => finish({ result: 'failure', output: `HTTP probe failed with statuscode: ${res.statusCode}` }));
    });
    const timer = setTimeout(
      () => finish({ result: 'failure', output: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` }),
      req.timeoutMs,
    );
    request.on('error', (err: NodeJS.ErrnoException) => finish({ result: 'failure', output: `Get "${url}": ${dialError(req.host, req.port, err)}` }));
  });
}

/** Probes from this process's own network namespace. */
export const directProber: NetProber = {
  probe: (req) => (req.kind === 'tcp' ? tcpProbe(req) : httpProbe(req)),
  close() {},
};

export const proberHelperPath = fileURLToPath(new URL('./prober-main.js', import.meta.url));

/**
 * A prober helper process inside another namespace, spoken to with JSON lines on stdio.
 * `spawn` starts `process.execPath proberHelperPath` there (e.g. with ClusterNetwork.spawnIn).
 */
export class HelperProber implements NetProber {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<number, (r: ProbeResult) => void>();
  #seq = 0;

  constructor(spawn: (argv: string[]) => ChildProcess) {
    this.#child = spawn([process.execPath, proberHelperPath]);
    this.#child.on('error', () => {});
    this.#child.stdin!.on('error', () => {});
    createInterface({ input: this.#child.stdout! }).on('line', (line) => {
      const msg = JSON.parse(line) as { id: number } & ProbeResult;
      this.#waiting.get(msg.id)?.({ result: msg.result, output: msg.output });
      this.#waiting.delete(msg.id);
    });
    this.#child.on('exit', () => {
      for (const w of this.#waiting.values()) w({ result: 'failure', output: 'prober helper exited' });
      this.#waiting.clear();
    });
  }

  probe(req: NetProbeRequest): Promise<ProbeResult> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return Promise.resolve({ result: 'failure', output: 'prober helper exited' });
    const id = ++this.#seq;
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      this.#child.stdin!.write(JSON.stringify({ id, ...req }) + '\n');
    });
  }

  close(): void {
    this.#child.stdin?.end();
    if (this.#child.exitCode === null) this.#child.kill('SIGKILL');
  }
}
