// What every controller gets and implements. Controllers talk to the API server only through
// the client layer (src/client), so they run the same against svcnet's API server (over its
// unix socket) and against a real Kubernetes cluster (over a kubeconfig).
import type { EventRecorder, RestClient, SharedInformerFactory } from '../client/index.js';
import type { Logger } from '../util/logger.js';

export interface ControllerContext {
  readonly client: RestClient;
  /** Shared informers: controllers watching the same resource share one watch. */
  readonly informers: SharedInformerFactory;
  /** An EventRecorder whose source.component is `component` (e.g. "endpoint-slice-controller"). */
  recorder(component: string): EventRecorder;
  readonly logger: Logger;
}

export interface Controller {
  /** The name kube-controller-manager uses for it (--controllers), e.g. "endpointslice". */
  readonly name: string;
  /** Registers informers and handlers; must return before the factory is started. */
  init(ctx: ControllerContext): void;
  /** Starts workers once caches have synced; resolves when stopped. */
  run(): Promise<void>;
  stop(): Promise<void>;
}
