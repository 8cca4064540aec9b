// The Pod status the kubelet reports (generateAPIPodStatus, getPhase, the condition generators),
// as a pure function of what the runtime knows about its containers.
import type { ContainerStatus, PodCondition, PodPhase, PodStatus, Pod } from '../../api/types/core/v1.js';

export interface PodStatusInputs {
  readonly pod: Pod;
  /** One per spec container, in any order (sorted by name on output, as the kubelet does). */
  readonly containers: readonly ContainerStatus[];
  readonly sandboxReady: boolean;
  readonly podIP?: string;
  readonly hostIP: string;
  readonly startTime: string;
  /** True once the agent is tearing the Pod down for deletion (a terminal phase is reported at the end). */
  readonly terminal?: boolean;
  readonly now: string;
}

/** getPhase: Pending/Running/Succeeded/Failed from the container states and restartPolicy. */
export function podPhase(pod: Pod, statuses: readonly ContainerStatus[], terminal = false): PodPhase {
  let pending = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of pod.spec?.containers ?? []) {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) {
      pending++;
      continue;
    }
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state?.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else pending++;
    } else pending++;
  }
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (terminal && running === 0 && pending === 0) return stopped === succeeded ? 'Succeeded' : 'Failed';
  if (pending > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'OnFailure') return 'Running';
    return 'Failed';
  }
  return 'Pending';
}

function condition(type: string, ok: boolean, reason?: string, message?: string): Omit<PodCondition, 'lastTransitionTime'> {
  const c: Omit<PodCondition, 'lastTransitionTime'> = { type, status: ok ? 'True' : 'False', lastProbeTime: null };
  if (!ok && reason) c.reason = reason;
  if (!ok && message) c.message = message;
  return c;
}

const kubeletConditions = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);

export function buildPodStatus(inputs: PodStatusInputs): PodStatus {
  const { pod } = inputs;
  const containerStatuses = [...inputs.containers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const phase = podPhase(pod, containerStatuses, inputs.terminal);
  const done = phase === 'Succeeded' || phase === 'Failed';
  const unready = (pod.spec?.containers ?? []).map((c) => c.name).filter((n) => !containerStatuses.find((s) => s.name === n)?.ready);
  const containersReady = unready.length === 0 && !done;
  const unreadyMsg = `containers with unready status: [${unready.join(' ')}]`;
  const gates = (pod.spec?.readinessGates ?? []).map((g) => g.conditionType);
  const existing = pod.status?.conditions ?? [];
  const missingGates = gates.filter((g) => existing.find((c) => c.type === g)?.status !== 'True');
  let readyReason: string | undefined;
  let readyMessage: string | undefined;
  if (done) readyReason = 'PodCompleted';
  else if (!containersReady) {
    readyReason = 'ContainersNotReady';
    readyMessage = unreadyMsg;
  } else if (missingGates.length > 0) {
    readyReason = 'ReadinessGatesNotReady';
    readyMessage = `corresponding condition of pod readiness gate "${missingGates[0]}" does not exist.`;
  }
  const scheduled = existing.find((c) => c.type === 'PodScheduled');
  const fresh = [
    condition('PodReadyToStartContainers', inputs.sandboxReady && !done),
    condition('Initialized', true),
    condition('Ready', readyReason === undefined, readyReason, readyMessage),
    condition('ContainersReady', containersReady, done ? 'PodCompleted' : 'ContainersNotReady', done ? undefined : unreadyMsg),
  ];
  const conditions: PodCondition[] = fresh.map((c) => {
    const prev = existing.find((p) => p.type === c.type);
    return { ...c, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : inputs.now };
  });
  conditions.push(scheduled ?? { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: inputs.now });
  // Conditions other components own (readiness gates, DisruptionTarget) are kept as they are.
  for (const c of existing) if (!kubeletConditions.has(c.type)) conditions.push(c);

  const status: PodStatus = {
    phase,
    conditions,
    hostIP: inputs.hostIP,
    hostIPs: [{ ip: inputs.hostIP }],
    startTime: inputs.startTime,
    containerStatuses,
  };
  if (inputs.podIP) {
    status.podIP = inputs.podIP;
    status.podIPs = [{ ip: inputs.podIP }];
  }
  return status;
}
