// ControllerExpectations (pkg/controller/controller_utils.go, UIDTrackingControllerExpectations):
// after a ReplicaSet creates or deletes Pods, its cache lags behind its writes. Until the
// informer has shown us every create and delete we asked for, a sync must not act again, or it
// would create (or delete) the same Pods twice. Expectations expire after 5 minutes so a lost
// watch event cannot wedge a ReplicaSet forever.
import { realClock, type Clock } from '../../client/index.js';

export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Record {
  adds: number;
  readonly deleteKeys: Set<string>;
  readonly at: number;
}

export class ControllerExpectations {
  readonly #records = new Map<string, Record>();
  readonly #clock: Clock;

  constructor(clock: Clock = realClock) {
    this.#clock = clock;
  }

  /** True when nothing is outstanding (or the record expired): the controller may act. */
  satisfied(key: string): boolean {
    const r = this.#records.get(key);
    if (!r) return true;
    if (r.adds <= 0 && r.deleteKeys.size === 0) return true;
    return this.#clock.now() - r.at > EXPECTATIONS_TIMEOUT_MS;
  }

  expectCreations(key: string, n: number): void {
    this.#records.set(key, { adds: n, deleteKeys: new Set(), at: this.#clock.now() });
  }

  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.#records.set(key, { adds: 0, deleteKeys: new Set(podKeys), at: this.#clock.now() });
  }

  creationObserved(key: string): void {
    const r = this.#records.get(key);
    if (r && r.adds > 0) r.adds--;
  }

  /** Idempotent per Pod: a Pod seen as terminating and then as deleted counts once. */
  deletionObserved(key: string, podKey: string): void {
    this.#records.get(key)?.deleteKeys.delete(podKey);
  }

  delete(key: string): void {
    this.#records.delete(key);
  }
}
