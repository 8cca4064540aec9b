// Which Service owns a ClusterIP, kept current from a watch on Services, for the EndpointSlice
// warning "… is the ClusterIP of Service ns/name" (the strategy hook must answer synchronously).
import type { KubeObject } from '../../../api/meta.js';
import { canonicalIP } from '../../../util/ip.js';
import { EVERYTHING, type RegistryStore } from '../store.js';

/** Stored ClusterIPs are read as upstream reads them (netutils.ParseIPSloppy). */
const canonical = (ip: string) => canonicalIP(ip, { sloppy: true });

export class ClusterIPIndex {
  readonly #owners = new Map<string, string>();
  readonly #byService = new Map<string, string[]>();
  #watch?: { close(): void };

  lookup = (ip: string): string | undefined => this.#owners.get(canonical(ip) ?? ip);

  #set(svc: KubeObject): void {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    this.#drop(key);
    const ips = ((svc.spec as { clusterIPs?: string[] } | undefined)?.clusterIPs ?? [])
      .filter((ip) => ip && ip !== 'None')
      .map((ip) => canonical(ip) ?? ip);
    for (const ip of ips) this.#owners.set(ip, key);
    this.#byService.set(key, ips);
  }

  #drop(key: string): void {
    for (const ip of this.#byService.get(key) ?? []) if (this.#owners.get(ip) === key) this.#owners.delete(ip);
    this.#byService.delete(key);
  }

  async start(services: RegistryStore): Promise<void> {
    const list = await services.list('', { predicate: EVERYTHING });
    for (const s of list.items) this.#set(s);
    this.#watch = services.watch(
      '',
      Number(list.resourceVersion),
      (ev) => {
        if (ev.type === 'DELETED') this.#drop(`${ev.object.metadata.namespace}/${ev.object.metadata.name}`);
        else this.#set(ev.object);
      },
      () => undefined,
    );
  }

  stop(): void {
    this.#watch?.close();
  }
}
