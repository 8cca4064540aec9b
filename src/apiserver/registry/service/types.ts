// What the Service registry adds to the typed model (src/api/types): the allocation transaction
// its hooks run in and the cluster's Service IP configuration.
import type { IPFamily, Service, ServiceSpec } from '../../../api/types/core/v1.js';

/**
 * A Service as the registry hooks see it: the strategy sets `spec ??= {}` before the first hook
 * runs, so the hooks read `spec` without checking for it.
 */
export type ServiceWithSpec = Service & { spec: ServiceSpec };

/**
 * Allocation operations within one write. Allocations take effect at once (and are undone by
 * revert); releases are deferred until commit, so a failed update keeps what it had.
 */
export interface AllocationTxn {
  readonly dryRun: boolean;
  allocateIP(family: IPFamily, ip: string): Promise<void>;
  allocateNextIP(family: IPFamily): Promise<string>;
  releaseIPDeferred(family: IPFamily, ip: string): void;
  allocatePort(port: number): Promise<void>;
  allocateNextPort(): Promise<number>;
  releasePortDeferred(port: number): void;
  commit(): Promise<void>;
  revert(): Promise<void>;
}

/** The cluster's Service IP configuration: the families configured, primary first. */
export interface ServiceIPConfig {
  readonly families: readonly IPFamily[];
}
