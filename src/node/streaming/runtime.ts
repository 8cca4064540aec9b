// What the node's streaming endpoints need from the runtime that runs the Pods. The node agent
// implements this over its own bookkeeping; the tests implement it by hand.

/** A running container, as exec needs it. */
export interface ExecTarget {
  /** The Pod's network namespace (`svcnet-<cluster>-pod-…`). */
  readonly netns: string;
  /**
   * The container's main process. When known, exec joins its network, UTS (hostname) and mount
   * namespaces with nsenter and inherits its environment, as `kubectl exec` would in a container.
   */
  readonly pid?: number;
  /** Environment for exec'd commands; default: the main process's environment, else a plain PATH. */
  readonly env?: Readonly<Record<string, string>>;
  /** Working directory for exec'd commands (default `/`). */
  readonly workingDir?: string;
}

export interface PodSandbox {
  readonly uid: string;
  /** The Pod's network namespace, where port-forward and proxy connections are opened. */
  readonly netns: string;
}

/** Where a container instance's log is, in the CRI log format. */
export interface LogTarget {
  readonly path: string;
  /** Whether the instance still runs; `follow` ends at EOF once it does not. */
  isRunning(): boolean;
}

/** A container-state problem with the exact kubelet wording; served as 400 with the message. */
export class ContainerStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerStateError';
  }
}

export interface StreamingRuntime {
  /** The running container, or undefined (kubelet: `container not found ("c")`). */
  findContainer(namespace: string, pod: string, container: string): Promise<ExecTarget | undefined>;
  /** The Pod's sandbox on this node, or undefined when the Pod does not run here. */
  podSandbox(namespace: string, pod: string): Promise<PodSandbox | undefined>;
  /**
   * The log of the container's current (or previous) instance. Throws ContainerStateError for
   * the kubelet's state errors (see `containerLogInstance`). Optional: the node agent serves
   * /containerLogs itself.
   */
  containerLog?(namespace: string, pod: string, container: string, previous: boolean): Promise<LogTarget>;
}
