import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPodStatus, podPhase } from './pod-status.js';
import type { ContainerStatus, Pod } from '../../api/types/core/v1.js';

const pod = (policy: 'Always' | 'OnFailure' | 'Never', names = ['a', 'b']): Pod => ({
  metadata: { name: 'p', namespace: 'default' },
  spec: { restartPolicy: policy, containers: names.map((name) => ({ name })) },
  status: { conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2020-01-01T00:00:00Z' }] },
});
const cs = (name: string, state: ContainerStatus['state'], ready = false, lastState: ContainerStatus['lastState'] = {}): ContainerStatus => ({
  name, state, lastState, ready, restartCount: 0, image: 'i', imageID: '',
});
const running = { running: { startedAt: 't' } };
const exited = (exitCode: number) => ({ terminated: { exitCode } });

describe('podPhase (kubelet getPhase)', () => {
  it('Pending while a container waits to start', () => {
    assert.equal(podPhase(pod('Always'), [cs('a', running), cs('b', { waiting: { reason: 'ContainerCreating' } })]), 'Pending');
  });
  it('Running when all started; crash-looping containers count as stopped', () => {
    assert.equal(podPhase(pod('Always'), [cs('a', running), cs('b', { waiting: { reason: 'CrashLoopBackOff' } }, false, exited(1))]), 'Running');
  });
  it('all stopped: Always → Running, Never → Succeeded/Failed, OnFailure → Running on failure', () => {
    const all0 = [cs('a', exited(0)), cs('b', exited(0))];
    const one1 = [cs('a', exited(0)), cs('b', exited(1))];
    assert.equal(podPhase(pod('Always'), all0), 'Running');
    assert.equal(podPhase(pod('Never'), all0), 'Succeeded');
    assert.equal(podPhase(pod('Never'), one1), 'Failed');
    assert.equal(podPhase(pod('OnFailure'), all0), 'Succeeded');
    assert.equal(podPhase(pod('OnFailure'), one1), 'Running');
  });
});

describe('buildPodStatus', () => {
  it('conditions in kubelet order with ContainersNotReady, sorted containerStatuses, IPs', () => {
    const s = buildPodStatus({
      pod: pod('Always', ['b', 'a']),
      containers: [cs('b', running, false), cs('a', running, true)],
      sandboxReady: true,
      podIP: '10.244.1.2',
      hostIP: '172.18.0.11',
      startTime: 's',
      now: 'now',
    });
    assert.equal(s.phase, 'Running');
    assert.deepEqual(s.conditions!.map((c) => [c.type, c.status, c.reason ?? '', c.message ?? '']), [
      ['PodReadyToStartContainers', 'True', '', ''],
      ['Initialized', 'True', '', ''],
      ['Ready', 'False', 'ContainersNotReady', 'containers with unready status: [b]'],
      ['ContainersReady', 'False', 'ContainersNotReady', 'containers with unready status: [b]'],
      ['PodScheduled', 'True', '', ''],
    ]);
    assert.equal(s.conditions![4]!.lastTransitionTime, '2020-01-01T00:00:00Z');
    assert.deepEqual(s.containerStatuses!.map((c) => c.name), ['a', 'b']);
    assert.deepEqual(s.podIPs, [{ ip: '10.244.1.2' }]);
    assert.deepEqual(s.hostIPs, [{ ip: '172.18.0.11' }]);
  });
  it('a completed Pod is not ready with reason PodCompleted', () => {
    const s = buildPodStatus({ pod: pod('Never', ['a']), containers: [cs('a', exited(0))], sandboxReady: false, hostIP: 'h', startTime: 's', now: 'n', terminal: true });
    assert.equal(s.phase, 'Succeeded');
    assert.equal(s.conditions!.find((c) => c.type === 'Ready')!.reason, 'PodCompleted');
  });
});
