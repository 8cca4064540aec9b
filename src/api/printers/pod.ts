// printPod from pkg/printers/internalversion/printers.go (Kubernetes 1.32).
import * as d from './descriptions.js';
import { humanDuration, parseTimestamp, translateTimestampSince } from './duration.js';
import { column, type Printer, type TableRowCondition } from './types.js';

// pkg/util/node.NodeUnreachablePodReason: set by the node lifecycle controller.
const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

const podColumns = [
  column('Name', 'string', d.metaName, { format: 'name' }),
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column(
    'Restarts',
    'string',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  column('Age', 'string', d.metaCreationTimestamp),
  column('IP', 'string', d.podStatusPodIP, { priority: 1 }),
  column('Node', 'string', d.podSpecNodeName, { priority: 1 }),
  column('Nominated Node', 'string', d.podStatusNominatedNodeName, { priority: 1 }),
  column('Readiness Gates', 'string', d.podSpecReadinessGates, { priority: 1 }),
] as const;

const podSuccessConditions: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
];
const podFailedConditions: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

function isRestartableInitContainer(container: Obj): boolean {
  return container?.restartPolicy === 'Always';
}

function isPodPhaseTerminal(phase: string): boolean {
  return phase === 'Failed' || phase === 'Succeeded';
}

function conditionTrue(conditions: readonly Obj[] | undefined, type: string): boolean {
  // Like upstream, the first condition of the type decides.
  const c = (conditions ?? []).find((x) => x?.type === type);
  return c?.status === 'True';
}

function hasPodReadyCondition(conditions: readonly Obj[] | undefined): boolean {
  // Upstream's loop returns true if any Ready condition is True.
  return (conditions ?? []).some((c) => c?.type === 'Ready' && c?.status === 'True');
}

/** Tracks the latest lastState.terminated.finishedAt; Go starts from the zero time. */
function laterFinish(current: number | undefined, status: Obj): number | undefined {
  const finished = parseTimestamp(status?.lastState?.terminated?.finishedAt);
  if (status?.lastState?.terminated == null || finished === undefined) return current;
  return current === undefined || current < finished ? finished : current;
}

/** The Status column, the ready/total counts and restarts: the heart of printPod. */
export function podSummary(pod: Obj, now: Date): { ready: string; reason: string; restarts: string } {
  const spec = pod?.spec ?? {};
  const status = pod?.status ?? {};
  const initSpecs: readonly Obj[] = spec.initContainers ?? [];
  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = (spec.containers ?? []).length;
  let readyContainers = 0;
  let lastRestart: number | undefined;
  let lastRestartableInitRestart: number | undefined;

  const podPhase: string = status.phase ?? '';
  let reason = podPhase;
  if (status.reason) reason = status.reason;

  for (const c of status.conditions ?? []) {
    if (c?.type === 'PodScheduled' && c?.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initByName = new Map<string, Obj>();
  for (const c of initSpecs) {
    initByName.set(c?.name ?? '', c);
    if (isRestartableInitContainer(c)) totalContainers++;
  }

  let initializing = false;
  const initStatuses: readonly Obj[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i] ?? {};
    const restartable = isRestartableInitContainer(initByName.get(cs.name ?? ''));
    const count = cs.restartCount ?? 0;
    restarts += count;
    lastRestart = laterFinish(lastRestart, cs);
    if (restartable) {
      restartableInitRestarts += count;
      lastRestartableInitRestart = laterFinish(lastRestartableInitRestart, cs);
    }
    const terminated = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (restartable && cs.started === true) {
      if (cs.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      // Initialization failed.
      if (!terminated.reason) {
        reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode ?? 0}`;
      } else {
        reason = `Init:${terminated.reason}`;
      }
    } else if (waiting && waiting.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(status.conditions, 'Initialized')) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses: readonly Obj[] = status.containerStatuses ?? [];
    // Walk backwards so the first container's state wins the Status column.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i] ?? {};
      restarts += cs.restartCount ?? 0;
      lastRestart = laterFinish(lastRestart, cs);
      const waiting = cs.state?.waiting;
      const terminated = cs.state?.terminated;
      if (waiting && waiting.reason) {
        reason = waiting.reason;
      } else if (terminated && terminated.reason) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      } else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A Completed container next to a running one: the pod is still running.
    if (reason === 'Completed' && hasRunning) {
      reason = hasPodReadyCondition(status.conditions) ? 'Running' : 'NotReady';
    }
  }

  const deleting = pod?.metadata?.deletionTimestamp != null;
  if (deleting && status.reason === NODE_UNREACHABLE_POD_REASON) {
    reason = 'Unknown';
  } else if (deleting && !isPodPhaseTerminal(podPhase)) {
    reason = 'Terminating';
  }

  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) {
    restartsStr = `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)`;
  }
  return { ready: `${readyContainers}/${totalContainers}`, reason, restarts: restartsStr };
}

function readinessGates(pod: Obj): string {
  const gates: readonly Obj[] = pod?.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  let trueConditions = 0;
  for (const gate of gates) {
    const c = (pod?.status?.conditions ?? []).find((x: Obj) => x?.type === gate?.conditionType);
    if (c?.status === 'True') trueConditions++;
  }
  return `${trueConditions}/${gates.length}`;
}

export const podPrinter: Printer = {
  columns: podColumns,
  cells(pod: Obj, now: Date): unknown[] {
    const { ready, reason, restarts } = podSummary(pod, now);
    const status = pod?.status ?? {};
    // The v1->internal conversion fills podIPs from podIP when only the latter is set.
    const podIP: string = status.podIPs?.[0]?.ip ?? status.podIP ?? '';
    return [
      pod?.metadata?.name ?? '',
      ready,
      reason,
      restarts,
      translateTimestampSince(pod?.metadata?.creationTimestamp, now),
      podIP || '<none>',
      pod?.spec?.nodeName || '<none>',
      status.nominatedNodeName || '<none>',
      readinessGates(pod),
    ];
  },
  conditions(pod: Obj): TableRowCondition[] | undefined {
    switch (pod?.status?.phase) {
      case 'Succeeded':
        return podSuccessConditions.map((c) => ({ ...c }));
      case 'Failed':
        return podFailedConditions.map((c) => ({ ...c }));
      default:
        return undefined;
    }
  },
};
