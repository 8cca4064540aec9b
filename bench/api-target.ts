// The svcnet API server through its real front door: a child process, HTTP/2 + TLS with the admin
// client certificate, the way client-go and kubectl talk to kube-apiserver.
import { startApiServerProcess, type ApiServerProcess } from './apiserver-process.js';
import { adminCredentials, H2Client, type Credentials } from './h2-client.js';
import { serviceManifest, serviceName } from './service-fixture.js';
import { nowMs, procMemory } from './stats.js';
import { SEQ_ANNOTATION, SEQ_PATTERN, type BenchTarget, type ListOutcome } from './target.js';

/** kubectl get's Accept header: a Table if the server can, else the plain list. */
export const KUBECTL_TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

async function ensureNamespace(c: H2Client, name: string): Promise<void> {
  const r = await c.json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  if (r.status !== 201 && r.status !== 409) throw new Error(`create namespace ${name}: HTTP ${r.status} ${JSON.stringify(r.obj)}`);
}

export class ApiTarget implements BenchTarget {
  readonly name = 'api';
  readonly listVariants = ['json', 'table'];
  readonly pids: Record<string, number>;
  readonly #server: ApiServerProcess;
  readonly #creds: Credentials;
  readonly #client: H2Client;
  readonly #namespaces = new Set<string>();
  readonly #bodies = new Map<string, string>();

  private constructor(server: ApiServerProcess, creds: Credentials, client: H2Client) {
    this.#server = server;
    this.#creds = creds;
    this.#client = client;
    this.pids = { server: server.pid, client: process.pid };
  }

  static async start(nodeArgs: readonly string[] = []): Promise<ApiTarget> {
    const server = await startApiServerProcess({ nodeArgs });
    try {
      const creds = adminCredentials(server.dataDir);
      return new ApiTarget(server, creds, await H2Client.connect(server.url, creds));
    } catch (err) {
      await server.stop();
      throw err;
    }
  }

  get url(): string {
    return this.#server.url;
  }

  async #namespace(ns: string): Promise<void> {
    if (this.#namespaces.has(ns)) return;
    await ensureNamespace(this.#client, ns);
    this.#namespaces.add(ns);
  }

  async prepareCreates(namespace: string, from: number, count: number): Promise<void> {
    await this.#namespace(namespace);
    this.#bodies.clear();
    for (let i = from; i < from + count; i++) this.#bodies.set(`${namespace}/${i}`, JSON.stringify(serviceManifest(serviceName(i), namespace)));
  }

  async create(namespace: string, i: number): Promise<void> {
    const body = this.#bodies.get(`${namespace}/${i}`) ?? JSON.stringify(serviceManifest(serviceName(i), namespace));
    const r = await this.#client.request('POST', `/api/v1/namespaces/${namespace}/services`, { body });
    if (r.status !== 201) throw new Error(`create ${namespace}/${serviceName(i)}: HTTP ${r.status} ${r.body.toString('utf8').slice(0, 300)}`);
  }

  async list(namespace: string, variant: string): Promise<ListOutcome> {
    const accept = variant === 'table' ? KUBECTL_TABLE_ACCEPT : 'application/json';
    const start = nowMs();
    const r = await this.#client.request('GET', `/api/v1/namespaces/${namespace}/services`, { headers: { accept } });
    const ms = nowMs() - start;
    if (r.status !== 200) throw new Error(`LIST: HTTP ${r.status} ${r.body.toString('utf8').slice(0, 300)}`);
    // Parsed after the clock stopped: the check that the list is complete is not timed.
    const obj = JSON.parse(r.body.toString('utf8')) as { items?: unknown[]; rows?: unknown[] };
    return { ms, count: (variant === 'table' ? obj.rows : obj.items)?.length ?? 0, bytes: r.body.length, headersMs: r.headersMs };
  }

  /** Each watcher gets its own TLS connection, like separate kube-proxies on separate nodes. */
  async openWatchers(namespace: string, n: number, onSeq: (watcher: number, seq: number, atMs: number) => void): Promise<{ close(): void }> {
    await this.#namespace(namespace);
    const list = await this.#client.json<{ metadata: { resourceVersion: string } }>('GET', `/api/v1/namespaces/${namespace}/services?limit=1`);
    const rv = list.obj.metadata.resourceVersion;
    const clients: H2Client[] = [];
    const streams: { close(): void }[] = [];
    const close = () => {
      for (const s of streams) s.close();
      for (const c of clients) c.close();
    };
    try {
      for (let w = 0; w < n; w++) {
        const c = await H2Client.connect(this.#server.url, this.#creds);
        clients.push(c);
        const path = `/api/v1/services?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`;
        streams.push(
          await c.watch(path, (line, at) => {
            const m = SEQ_PATTERN.exec(line);
            if (m) onSeq(w, Number(m[1]), at);
          }),
        );
      }
    } catch (err) {
      close();
      throw err;
    }
    return { close };
  }

  async write(namespace: string, seq: number, stamp: () => void): Promise<void> {
    const ann = { [SEQ_ANNOTATION]: String(seq) };
    const path = `/api/v1/namespaces/${namespace}/services`;
    if (seq % 2 === 0) {
      const body = JSON.stringify(serviceManifest(`watched-${seq}`, namespace, ann));
      stamp();
      const r = await this.#client.request('POST', path, { body });
      if (r.status !== 201) throw new Error(`watch writer create: HTTP ${r.status}`);
    } else {
      const body = JSON.stringify({ metadata: { annotations: ann } });
      stamp();
      const r = await this.#client.request('PATCH', `${path}/watched-${seq - 1}`, { body, headers: { 'content-type': 'application/merge-patch+json' } });
      if (r.status !== 200) throw new Error(`watch writer patch: HTTP ${r.status}`);
    }
  }

  memory() {
    return { server: procMemory(this.#server.pid) };
  }

  async close(): Promise<void> {
    this.#client.close();
    await this.#server.stop();
  }
}
