// One cluster's network: the underlay, a namespace per node, a namespace per Pod. Node changes
// are serialised (each one touches every other node's routes); Pods on ready nodes are plumbed
// concurrently, since a Pod only touches its own node.
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { PodAddressPool, controlPlaneAddress, nodeAddress, podCidrOf, podGatewayOf } from './addressing.js';
import type { CommandResult } from './exec.js';
import { IpTool } from './ip-command.js';
import type { IpToolOptions } from './ip-command.js';
import {
  belongsToCluster,
  nodeNamespaceName,
  podHostVethName,
  podNamespaceName,
  underlayNamespace,
  underlayVethName,
  validateClusterName,
} from './names.js';
import {
  nodeLines,
  nodePodLines,
  nodeSysctls,
  podCidrRouteDeleteLine,
  podCidrRouteLine,
  nodeInterface,
  podLines,
  underlayLines,
  underlayNodeLines,
} from './plan.js';
import { deleteNamespaces, removeClusterNamespaces } from './teardown.js';

export interface NodeNetwork {
  readonly name: string;
  readonly index: number;
  /** The node's network namespace; hostNetwork Pods and the node agent run here. */
  readonly namespace: string;
  /** 172.18.0.(10+index), on the node's eth0. */
  readonly address: string;
  /** 10.244.<index>.0/24. */
  readonly podCidr: string;
  /** 10.244.<index>.1: the Pods' default gateway, an address of the node. */
  readonly podGateway: string;
}

export interface PodNetwork {
  /** The key the Pod was added under (its UID, or namespace/name). */
  readonly pod: string;
  readonly node: string;
  readonly namespace: string;
  readonly ip: string;
  readonly gateway: string;
  /** The node-side end of the Pod's veth pair. */
  readonly hostVeth: string;
}

export interface ClusterNetworkOptions extends IpToolOptions {
  /** Use this IpTool (runner/spawner options are then ignored). */
  readonly ip?: IpTool;
  /** Remove the cluster's leftover namespaces (from a crash) before creating the underlay. */
  readonly replaceStale?: boolean;
  /** Before deleting namespaces, SIGKILL the processes inside them (default true). */
  readonly killProcesses?: boolean;
}

interface NodeState {
  readonly info: NodeNetwork;
  readonly pool: PodAddressPool;
  readonly pods: Set<string>;
  ready: Promise<void>;
  /** Set once the node's namespace, veth and routes exist. */
  plumbed: boolean;
}

export class ClusterNetwork {
  readonly cluster: string;
  readonly underlayNamespace: string;
  readonly controlPlaneAddress = controlPlaneAddress;
  readonly #ip: IpTool;
  readonly #killProcesses: boolean;
  readonly #nodes = new Map<string, NodeState>();
  readonly #pods = new Map<string, PodNetwork>();
  #nodeQueue: Promise<unknown> = Promise.resolve();
  #destroyed = false;

  private constructor(cluster: string, ip: IpTool, killProcesses: boolean) {
    this.cluster = cluster;
    this.underlayNamespace = underlayNamespace(cluster);
    this.#ip = ip;
    this.#killProcesses = killProcesses;
  }

  /** Creates the underlay namespace with its bridge and the control-plane address. */
  static async create(cluster: string, options: ClusterNetworkOptions = {}): Promise<ClusterNetwork> {
    validateClusterName(cluster);
    const ip = options.ip ?? new IpTool(options);
    if (options.replaceStale) await ClusterNetwork.cleanupStale(cluster, options);
    const net = new ClusterNetwork(cluster, ip, options.killProcesses ?? true);
    try {
      await ip.addNamespaces([net.underlayNamespace]);
    } catch (err) {
      throw new Error(
        `cannot create network namespace ${net.underlayNamespace} (is cluster ${cluster} already up? ` +
          `svcnet down removes it): ${(err as Error).message}`,
      );
    }
    try {
      await ip.batchIn(net.underlayNamespace, underlayLines());
    } catch (err) {
      await net.destroy().catch(() => {});
      throw err;
    }
    return net;
  }

