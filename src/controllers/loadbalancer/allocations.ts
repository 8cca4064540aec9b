// Which Service holds which pool address: the controller's whole memory. One address belongs
// to at most one Service (no MetalLB-style sharing). In-memory data only, no I/O.
export class Allocations {
  readonly #byService = new Map<string, readonly string[]>();
  readonly #byIP = new Map<string, string>();

  /** The Service key (`namespace/name`) holding `ip`, if any. */
  holder(ip: string): string | undefined {
    return this.#byIP.get(ip);
  }

  ipsOf(key: string): readonly string[] {
    return this.#byService.get(key) ?? [];
  }

  isUsed = (ip: string): boolean => this.#byIP.has(ip);

  /** Gives `ips` to `key`, replacing what it held; throws if another Service holds one. */
  assign(key: string, ips: readonly string[]): void {
    for (const ip of ips) {
      const h = this.#byIP.get(ip);
      if (h !== undefined && h !== key) throw new Error(`${ip} is held by ${h}`);
    }
    this.release(key);
    if (ips.length === 0) return;
    this.#byService.set(key, [...ips]);
    for (const ip of ips) this.#byIP.set(ip, key);
  }

  /** Frees what `key` held; returns the freed addresses. */
  release(key: string): readonly string[] {
    const ips = this.#byService.get(key) ?? [];
    this.#byService.delete(key);
    for (const ip of ips) if (this.#byIP.get(ip) === key) this.#byIP.delete(ip);
    return ips;
  }

  get size(): number {
    return this.#byIP.size;
  }

  entries(): [string, readonly string[]][] {
    return [...this.#byService.entries()];
  }
}
