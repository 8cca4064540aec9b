// The node's Pods: one PodWorker per Pod UID, fed by the agent's Pod watch (syncPod), plus the
// lookups the kubelet API needs (logs, exec, port-forward) by namespace/name/container.
import type { PodWorker, PodWorkerDeps, ContainerProcessInfo } from './pod-worker.js';
import { PodWorker as Worker } from './pod-worker.js';
import type { ContainerStatus, Pod } from '../../api/types/core/v1.js';

export type ContainerLookup =
  | { readonly pod: Pod; readonly worker: PodWorker; readonly container: string; readonly status: ContainerStatus & { running: boolean } }
  | { readonly error: string; readonly code: 400 | 404 };

export class NodeRuntime {
  readonly #deps: PodWorkerDeps;
  readonly #workers = new Map<string, PodWorker>();

  constructor(deps: PodWorkerDeps) {
    this.#deps = deps;
  }

  /** A Pod bound to this node was added or changed (HandlePodAdditions/Updates). */
  syncPod(pod: Pod): void {
    const uid = pod.metadata.uid!;
    let worker = this.#workers.get(uid);
    if (!worker) {
      // A Pod first seen already terminal (after an agent restart) is left alone.
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') {
        if (pod.metadata.deletionTimestamp) this.#deps.onTerminated(pod);
        return;
      }
      worker = new Worker(pod, this.#deps);
      this.#workers.set(uid, worker);
      if (!pod.metadata.deletionTimestamp) void worker.start();
    } else {
      worker.pod = { ...pod, spec: worker.pod.spec };
    }
    if (pod.metadata.deletionTimestamp) {
      const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      void worker.terminate(grace);
    }
  }

  /** The Pod object is gone (deleted with grace 0, or by us after termination). */
  async removePod(pod: Pod): Promise<void> {
    const uid = pod.metadata.uid!;
    const worker = this.#workers.get(uid);
    if (!worker) return;
    await worker.kill();
    this.#workers.delete(uid);
    this.#deps.backoff.forget(`${uid}/`);
  }

  workers(): PodWorker[] {
    return [...this.#workers.values()];
  }

  #byName(namespace: string, name: string): PodWorker | undefined {
    // After a delete-and-recreate two workers may share a name briefly; the live one wins.
    const found = [...this.#workers.values()].filter((w) => w.pod.metadata.namespace === namespace && w.pod.metadata.name === name);
    return found.find((w) => !w.pod.metadata.deletionTimestamp) ?? found[0];
  }

  /** A container of a Pod on this node, or the kubelet's error for why there is none. */
  lookup(namespace: string, podName: string, container?: string): ContainerLookup {
    const worker = this.#byName(namespace, podName);
    if (!worker) return { error: `pod "${podName}" does not exist`, code: 404 };
    const names = (worker.pod.spec?.containers ?? []).map((c) => c.name);
    const name = container || (names.length === 1 ? names[0]! : '');
    if (!name) return { error: `a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]`, code: 400 };
    const status = worker.containerStatus(name);
    if (!status) return { error: `container ${name} is not valid for pod ${podName}`, code: 400 };
    return { pod: worker.pod, worker, container: name, status };
  }

  /** The pid and namespace of a running container, for exec and port-forward. */
  containerProcess(namespace: string, podName: string, container?: string): ContainerProcessInfo | { error: string; code: 400 | 404 } {
    const found = this.lookup(namespace, podName, container);
    if ('error' in found) return found;
    const proc = found.worker.containerProcess(found.container);
    if (!proc) return { error: `container ${found.container} is not running`, code: 400 };
    return proc;
  }

  /** The Pod's network namespace (its own, or the node's for hostNetwork), while it has one. */
  podNetns(namespace: string, podName: string): string | undefined {
    return this.#byName(namespace, podName)?.netns;
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.#workers.values()].map((w) => w.kill()));
    this.#workers.clear();
  }
}
