// TriggerTimeTracker (k8s.io/endpointslice/util trigger_time_tracker.go): the value of
// `endpoints.kubernetes.io/last-change-trigger-time` — the earliest time, among the changes not
// yet written, that something changed the Service's endpoints. A Pod's time is its Ready
// condition's lastTransitionTime; the Service's is its creationTimestamp. The first sync of a
// Service reports the Service's creation time.
import { podCondition } from '../../api/pod.js';
import type { Pod, Service } from '../../api/types/core/index.js';

interface ServiceState {
  podTimes: Map<string, number>;
  serviceTime: number;
}

function parseTime(s: string | null | undefined): number {
  if (!s) return 0;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? 0 : ms;
}

/** time.Time.Format(RFC3339Nano) in UTC: fraction only when non-zero, trailing zeros trimmed. */
export function formatRFC3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d{3})Z$/, (_m, frac: string) => {
    const trimmed = frac.replace(/0+$/, '');
    return trimmed ? `.${trimmed}Z` : 'Z';
  });
}

export class TriggerTimeTracker {
  readonly #states = new Map<string, ServiceState>();

  /** Returns the trigger time to write (undefined: none known) and records the new state. */
  compute(service: Service, pods: readonly Pod[]): string | undefined {
    const key = `${service.metadata.namespace}/${service.metadata.name}`;
    const state = this.#states.get(key);
    let min = 0;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = parseTime(podCondition(pod, 'Ready')?.lastTransitionTime);
      if (!t) continue;
      podTimes.set(pod.metadata.name!, t);
      if (t > (state?.podTimes.get(pod.metadata.name!) ?? 0)) min = min === 0 ? t : Math.min(min, t);
    }
    const serviceTime = parseTime(service.metadata.creationTimestamp);
    if (serviceTime > (state?.serviceTime ?? 0)) min = min === 0 ? serviceTime : Math.min(min, serviceTime);
    this.#states.set(key, { podTimes, serviceTime });
    if (!state) return serviceTime ? formatRFC3339Nano(serviceTime) : undefined;
    return min ? formatRFC3339Nano(min) : undefined;
  }

  deleteService(namespace: string, name: string): void {
    this.#states.delete(`${namespace}/${name}`);
  }
}
