// The cluster's fixed address plan (DESIGN.md "Defaults"): node network 172.18.0.0/16 on the
// underlay bridge with the control plane at .0.1, nodes from 172.18.0.10, a /24 of 10.244.0.0/16
// per node, Services in 10.96.0.0/12.

export const nodeNetworkCidr = '172.18.0.0/16';
export const nodeNetworkPrefix = 16;
export const controlPlaneAddress = '172.18.0.1';
export const serviceCidr = '10.96.0.0/12';
export const podNetworkCidr = '10.244.0.0/16';
export const maxNodeIndex = 255;

const nodeNetworkBase = ipv4ToNumber('172.18.0.0');
const firstNodeOffset = 10;

export function ipv4ToNumber(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    throw new Error(`not an IPv4 address: ${JSON.stringify(ip)}`);
  }
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export function checkNodeIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > maxNodeIndex) {
    throw new Error(`node index ${index} is outside 0-${maxNodeIndex} (one /24 of ${podNetworkCidr} each)`);
  }
}

/** 172.18.0.(10+index); past .255 it carries into the third octet, still inside the /16. */
export function nodeAddress(index: number): string {
  checkNodeIndex(index);
  return numberToIpv4(nodeNetworkBase + firstNodeOffset + index);
}

export function podCidrOf(index: number): string {
  checkNodeIndex(index);
  return `10.244.${index}.0/24`;
}

/** The Pods' gateway on node `index`: the .1 of its pod CIDR, an address of the node itself. */
export function podGatewayOf(index: number): string {
  checkNodeIndex(index);
  return `10.244.${index}.1`;
}

/**
 * Pod IPs of one node's /24: .2-.254 (.0 is the network, .1 the gateway, .255 kept free as
 * kubenet and the bridge plugin do). Lowest free first, so addresses are predictable in tests.
 */
export class PodAddressPool {
  readonly #index: number;
  readonly #used = new Set<number>();

  constructor(index: number) {
    checkNodeIndex(index);
    this.#index = index;
  }

  allocate(): string {
    for (let host = 2; host <= 254; host++) {
      if (!this.#used.has(host)) {
        this.#used.add(host);
        return this.#format(host);
      }
    }
    throw new Error(`pod CIDR ${podCidrOf(this.#index)} is full`);
  }

  /** Claims a given address; throws if it is not a usable address of this node or is taken. */
  claim(ip: string): string {
    const host = this.#hostPart(ip);
    if (host === undefined || host < 2 || host > 254) {
      throw new Error(`pod IP ${ip} is not a usable address of pod CIDR ${podCidrOf(this.#index)}`);
    }
    if (this.#used.has(host)) throw new Error(`pod IP ${ip} is already in use on this node`);
    this.#used.add(host);
    return this.#format(host);
  }

  release(ip: string): void {
    const host = this.#hostPart(ip);
    if (host !== undefined) this.#used.delete(host);
  }

  get size(): number {
    return this.#used.size;
  }

  #hostPart(ip: string): number | undefined {
    const n = ipv4ToNumber(ip);
    const network = ipv4ToNumber(`10.244.${this.#index}.0`);
    return n - network >= 0 && n - network < 256 ? n - network : undefined;
  }

  #format(host: number): string {
    return `10.244.${this.#index}.${host}`;
  }
}
