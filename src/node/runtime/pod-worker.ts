// One Pod on this node, from sandbox to teardown, as the kubelet's pod worker and kuberuntime
// manager do it for containers: network namespace and DNS files, one process per container,
// restarts by restartPolicy with crash-loop back-off, probes, hooks and graceful termination.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveImage } from '../images/index.js';
import type { Logger } from '../../util/logger.js';
import type { CrashLoopBackoff } from './backoff.js';
import { formatDuration } from './backoff.js';
import { ContainerProcess, defaultPath, startError } from './container-process.js';
import type { ClusterDNS, DNSConfig } from './dns-config.js';
import { formatResolvConf, hostNetworkHostsFile, managedHostsFile, podDNSConfig, podUtsHostname } from './dns-config.js';
import { expandCommandAndArgs, makeEnvironmentVariables } from './env.js';
import { runHandler } from './handlers.js';
import type { NetProber } from './net-prober.js';
import type { NodePodNetwork } from './pod-network.js';
import { buildPodStatus } from './pod-status.js';
import { ProbeWorker } from './probe-worker.js';
import type { ProbeKind } from './probe-worker.js';
import type { ConfigMap, Container, ContainerState, ContainerStatus, Pod, PodStatus, Service } from '../../api/types/core/v1.js';

export interface PodWorkerDeps {
  readonly network: NodePodNetwork;
  readonly prober: NetProber;
  readonly backoff: CrashLoopBackoff;
  /** `<data-dir>/pods`: logs live in `<ns>_<name>_<uid>/<container>/<restart>.log`. */
  readonly podsDir: string;
  /** Where `ip netns exec` looks for per-namespace /etc files (/etc/netns). */
  readonly etcNetnsDir: string;
  readonly dns: ClusterDNS;
  readonly hostDNS: () => DNSConfig;
  readonly nodeHosts: () => string;
  /** Every Service the agent's informer holds; undefined before it has synced. */
  readonly services: () => Service[] | undefined;
  readonly configMap: (namespace: string, name: string) => Promise<ConfigMap | undefined>;
  readonly event: (pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string) => void;
  readonly publishStatus: (pod: Pod, status: PodStatus) => void;
  /** All containers stopped and the sandbox is gone after a deletion: delete the Pod object. */
  readonly onTerminated: (pod: Pod) => void;
  readonly logger: Logger;
}

interface Instance {
  readonly proc: ContainerProcess;
  readonly id: string;
  readonly env: Record<string, string>;
  readonly probes: ProbeWorker[];
  ready: boolean;
  started: boolean;
  forceRestart: boolean;
}

interface Slot {
  readonly spec: Container;
  restartCount: number;
  instance?: Instance;
  state: ContainerState;
  lastState: ContainerState;
  imageID: string;
  timer?: NodeJS.Timeout;
  /** Log file of each instance by containerID (the current and the previous one). */
  readonly logs: Map<string, string>;
}

export interface ContainerProcessInfo {
  readonly pid: number;
  readonly containerID: string;
  /** The network namespace the container runs in (the Pod's, or the node's for hostNetwork). */
  readonly netns: string;
  readonly env: Readonly<Record<string, string>>;
  readonly image: string;
}

export class PodWorker {
  pod: Pod;
  readonly #deps: PodWorkerDeps;
  readonly #slots = new Map<string, Slot>();
  readonly #startTime = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  #sandbox: { namespace: string; ip: string } | undefined;
  #sandboxReady = false;
  #terminating: Promise<void> | undefined;
  #finished = false;
  #publishQueued = false;
  #silent = false;

  constructor(pod: Pod, deps: PodWorkerDeps) {
    this.pod = pod;
    this.#deps = deps;
    for (const c of pod.spec?.containers ?? []) {
      this.#slots.set(c.name, { spec: c, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, imageID: '', logs: new Map() });
    }
  }

  get key(): string {
    return this.pod.metadata.uid!;
  }

