// Test doubles for the streaming endpoints until (and besides) the real runtime: a hand-filled
// StreamingRuntime, Pod processes started in their own UTS namespace inside a Pod netns, and
// CRI-format log files where a runtime would write them.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterNetwork } from '../netns/cluster-network.js';
import { containerLogInstance, type PodStatusLike } from './container-status.js';
import { formatCriLine, type CriLogEntry } from '../runtime/cri-log.js';
import { ContainerStateError, type ExecTarget, type LogTarget, type PodSandbox, type StreamingRuntime } from './runtime.js';

interface FakeContainer {
  pid?: number;
  running: boolean;
  restarts: number;
}

interface FakePod {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly netns: string;
  readonly containers: Map<string, FakeContainer>;
}

/** Log file of one container instance, laid out as the kubelet does under /var/log/pods. */
export function criLogPath(root: string, namespace: string, pod: string, uid: string, container: string, restart: number): string {
  return join(root, `${namespace}_${pod}_${uid}`, container, `${restart}.log`);
}

export class FakeStreamingRuntime implements StreamingRuntime {
  readonly #pods = new Map<string, FakePod>();
  constructor(readonly logRoot: string) {}

  addPod(namespace: string, name: string, uid: string, netns: string): void {
    this.#pods.set(`${namespace}/${name}`, { namespace, name, uid, netns, containers: new Map() });
  }

  setContainer(namespace: string, pod: string, container: string, state: Partial<FakeContainer>): void {
    const p = this.#pods.get(`${namespace}/${pod}`)!;
    const c = p.containers.get(container) ?? { running: false, restarts: 0 };
    p.containers.set(container, { ...c, ...state });
  }

  /** Appends CRI lines to the current (or an earlier) instance's log. */
  writeLog(namespace: string, pod: string, container: string, entries: readonly CriLogEntry[], restart?: number): string {
    const p = this.#pods.get(`${namespace}/${pod}`)!;
    const r = restart ?? p.containers.get(container)?.restarts ?? 0;
    const path = criLogPath(this.logRoot, namespace, pod, p.uid, container, r);
    mkdirSync(join(path, '..'), { recursive: true });
    appendFileSync(path, entries.map(formatCriLine).join(''));
    return path;
  }

  async findContainer(namespace: string, pod: string, container: string): Promise<ExecTarget | undefined> {
    const p = this.#pods.get(`${namespace}/${pod}`);
    const c = p?.containers.get(container);
    if (!p || !c?.running) return undefined;
    return { netns: p.netns, ...(c.pid ? { pid: c.pid } : {}) };
  }

  async podSandbox(namespace: string, pod: string): Promise<PodSandbox | undefined> {
    const p = this.#pods.get(`${namespace}/${pod}`);
    return p ? { uid: p.uid, netns: p.netns } : undefined;
  }

  async containerLog(namespace: string, pod: string, container: string, previous: boolean): Promise<LogTarget> {
    const p = this.#pods.get(`${namespace}/${pod}`);
    const c = p?.containers.get(container);
    if (!p || !c) throw new ContainerStateError(`container ${JSON.stringify(container)} in pod ${JSON.stringify(pod)} is not available`);
    // The same decision the kubelet makes from the Pod status.
    const status: PodStatusLike = {
      containerStatuses: [
        {
          name: container,
          state: c.running ? { running: {} } : { terminated: { containerID: `svcnet://${c.restarts}` } },
          lastState: c.restarts > 0 ? { terminated: { containerID: `svcnet://${c.restarts - 1}` } } : {},
        },
      ],
    };
    const which = containerLogInstance(pod, status, container, previous);
    if ('error' in which) throw new ContainerStateError(which.error);
    const restart = which.instance === 'previous' ? c.restarts - 1 : c.restarts;
    const path = criLogPath(this.logRoot, namespace, pod, p.uid, container, restart);
    return { path, isRunning: () => which.instance === 'current' && (p.containers.get(container)?.running ?? false) };
  }
}

/** Starts argv as a Pod's container: in the Pod netns, with its own UTS namespace and hostname. */
export function startPodProcess(net: ClusterNetwork, netns: string, hostname: string, argv: readonly string[]): ChildProcess {
  return net.spawnIn(netns, ['unshare', '--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', hostname, ...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A file that exists so `follow` has something to open. */
export function touch(path: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '', { flag: 'a' });
}
