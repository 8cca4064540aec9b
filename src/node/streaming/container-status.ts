// Which container instance `kubectl logs` reads, decided from the Pod's status with the kubelet's
// wording for every refusal (pkg/kubelet/kubelet_pods.go validateContainerLogStatus). Pure; the
// runtime calls it from StreamingRuntime.containerLog and throws ContainerStateError with the text.

interface ContainerStateLike {
  running?: object;
  terminated?: { containerID?: string };
  waiting?: { reason?: string };
}

interface ContainerStatusLike {
  name: string;
  state?: ContainerStateLike;
  lastState?: ContainerStateLike;
}

export interface PodStatusLike {
  containerStatuses?: ContainerStatusLike[];
  initContainerStatuses?: ContainerStatusLike[];
  ephemeralContainerStatuses?: ContainerStatusLike[];
}

export type LogInstance = { readonly instance: 'current' | 'previous' } | { readonly error: string };

export function containerLogInstance(podName: string, status: PodStatusLike, container: string, previous: boolean): LogInstance {
  const all = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? []), ...(status.ephemeralContainerStatuses ?? [])];
  const cs = all.find((c) => c.name === container);
  const q = JSON.stringify;
  if (!cs) return { error: `container ${q(container)} in pod ${q(podName)} is not available` };
  const state = cs.state ?? {};
  const last = cs.lastState ?? {};
  if (previous) {
    if (!last.terminated?.containerID) return { error: `previous terminated container ${q(container)} in pod ${q(podName)} not found` };
    return { instance: 'previous' };
  }
  if (state.running) return { instance: 'current' };
  if (state.terminated) {
    if (state.terminated.containerID) return { instance: 'current' };
    if (last.terminated?.containerID) return { instance: 'previous' };
    return { error: `container ${q(container)} in pod ${q(podName)} is terminated` };
  }
  if (last.terminated) {
    if (!last.terminated.containerID) return { error: `container ${q(container)} in pod ${q(podName)} is terminated` };
    return { instance: 'previous' };
  }
  if (state.waiting) {
    const reason = state.waiting.reason ?? '';
    if (reason === 'ErrImagePull') return { error: `container ${q(container)} in pod ${q(podName)} is waiting to start: image can't be pulled` };
    if (reason === 'ImagePullBackOff') return { error: `container ${q(container)} in pod ${q(podName)} is waiting to start: trying and failing to pull image` };
    return { error: `container ${q(container)} in pod ${q(podName)} is waiting to start: ${reason}` };
  }
  return { error: `container ${q(container)} in pod ${q(podName)} is waiting to start - no logs yet` };
}