  /**
   * Deletes every `svcnet-<cluster>-*` namespace the kernel knows about (Pods, nodes, underlay),
   * ending the processes inside; for the leftovers of a svcnet killed with SIGKILL.
   * Returns the namespaces removed.
   */
  static async cleanupStale(cluster: string, options: ClusterNetworkOptions = {}): Promise<string[]> {
    validateClusterName(cluster);
    const ip = options.ip ?? new IpTool(options);
    return removeClusterNamespaces(ip, cluster, options.killProcesses ?? true);
  }

  /** Adds node `name` with pod CIDR 10.244.<index>.0/24 and routes to and from every other node. */
  addNode(name: string, index: number): Promise<NodeNetwork> {
    this.#checkAlive();
    if (this.#nodes.has(name)) return Promise.reject(new Error(`node ${name} already exists`));
    const clash = [...this.#nodes.values()].find((n) => n.info.index === index);
    if (clash) return Promise.reject(new Error(`node index ${index} is already used by node ${clash.info.name}`));
    const info: NodeNetwork = {
      name,
      index,
      namespace: nodeNamespaceName(this.cluster, name),
      address: nodeAddress(index),
      podCidr: podCidrOf(index),
      podGateway: podGatewayOf(index),
    };
    const state: NodeState = { info, pool: new PodAddressPool(index), pods: new Set(), ready: Promise.resolve(), plumbed: false };
    this.#nodes.set(name, state);
    state.ready = this.#serialNodeOp(async () => {
      await this.#plumbNode(info);
      state.plumbed = true;
    });
    return state.ready.then(
      () => info,
      (err: unknown) => {
        this.#nodes.delete(name);
        throw err;
      },
    );
  }

  /** Removes a node, its Pods and every route to its pod CIDR. */
  async removeNode(name: string): Promise<void> {
    const state = this.#nodes.get(name);
    if (!state) return;
    await state.ready.catch(() => {});
    await Promise.all([...state.pods].map((pod) => this.removePod(pod)));
    await this.#serialNodeOp(async () => {
      this.#nodes.delete(name);
      state.plumbed = false;
      const { index, namespace } = state.info;
      // Deleting the pair here is immediate; a dying namespace releases its devices only later.
      await this.#ip.batchIn(this.underlayNamespace, [`link del ${underlayVethName(index)}`, podCidrRouteDeleteLine(index)]).catch(() => {});
      await Promise.all(this.#plumbedNodes().map((n) => this.#ip.batchIn(n.namespace, [podCidrRouteDeleteLine(index)]).catch(() => {})));
      await deleteNamespaces(this.#ip, [namespace], this.#killProcesses);
    });
  }

