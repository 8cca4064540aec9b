// The cluster's fixed address plan (DESIGN.md "Defaults", values from src/api/defaults/cluster.ts):
// the node network on the underlay bridge with the control plane at its .0.1, nodes from
// FIRST_NODE_OFFSET on, one /POD_CIDR_NODE_MASK_SIZE of the pod CIDR per node, Services in the
// service CIDR. Address arithmetic is src/util/ip.ts's.
import {
  CONTROL_PLANE_ADDRESS,
  DEFAULT_POD_CIDR,
  DEFAULT_SERVICE_CIDR,
  FIRST_NODE_OFFSET,
  NODE_NETWORK_CIDR,
  POD_CIDR_NODE_MASK_SIZE,
} from '../../api/defaults/cluster.js';
import { cidrIPAt, cidrOffsetOf, formatCIDR, formatIP, parseCIDR, parseIP } from '../../util/ip.js';
import type { CIDR } from '../../util/ip.js';

export const nodeNetworkCidr = NODE_NETWORK_CIDR;
export const controlPlaneAddress = CONTROL_PLANE_ADDRESS;
export const serviceCidr = DEFAULT_SERVICE_CIDR;
export const podNetworkCidr = DEFAULT_POD_CIDR;

function mustParseCIDR(text: string): CIDR {
  const c = parseCIDR(text);
  if (!c) throw new Error(`not a CIDR: ${JSON.stringify(text)}`);
  return c;
}

const nodeNetwork = mustParseCIDR(NODE_NETWORK_CIDR);
const podNetwork = mustParseCIDR(DEFAULT_POD_CIDR);
export const nodeNetworkPrefix = nodeNetwork.prefix;
/** Addresses per node pod CIDR (256 for a /24). */
const podCidrSize = 1n << BigInt(podNetwork.bits - POD_CIDR_NODE_MASK_SIZE);
/** One node pod CIDR per index: as many as fit in the pod network (256 /24s of a /16), less one. */
export const maxNodeIndex = Number((1n << BigInt(POD_CIDR_NODE_MASK_SIZE - podNetwork.prefix)) - 1n);

export function checkNodeIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > maxNodeIndex) {
    throw new Error(`node index ${index} is outside 0-${maxNodeIndex} (one /${POD_CIDR_NODE_MASK_SIZE} of ${podNetworkCidr} each)`);
  }
}

function at(c: CIDR, offset: bigint): string {
  const ip = cidrIPAt(c, offset);
  if (!ip) throw new Error(`offset ${offset} is outside ${formatCIDR(c)}`);
  return formatIP(ip);
}

/** 172.18.0.(10+index); past .255 it carries into the third octet, still inside the /16. */
export function nodeAddress(index: number): string {
  checkNodeIndex(index);
  return at(nodeNetwork, BigInt(FIRST_NODE_OFFSET + index));
}

/** Node `index`'s pod CIDR: the index-th /24 of the pod network (10.244.<index>.0/24). */
export function podCidrOf(index: number): string {
  checkNodeIndex(index);
  return `${at(podNetwork, BigInt(index) * podCidrSize)}/${POD_CIDR_NODE_MASK_SIZE}`;
}

/** The Pods' gateway on node `index`: the .1 of its pod CIDR, an address of the node itself. */
export function podGatewayOf(index: number): string {
  checkNodeIndex(index);
  return at(podNetwork, BigInt(index) * podCidrSize + 1n);
}

/**
 * Pod IPs of one node's /24: .2-.254 (.0 is the network, .1 the gateway, .255 kept free as
 * kubenet and the bridge plugin do). Lowest free first, so addresses are predictable in tests.
 */
export class PodAddressPool {
  readonly #index: number;
  readonly #cidr: CIDR;
  readonly #used = new Set<number>();

  constructor(index: number) {
    checkNodeIndex(index);
    this.#index = index;
    this.#cidr = mustParseCIDR(podCidrOf(index));
  }

  allocate(): string {
    const last = Number(podCidrSize) - 2;
    for (let host = 2; host <= last; host++) {
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
    if (host === undefined || host < 2 || host > Number(podCidrSize) - 2) {
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
    const parsed = parseIP(ip);
    if (!parsed || parsed.family !== 'IPv4') throw new Error(`not an IPv4 address: ${JSON.stringify(ip)}`);
    const offset = cidrOffsetOf(this.#cidr, parsed);
    return offset === undefined ? undefined : Number(offset);
  }

  #format(host: number): string {
    return at(this.#cidr, BigInt(host));
  }
}
