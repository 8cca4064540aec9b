// Writes core/v1 Events for the API server's own loops (repair, bootstrap) straight into the
// registry, the way kube-apiserver's in-process controllers record through a loopback client.
import { formatTime, type KubeObject } from '../../api/meta.js';
import type { Registry } from '../registry/registry.js';
import type { RequestContext } from '../registry/strategy.js';

export function systemContext(now = new Date()): RequestContext {
  return { now, dryRun: false, user: { name: 'system:apiserver', groups: ['system:masters'] }, fieldManager: 'kube-apiserver', warnings: [] };
}

export async function recordEvent(
  registry: Registry,
  involved: { apiVersion?: string; kind: string; metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string } },
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  component: string,
): Promise<void> {
  const now = new Date();
  const ns = involved.metadata?.namespace || 'default';
  const name = `${involved.metadata?.name ?? 'unknown'}.${(now.getTime() * 1e6).toString(16)}`;
  const ev: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: ns },
    involvedObject: {
      apiVersion: involved.apiVersion ?? 'v1',
      kind: involved.kind,
      name: involved.metadata?.name,
      namespace: involved.metadata?.namespace,
      uid: involved.metadata?.uid,
      resourceVersion: involved.metadata?.resourceVersion,
    },
    reason,
    message,
    type,
    source: { component },
    reportingComponent: component,
    reportingInstance: '',
    firstTimestamp: formatTime(now),
    lastTimestamp: formatTime(now),
    eventTime: null,
    count: 1,
  };
  try {
    await registry.store('', 'events')!.create(ns, ev, systemContext(now));
  } catch {
    // Events are best effort, as client-go's recorder treats them.
  }
}
