// The Node object a kubelet registers and the status it reports (pkg/kubelet/nodestatus setters):
// labels, addresses, capacity/allocatable, nodeInfo and the four conditions.
import { readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../api/meta.js';

export const kubeletVersion = 'v1.32.4-svcnet';
export const containerRuntimeVersion = 'svcnet://0.1.0';

export interface NodeFacts {
  readonly name: string;
  readonly address: string;
  readonly podCidr: string;
  readonly cpu: number;
  readonly memoryBytes: number;
  readonly storageBytes: number;
  readonly maxPods: number;
  readonly kernelVersion: string;
  readonly osImage: string;
  readonly architecture: string;
  readonly machineID: string;
  readonly bootID: string;
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return fallback;
  }
}

/** Facts of this machine, as the kubelet's cadvisor and sysinfo report them. */
export function machineFacts(name: string, address: string, podCidr: string, dataDir: string): NodeFacts {
  const osRelease = readOr('/etc/os-release', '');
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1] ?? 'Linux';
  let storageBytes = 0;
  try {
    const st = statfsSync(dataDir);
    storageBytes = st.blocks * st.bsize;
  } catch {
    // Unknown; reported as 0.
  }
  const archMap: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };
  return {
    name,
    address,
    podCidr,
    cpu: os.cpus().length,
    memoryBytes: os.totalmem(),
    storageBytes,
    maxPods: 110,
    kernelVersion: os.release(),
    osImage: pretty,
    architecture: archMap[process.arch] ?? process.arch,
    machineID: readOr('/etc/machine-id', ''),
    bootID: readOr('/proc/sys/kernel/random/boot_id', ''),
  };
}

interface NodeCondition {
  type: string;
  status: string;
  lastHeartbeatTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

const conditionSpecs = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
] as const;

/** Node.status: conditions keep their lastTransitionTime while their status holds. */
export function nodeStatus(f: NodeFacts, now: string, previous: readonly NodeCondition[] = []): Record<string, unknown> {
  const memKi = Math.floor(f.memoryBytes / 1024);
  // Allocatable subtracts the default hard eviction thresholds (memory.available 100Mi, nodefs 10%).
  const capacity = {
    cpu: String(f.cpu),
    'ephemeral-storage': `${Math.floor(f.storageBytes / 1024)}Ki`,
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: `${memKi}Ki`,
    pods: String(f.maxPods),
  };
  const allocatable = {
    ...capacity,
    'ephemeral-storage': String(Math.floor(f.storageBytes * 0.9)),
    memory: `${Math.max(0, memKi - 102400)}Ki`,
  };
  const conditions: NodeCondition[] = conditionSpecs.map(([type, status, reason, message]) => {
    const prev = previous.find((c) => c.type === type);
    return { type, status, lastHeartbeatTime: now, lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : now, reason, message };
  });
  return {
    capacity,
    allocatable,
    conditions,
    addresses: [
      { type: 'InternalIP', address: f.address },
      { type: 'Hostname', address: f.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: f.machineID,
      systemUUID: createHash('sha256').update(`${f.machineID}/${f.name}`).digest('hex').slice(0, 32).replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-'),
      bootID: f.bootID,
      kernelVersion: f.kernelVersion,
      osImage: f.osImage,
      containerRuntimeVersion,
      kubeletVersion,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: f.architecture,
    },
  };
}

/** The Node a kubelet registers (registerWithAPIServer / initialNode). */
export function initialNode(f: NodeFacts, now: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: f.name,
      labels: {
        'beta.kubernetes.io/arch': f.architecture,
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': f.architecture,
        'kubernetes.io/hostname': f.name,
        'kubernetes.io/os': 'linux',
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { podCIDR: f.podCidr, podCIDRs: [f.podCidr] },
    status: nodeStatus(f, now),
  };
}