  /**
   * Gives Pod `pod` (its UID, or namespace/name) its own namespace on `node`, with `ip` or the
   * lowest free address of the node's /24.
   */
  async addPod(node: string, pod: string, ip?: string): Promise<PodNetwork> {
    this.#checkAlive();
    const state = this.#nodes.get(node);
    if (!state) throw new Error(`node ${node} does not exist`);
    if (this.#pods.has(pod)) throw new Error(`pod ${pod} already has a network`);
    const podIp = ip === undefined ? state.pool.allocate() : state.pool.claim(ip);
    const namespace = podNamespaceName(this.cluster, pod);
    const info: PodNetwork = {
      pod,
      node,
      namespace,
      ip: podIp,
      gateway: state.info.podGateway,
      hostVeth: podHostVethName(namespace),
    };
    this.#pods.set(pod, info);
    state.pods.add(pod);
    try {
      await state.ready;
      await this.#ip.addNamespaces([namespace]);
      await this.#ip.batchIn(state.info.namespace, nodePodLines(info.hostVeth, namespace, podIp));
      await this.#ip.batchIn(namespace, podLines(state.info.index, podIp));
      return info;
    } catch (err) {
      await this.removePod(pod).catch(() => {});
      throw err;
    }
  }

  /** Deletes the Pod's namespace (ending processes left in it) and frees its IP. */
  async removePod(pod: string): Promise<void> {
    const info = this.#pods.get(pod);
    if (!info) return;
    this.#pods.delete(pod);
    const state = this.#nodes.get(info.node);
    state?.pods.delete(pod);
    if (state) {
      // Remove the veth pair now: the namespace itself may be torn down asynchronously by the
      // kernel, and the same Pod (same veth name) may come back before that.
      await this.#ip.batchIn(state.info.namespace, [`link del ${info.hostVeth}`]).catch(() => {});
    }
    await deleteNamespaces(this.#ip, [info.namespace], this.#killProcesses);
    state?.pool.release(info.ip);
  }

  /** The node's network namespace, where hostNetwork Pods run. */
  nodeNamespace(name: string): string {
    const state = this.#nodes.get(name);
    if (!state) throw new Error(`node ${name} does not exist`);
    return state.info.namespace;
  }

  node(name: string): NodeNetwork | undefined {
    return this.#nodes.get(name)?.info;
  }

  nodes(): NodeNetwork[] {
    return [...this.#nodes.values()].map((n) => n.info);
  }

  pod(pod: string): PodNetwork | undefined {
    return this.#pods.get(pod);
  }

  pods(): PodNetwork[] {
    return [...this.#pods.values()];
  }

  /** Runs a program to completion inside one of this cluster's namespaces. */
  exec(namespace: string, argv: readonly string[], input?: string): Promise<CommandResult> {
    this.#checkOwn(namespace);
    return this.#ip.execIn(namespace, argv, input);
  }

  /** Starts a program inside one of this cluster's namespaces; the child's pid is the program's. */
  spawnIn(namespace: string, argv: readonly string[], options?: SpawnOptions): ChildProcess {
    this.#checkOwn(namespace);
    return this.#ip.spawnIn(namespace, argv, options);
  }

  /** Sets sysctls inside one of this cluster's namespaces (e.g. route_localnet for a proxy). */
  setSysctls(namespace: string, settings: Readonly<Record<string, string | number>>): Promise<void> {
    this.#checkOwn(namespace);
    return this.#ip.sysctlIn(namespace, settings);
  }

  /** Deletes every namespace of the cluster, including ones this object did not create. */
  async destroy(): Promise<string[]> {
    this.#destroyed = true;
    await this.#nodeQueue.catch(() => {});
    this.#pods.clear();
    this.#nodes.clear();
    return ClusterNetwork.cleanupStale(this.cluster, { ip: this.#ip, killProcesses: this.#killProcesses });
  }

  async #plumbNode(info: NodeNetwork): Promise<void> {
    const others = this.#plumbedNodes();
    const veth = underlayVethName(info.index);
    try {
      await this.#ip.addNamespaces([info.namespace]);
      await this.#ip.sysctlIn(info.namespace, nodeSysctls);
      await this.#ip.batchIn(this.underlayNamespace, underlayNodeLines(info.index, info.namespace));
      await this.#ip.batchIn(info.namespace, nodeLines(info.index, others.map((n) => n.index)));
      await Promise.all(others.map((n) => this.#ip.batchIn(n.namespace, [podCidrRouteLine(info.index, nodeInterface)])));
    } catch (err) {
      await this.#ip.batchIn(this.underlayNamespace, [`link del ${veth}`, podCidrRouteDeleteLine(info.index)]).catch(() => {});
      await Promise.all(others.map((n) => this.#ip.batchIn(n.namespace, [podCidrRouteDeleteLine(info.index)]).catch(() => {})));
      await deleteNamespaces(this.#ip, [info.namespace], this.#killProcesses).catch(() => {});
      throw err;
    }
  }

  // Node ops run one at a time, so while one runs the plumbed set is stable; nodes added later
  // route to this one when their own turn comes.
  #plumbedNodes(): NodeNetwork[] {
    return [...this.#nodes.values()].filter((n) => n.plumbed).map((n) => n.info);
  }

  #serialNodeOp<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#nodeQueue.catch(() => {}).then(op);
    this.#nodeQueue = run;
    return run;
  }

  #checkAlive(): void {
    if (this.#destroyed) throw new Error(`cluster network ${this.cluster} has been destroyed`);
  }

  #checkOwn(namespace: string): void {
    if (!belongsToCluster(this.cluster, namespace)) {
      throw new Error(`network namespace ${namespace} does not belong to cluster ${this.cluster}`);
    }
  }
}
