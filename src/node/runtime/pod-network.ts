// What the runtime needs from the network plumbing for one node: Pod namespaces with an IP, and
// running programs inside namespaces. In-process (tests) that is a ClusterNetwork; an agent
// running as its own process attaches to the node namespace `svcnet up` made and plumbs its
// Pods itself with the same iproute2 plan (ClusterNetwork's state lives in the parent process).
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ClusterNetwork, CommandResult } from '../netns/index.js';
import { IpTool, PodAddressPool, nodeAddress, nodeNamespaceName, podCidrOf, podGatewayOf, podNamespaceName } from '../netns/index.js';
import { nodePodLines, podLines } from '../netns/plan.js';
import { podHostVethName } from '../netns/names.js';
import { killProcessesIn } from '../netns/processes.js';

export interface PodSandbox {
  readonly namespace: string;
  readonly ip: string;
}

export interface NodePodNetwork {
  readonly nodeName: string;
  readonly nodeNamespace: string;
  /** The node's InternalIP (172.18.0.(10+i)). */
  readonly nodeAddress: string;
  readonly podCidr: string;
  addPod(key: string): Promise<PodSandbox>;
  removePod(key: string): Promise<void>;
  spawnIn(namespace: string, argv: readonly string[], options?: SpawnOptions): ChildProcess;
  exec(namespace: string, argv: readonly string[], input?: string): Promise<CommandResult>;
}

/** One node's view of an in-process ClusterNetwork (the node must have been added). */
export function nodeViewOf(net: ClusterNetwork, nodeName: string): NodePodNetwork {
  const node = net.node(nodeName);
  if (!node) throw new Error(`node ${nodeName} is not part of cluster network ${net.cluster}`);
  return {
    nodeName,
    nodeNamespace: node.namespace,
    nodeAddress: node.address,
    podCidr: node.podCidr,
    addPod: async (key) => {
      const p = await net.addPod(nodeName, key);
      return { namespace: p.namespace, ip: p.ip };
    },
    removePod: (key) => net.removePod(key),
    spawnIn: (ns, argv, options) => net.spawnIn(ns, argv, options),
    exec: (ns, argv, input) => net.exec(ns, argv, input),
  };
}

/**
 * Pod plumbing for an agent process attached to an existing node namespace. The Pod namespaces
 * it makes are remembered in `stateFile`, so a restarted agent removes its predecessor's first.
 */
export class AttachedNodeNetwork implements NodePodNetwork {
  readonly nodeName: string;
  readonly nodeNamespace: string;
  readonly nodeAddress: string;
  readonly podCidr: string;
  readonly #cluster: string;
  readonly #index: number;
  readonly #ip: IpTool;
  readonly #pool: PodAddressPool;
  readonly #pods = new Map<string, PodSandbox>();
  readonly #stateFile: string;

  constructor(cluster: string, nodeName: string, index: number, stateFile: string, ip = new IpTool()) {
    this.#cluster = cluster;
    this.#index = index;
    this.#ip = ip;
    this.#pool = new PodAddressPool(index);
    this.#stateFile = stateFile;
    this.nodeName = nodeName;
    this.nodeNamespace = nodeNamespaceName(cluster, nodeName);
    this.nodeAddress = nodeAddress(index);
    this.podCidr = podCidrOf(index);
  }

  /** Removes Pod namespaces a previous agent of this node left behind. */
  async removeStale(): Promise<void> {
    const text = await readFile(this.#stateFile, 'utf8').catch(() => '[]');
    const names = (JSON.parse(text) as string[]).filter((n) => n.startsWith(`svcnet-${this.#cluster}-pod-`));
    if (names.length === 0) return;
    await killProcessesIn(names);
    for (const ns of names) await this.#ip.batchIn(this.nodeNamespace, [`link del ${podHostVethName(ns)}`]).catch(() => {});
    await this.#ip.deleteNamespaces(names).catch(() => {});
    await this.#save();
  }

  async addPod(key: string): Promise<PodSandbox> {
    if (this.#pods.has(key)) throw new Error(`pod ${key} already has a network`);
    const namespace = podNamespaceName(this.#cluster, key);
    const ip = this.#pool.allocate();
    const sandbox = { namespace, ip };
    this.#pods.set(key, sandbox);
    try {
      await this.#save();
      await this.#ip.addNamespaces([namespace]);
      await this.#ip.batchIn(this.nodeNamespace, nodePodLines(podHostVethName(namespace), namespace, ip));
      await this.#ip.batchIn(namespace, podLines(this.#index, ip));
      return sandbox;
    } catch (err) {
      await this.removePod(key).catch(() => {});
      throw err;
    }
  }

  async removePod(key: string): Promise<void> {
    const sandbox = this.#pods.get(key);
    if (!sandbox) return;
    this.#pods.delete(key);
    await this.#ip.batchIn(this.nodeNamespace, [`link del ${podHostVethName(sandbox.namespace)}`]).catch(() => {});
    await killProcessesIn([sandbox.namespace]);
    await this.#ip.deleteNamespaces([sandbox.namespace]);
    this.#pool.release(sandbox.ip);
    await this.#save();
  }

  spawnIn(namespace: string, argv: readonly string[], options?: SpawnOptions): ChildProcess {
    return this.#ip.spawnIn(namespace, argv, options);
  }

  exec(namespace: string, argv: readonly string[], input?: string): Promise<CommandResult> {
    return this.#ip.execIn(namespace, argv, input);
  }

  get gateway(): string {
    return podGatewayOf(this.#index);
  }

  async #save(): Promise<void> {
    await mkdir(dirname(this.#stateFile), { recursive: true });
    await writeFile(this.#stateFile, JSON.stringify([...this.#pods.values()].map((p) => p.namespace)));
  }
}
