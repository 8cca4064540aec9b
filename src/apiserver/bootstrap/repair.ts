// The ClusterIP and NodePort repair loops (at start and every 3 minutes, as kube-apiserver runs
// them): rebuild the allocation bitmaps from the Services that exist, report inconsistencies as
// Events on the Services, and free leaked values after their grace.
import { repairClusterIPs, repairNodePorts, type LeakCounters } from '../../allocators/index.js';
import type { Service } from '../../api/types/core/v1.js';
import { EVERYTHING } from '../registry/store.js';
import type { Registry } from '../registry/registry.js';
import type { ServiceAllocators } from '../registry/service/allocators.js';
import type { Logger } from '../../util/logger.js';
import { recordEvent } from './events.js';

export const REPAIR_INTERVAL_MS = 3 * 60 * 1000;

export class ServiceRepair {
  readonly #ipLeaks: LeakCounters<string> = new Map();
  readonly #portLeaks: LeakCounters<number> = new Map();
  #timer?: NodeJS.Timeout;

  constructor(
    private readonly registry: Registry,
    private readonly alloc: ServiceAllocators,
    private readonly logger: Logger,
  ) {}

  async runOnce(): Promise<void> {
    const services = async () => (await this.registry.store('', 'services')!.list('', { predicate: EVERYTHING })).items as unknown as Service[];
    const recorder = (component: string) => ({
      event: (svc: Service, type: 'Normal' | 'Warning', reason: string, message: string) =>
        void recordEvent(this.registry, { kind: 'Service', metadata: svc.metadata }, type, reason, message, component),
    });
    await repairClusterIPs(services, [...this.alloc.ipRanges.values()], recorder('ipallocator-repair-controller'), this.#ipLeaks);
    await repairNodePorts(services, this.alloc.nodePorts, recorder('portallocator-repair-controller'), this.#portLeaks);
  }

  start(intervalMs = REPAIR_INTERVAL_MS): void {
    this.#timer = setInterval(() => {
      this.runOnce().catch((err) => this.logger.warn('service allocation repair failed', { err: String(err) }));
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}