  get podDir(): string {
    const m = this.pod.metadata;
    return join(this.#deps.podsDir, `${m.namespace}_${m.name}_${m.uid}`);
  }

  logPath(container: string, restart: number): string {
    return join(this.podDir, container, `${restart}.log`);
  }

  /** The running instance of a container, for exec/port-forward. */
  containerProcess(name: string): ContainerProcessInfo | undefined {
    const slot = this.#slots.get(name);
    const inst = slot?.instance;
    if (!slot || !inst || !inst.proc.running || !this.#sandbox) return undefined;
    return { pid: inst.proc.pid, containerID: inst.id, netns: this.#sandbox.namespace, env: inst.env, image: slot.spec.image ?? '' };
  }

  /** The API view of one container (what status reports), for the logs endpoint. */
  containerStatus(name: string): (ContainerStatus & { running: boolean }) | undefined {
    const slot = this.#slots.get(name);
    return slot ? { ...this.#statusOf(slot), running: slot.instance?.proc.running ?? false } : undefined;
  }

  /** The log file of a container instance (by containerID), while it is kept. */
  logFile(container: string, containerID: string): string | undefined {
    return this.#slots.get(container)?.logs.get(containerID);
  }

  /** Whether that instance is still running (its log may still grow). */
  isRunning(container: string, containerID: string): boolean {
    const inst = this.#slots.get(container)?.instance;
    return inst !== undefined && inst.id === containerID && inst.proc.running;
  }

  get netns(): string | undefined {
    return this.#sandbox?.namespace;
  }

  async start(): Promise<void> {
    this.#publish();
    try {
      await this.#createSandbox();
    } catch (err) {
      this.#deps.logger.error('pod sandbox creation failed', { pod: podDescription(this.pod), err: (err as Error).message });
      this.#deps.event(this.pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(err as Error).message}`);
      return;
    }
    if (this.#terminating) return;
    this.#sandboxReady = true;
    this.#publish();
    await Promise.all([...this.#slots.values()].map((s) => this.#startContainer(s)));
  }

  async #createSandbox(): Promise<void> {
    const d = this.#deps;
    const hostNetwork = this.pod.spec?.hostNetwork === true;
    if (hostNetwork) {
      this.#sandbox = { namespace: d.network.nodeNamespace, ip: d.network.nodeAddress };
    } else {
      this.#sandbox = await d.network.addPod(this.key);
    }
    await mkdir(this.podDir, { recursive: true });
    const dnsCfg = podDNSConfig(this.pod, d.dns, d.hostDNS());
    const resolv = formatResolvConf(dnsCfg);
    if (!hostNetwork) {
      // `ip netns exec` bind-mounts these over /etc for everything run in the Pod's namespace.
      const dir = join(d.etcNetnsDir, this.#sandbox.namespace);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'resolv.conf'), resolv);
      await writeFile(join(dir, 'hosts'), managedHostsFile(this.pod, [this.#sandbox.ip], d.dns.clusterDomain));
    } else {
      await writeFile(join(this.podDir, 'resolv.conf'), resolv);
      await writeFile(join(this.podDir, 'hosts'), hostNetworkHostsFile(this.pod, d.nodeHosts()));
    }
  }

  #hostname(): string {
    return this.pod.spec?.hostNetwork ? this.#deps.network.nodeName : podUtsHostname(this.pod, this.#deps.dns.clusterDomain);
  }

  #ref(slot: Slot): string {
    return `spec.containers{${slot.spec.name}}`;
  }

  async #startContainer(slot: Slot): Promise<void> {
    if (this.#terminating || !this.#sandbox) return;
    const d = this.#deps;
    const c = slot.spec;
    const image = c.image ?? '';
    const configMaps = new Map<string, ConfigMap | undefined>();
    const names = [...(c.env ?? []).map((e) => e.valueFrom?.configMapKeyRef?.name), ...(c.envFrom ?? []).map((e) => e.configMapRef?.name)];
    for (const n of names) if (n !== undefined && !configMaps.has(n)) configMaps.set(n, await d.configMap(this.pod.metadata.namespace!, n));
    const envResult = makeEnvironmentVariables({
      pod: this.pod,
      container: c,
      podIPs: [this.#sandbox.ip],
      hostIPs: [d.network.nodeAddress],
      services: d.services(),
      configMap: (n) => configMaps.get(n),
    });
    if ('error' in envResult) {
      this.#wait(slot, 'CreateContainerConfigError', envResult.error);
      d.event(this.pod, 'Warning', 'Failed', `Error: ${envResult.error}`, this.#ref(slot));
      // The kubelet retries on every sync; a ConfigMap may appear later.
      slot.timer = setTimeout(() => void this.#startContainer(slot), d.backoff.initialMs);
      return;
    }
    for (const bad of envResult.invalidKeys ?? []) {
      d.event(this.pod, 'Warning', 'InvalidEnvironmentVariableNames', `Keys [${bad.keys.join(', ')}] from the EnvFrom ${bad.source} were skipped since they are invalid environment variable names.`);
    }
    const expanded = expandCommandAndArgs(c, envResult.env);
    const resolved = resolveImage(image, expanded.command, expanded.args);
    if ('error' in resolved) {
      this.#wait(slot, resolved.error.reason, resolved.error.message);
      d.event(this.pod, 'Warning', 'Failed', `Error: ${resolved.error.message}`, this.#ref(slot));
      return;
    }
    slot.imageID = resolved.builtin ? `svcnet://builtin/${resolved.builtin}` : `svcnet://host/${resolved.argv[0]}`;
    const env: Record<string, string> = { PATH: defaultPath, HOSTNAME: this.#hostname(), HOME: '/root' };
    for (const e of envResult.env) env[e.name] = e.value;
    d.event(this.pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, this.#ref(slot));
    const refused = startError({ argv: resolved.argv, env, workingDir: c.workingDir });
    if (refused) {
      d.event(this.pod, 'Warning', 'Failed', `Error: ${refused}`, this.#ref(slot));
      const now = new Date().toISOString();
      this.#afterExit(slot, { exitCode: 128, reason: 'StartError', message: refused, startedAt: now, finishedAt: now }, false);
      return;
    }
    const dir = join(this.podDir, c.name);
    await mkdir(dir, { recursive: true });
    // Only the current and the previous instance's logs are kept, as the kubelet's GC does.
    if (slot.restartCount >= 2) await rm(this.logPath(c.name, slot.restartCount - 2), { force: true });
    const binds: [string, string][] = this.pod.spec?.hostNetwork
      ? [
          [join(this.podDir, 'resolv.conf'), '/etc/resolv.conf'],
          [join(this.podDir, 'hosts'), '/etc/hosts'],
        ]
      : [];
    d.event(this.pod, 'Normal', 'Created', `Created container: ${c.name}`, this.#ref(slot));
    const proc = new ContainerProcess((ns, argv, opts) => d.network.spawnIn(ns, argv, opts), {
      namespace: this.#sandbox.namespace,
      hostname: this.#hostname(),
      argv: resolved.argv,
      env,
      workingDir: c.workingDir,
      logPath: this.logPath(c.name, slot.restartCount),
      binds,
    });
    const inst: Instance = { proc, id: `svcnet://${proc.pid}`, env, probes: [], ready: false, started: false, forceRestart: false };
    slot.instance = inst;
    slot.logs.set(inst.id, this.logPath(c.name, slot.restartCount));
    for (const id of [...slot.logs.keys()].slice(0, -2)) slot.logs.delete(id);
    slot.state = { running: { startedAt: iso(proc.startedAt) } };
    d.event(this.pod, 'Normal', 'Started', `Started container ${c.name}`, this.#ref(slot));
    inst.started = !c.startupProbe;
    inst.ready = inst.started && !c.readinessProbe;
    this.#startProbes(slot, inst);
    this.#publish();
    void proc.exited.then((exit) => {
      for (const p of inst.probes) p.stop();
      const terminated = {
        exitCode: exit.exitCode,
        reason: exit.exitCode === 0 ? 'Completed' : 'Error',
        startedAt: iso(proc.startedAt),
        finishedAt: iso(exit.finishedAt),
        containerID: inst.id,
      };
      this.#afterExit(slot, terminated, inst.forceRestart);
    });
    if (c.lifecycle?.postStart) void this.#postStart(slot, inst);
  }

  async #postStart(slot: Slot, inst: Instance): Promise<void> {
    const r = await runHandler(slot.spec.lifecycle!.postStart!, this.#target(slot, inst), this.#graceMs());
    if (r.result === 'success' || !inst.proc.running) return;
    this.#deps.event(this.pod, 'Warning', 'FailedPostStartHook', `PostStartHook failed: ${r.output}`.trim(), this.#ref(slot));
    inst.forceRestart = (this.pod.spec?.restartPolicy ?? 'Always') !== 'Never';
    await inst.proc.stop(this.#graceMs());
  }

  #target(slot: Slot, inst: Instance) {
    return { container: slot.spec, podIP: this.#sandbox!.ip, pid: inst.proc.running ? inst.proc.pid : undefined, env: inst.env, prober: this.#deps.prober };
  }

  #startProbes(slot: Slot, inst: Instance): void {
    const kinds: [ProbeKind, keyof Container][] = [
      ['startup', 'startupProbe'],
      ['liveness', 'livenessProbe'],
      ['readiness', 'readinessProbe'],
    ];
    for (const [kind, field] of kinds) {
      const probe = slot.spec[field] as Container['livenessProbe'];
      if (!probe) continue;
      const label = kind[0]!.toUpperCase() + kind.slice(1);
      const worker = new ProbeWorker({
        kind,
        probe,
        startedAt: inst.proc.startedAt,
        gate: kind === 'startup' ? undefined : () => inst.started,
        run: (timeoutMs) => runHandler(probe, this.#target(slot, inst), timeoutMs),
        onProbe: (r) => {
          if (r.result === 'failure') this.#deps.event(this.pod, 'Warning', 'Unhealthy', `${label} probe failed: ${r.output}`.trimEnd(), this.#ref(slot));
        },
        onChange: (state) => this.#probeChanged(slot, inst, kind, state),
      });
      inst.probes.push(worker);
      worker.start();
    }
  }

  #probeChanged(slot: Slot, inst: Instance, kind: ProbeKind, state: string): void {
    if (!inst.proc.running || this.#terminating) return;
    if (kind === 'readiness') {
      inst.ready = state === 'success' && inst.started;
    } else if (kind === 'startup' && state === 'success') {
      inst.started = true;
      inst.ready = !slot.spec.readinessProbe;
    } else if (state === 'failure') {
      const restart = (this.pod.spec?.restartPolicy ?? 'Always') !== 'Never';
      inst.forceRestart = restart;
      inst.ready = false;
      this.#deps.event(this.pod, 'Normal', 'Killing', `Container ${slot.spec.name} failed ${kind} probe${restart ? ', will be restarted' : ''}`, this.#ref(slot));
      const probe = kind === 'liveness' ? slot.spec.livenessProbe : slot.spec.startupProbe;
      const grace = probe?.terminationGracePeriodSeconds !== undefined ? probe.terminationGracePeriodSeconds * 1000 : this.#graceMs();
      void inst.proc.stop(grace);
    }
    this.#publish();
  }

  #graceMs(): number {
    return (this.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
  }

  #wait(slot: Slot, reason: string, message?: string): void {
    slot.state = { waiting: message ? { reason, message } : { reason } };
    this.#publish();
  }

  #afterExit(slot: Slot, terminated: NonNullable<ContainerState['terminated']>, forceRestart: boolean): void {
    slot.instance = undefined;
    if (this.#terminating) {
      slot.state = { terminated };
      this.#publish();
      return;
    }
    const policy = this.pod.spec?.restartPolicy ?? 'Always';
    const restart = forceRestart || policy === 'Always' || (policy === 'OnFailure' && terminated.exitCode !== 0);
    if (!restart) {
      slot.state = { terminated };
      this.#publish();
      void this.#maybeFinished();
      return;
    }
    slot.lastState = { terminated };
    slot.state = { terminated };
    const key = `${this.key}/${slot.spec.name}`;
    const finishedMs = Date.parse(terminated.finishedAt!);
    const schedule = () => {
      const b = this.#deps.backoff;
      const wait = b.remaining(key, finishedMs, Date.now());
      if (wait > 0) {
        this.#wait(slot, 'CrashLoopBackOff', `back-off ${formatDuration(b.current(key))} restarting failed container=${slot.spec.name} pod=${podDescription(this.pod)}`);
        this.#deps.event(this.pod, 'Warning', 'BackOff', `Back-off restarting failed container ${slot.spec.name} in pod ${podDescription(this.pod)}`, this.#ref(slot));
        slot.timer = setTimeout(schedule, wait);
        return;
      }
      b.next(key, finishedMs);
      slot.restartCount++;
      void this.#startContainer(slot);
    };
    schedule();
  }

  // restartPolicy Never/OnFailure: once nothing runs and nothing will, the Pod is terminal and
  // its sandbox goes (the kubelet kills it); status keeps the IPs.
  async #maybeFinished(): Promise<void> {
    const all = [...this.#slots.values()];
    if (all.some((s) => s.instance || !s.state.terminated)) return;
    this.#finished = true;
    this.#publish();
    await this.#teardownSandbox();
  }

  /** Graceful termination after a deletion: preStop, SIGTERM, grace, SIGKILL, sandbox, delete. */
  terminate(graceSeconds: number): Promise<void> {
    this.#terminating ??= this.#terminate(graceSeconds);
    return this.#terminating;
  }

  async #terminate(graceSeconds: number): Promise<void> {
    const graceMs = Math.max(0, graceSeconds) * 1000;
    const deadline = Date.now() + graceMs;
    await Promise.all(
      [...this.#slots.values()].map(async (slot) => {
        if (slot.timer) clearTimeout(slot.timer);
        const inst = slot.instance;
        if (!inst) {
          if (!slot.state.terminated) slot.state = { terminated: { exitCode: 0, reason: 'ContainerStatusUnknown' } };
          return;
        }
        for (const p of inst.probes) p.stop();
        inst.ready = false;
        this.#deps.event(this.pod, 'Normal', 'Killing', `Stopping container ${slot.spec.name}`, this.#ref(slot));
        const preStop = slot.spec.lifecycle?.preStop;
        if (preStop && graceMs > 0) {
          const r = await Promise.race([
            runHandler(preStop, this.#target(slot, inst), graceMs),
            new Promise<undefined>((res) => setTimeout(res, graceMs)),
          ]);
          if (r && r.result === 'failure') this.#deps.event(this.pod, 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${r.output}`.trim(), this.#ref(slot));
        }
        // The kubelet leaves at least 2 s after preStop (minimumGracePeriodInSeconds).
        const left = graceMs === 0 ? 0 : Math.max(2000, deadline - Date.now());
        await inst.proc.stop(left);
        await inst.proc.exited;
      }),
    );
    this.#finished = true;
    await this.#teardownSandbox();
    if (this.#silent) return;
    this.#publish(true);
    this.#deps.onTerminated(this.pod);
  }

  /** The Pod vanished (force-deleted): stop everything now, write nothing. */
  async kill(): Promise<void> {
    this.#silent = true;
    await this.terminate(0).catch(() => {});
  }

  async #teardownSandbox(): Promise<void> {
    const sandbox = this.#sandbox;
    if (!sandbox || !this.#sandboxReady) {
      if (sandbox && !this.pod.spec?.hostNetwork) await this.#deps.network.removePod(this.key).catch(() => {});
      return;
    }
    this.#sandboxReady = false;
    if (this.pod.spec?.hostNetwork) return;
    await this.#deps.network.removePod(this.key).catch((err: Error) => this.#deps.logger.warn('pod network removal failed', { err: err.message }));
    await rm(join(this.#deps.etcNetnsDir, sandbox.namespace), { recursive: true, force: true });
  }

  #statusOf(slot: Slot): ContainerStatus {
    const inst = slot.instance;
    const s: ContainerStatus = {
      name: slot.spec.name,
      state: slot.state,
      lastState: slot.lastState,
      ready: inst?.ready ?? false,
      restartCount: slot.restartCount,
      image: slot.spec.image ?? '',
      imageID: slot.imageID,
      started: inst?.proc.running ? inst.started : false,
    };
    const id = inst?.id ?? slot.state.terminated?.containerID;
    if (id) s.containerID = id;
    return s;
  }

  /** Computes and hands over the status; coalesces bursts into one write per tick. */
  #publish(force = false): void {
    if (this.#silent || (this.#publishQueued && !force)) return;
    this.#publishQueued = true;
    setImmediate(() => {
      this.#publishQueued = false;
      const status = buildPodStatus({
        pod: this.pod,
        containers: [...this.#slots.values()].map((s) => this.#statusOf(s)),
        sandboxReady: this.#sandboxReady,
        podIP: this.#sandbox?.ip,
        hostIP: this.#deps.network.nodeAddress,
        startTime: this.pod.status?.startTime ?? this.#startTime,
        terminal: this.#finished,
        now: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      });
      this.#deps.publishStatus(this.pod, status);
    });
  }
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** "name_namespace(uid)": how kubelet's format.Pod names a Pod in messages. */
function podDescription(pod: Pod): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}
