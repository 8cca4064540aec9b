// The node's hostPort DNAT table, kept in step with its Pods: the agent records each Pod's
// mappings as its status changes, and `sync()` replaces the nft table when the wanted ruleset
// differs from the one nft last accepted. A ruleset counts as applied only once `nft -f`
// succeeded, so a failed load is retried on the next sync instead of being forgotten.
import type { CommandResult } from '../netns/exec.js';
import { hostPortRuleset } from '../runtime/host-ports.js';
import type { HostPortMapping } from '../runtime/host-ports.js';
import type { Logger } from '../../util/logger.js';

/** `ip netns exec <namespace> argv…` with stdin: NodePodNetwork.exec's shape. */
export type NamespaceExec = (namespace: string, argv: readonly string[], input?: string) => Promise<CommandResult>;

export interface HostPortRulesOptions {
  readonly exec: NamespaceExec;
  /** The node's network namespace, where the table lives. */
  readonly namespace: string;
  readonly logger: Logger;
}

export class HostPortRules {
  readonly #o: HostPortRulesOptions;
  readonly #byPod = new Map<string, HostPortMapping[]>();
  /** The ruleset nft last loaded successfully ('' before the first success). */
  #applied = '';
  /** A load was attempted: a table may exist, even if nft reported a failure. */
  #touched = false;
  #chain: Promise<void> = Promise.resolve();

  constructor(opts: HostPortRulesOptions) {
    this.#o = opts;
  }

  /** Records a Pod's mappings (none: forget the Pod); true when that changed anything. */
  set(podUID: string, mappings: readonly HostPortMapping[]): boolean {
    if (mappings.length === 0) return this.#byPod.delete(podUID);
    this.#byPod.set(podUID, [...mappings]);
    return true;
  }

  has(podUID: string): boolean {
    return this.#byPod.has(podUID);
  }

  /**
   * Queues a load of the wanted ruleset unless nft already holds it (or there never was a table
   * and none is wanted). Loads run one at a time, in order; the returned promise settles when
   * this sync's load (if any) finished, successfully or not.
   */
  sync(): Promise<void> {
    this.#chain = this.#chain.then(() => this.#load());
    return this.#chain;
  }

  // Decided when the queued load runs, not when it is queued: a sync queued behind a failing
  // load sees that nothing was applied and tries again.
  async #load(): Promise<void> {
    const ruleset = hostPortRuleset([...this.#byPod.values()].flat());
    if (ruleset === this.#applied || (!this.#applied && this.#byPod.size === 0)) return;
    this.#touched = true;
    try {
      await this.#o.exec(this.#o.namespace, ['nft', '-f', '-'], ruleset);
      this.#applied = ruleset;
    } catch (err) {
      this.#o.logger.warn('hostPort rules failed', { err: (err as Error).message });
    }
  }

  /** Removes the table if a load was ever tried (agent shutdown); errors are ignored. */
  async clear(): Promise<void> {
    await this.#chain;
    if (!this.#touched) return;
    await this.#o.exec(this.#o.namespace, ['nft', '-f', '-'], hostPortRuleset([])).catch(() => {});
    this.#applied = '';
  }
}
