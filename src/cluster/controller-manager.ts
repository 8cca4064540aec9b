// The controller manager: one shared informer factory and client for every controller, started
// together after the caches sync, as kube-controller-manager does.
import { EventRecorder, RestClient, SharedInformerFactory } from '../client/index.js';
import type { Controller, ControllerContext } from '../controllers/types.js';
import type { Logger } from '../util/logger.js';

export class ControllerManager {
  readonly #controllers: Controller[];
  readonly #client: RestClient;
  readonly #factory: SharedInformerFactory;
  readonly #logger: Logger;
  #running: Promise<void>[] = [];

  constructor(client: RestClient, controllers: Controller[], logger: Logger) {
    this.#client = client;
    this.#controllers = controllers;
    this.#logger = logger;
    this.#factory = new SharedInformerFactory(client, { logger });
  }

  async start(): Promise<void> {
    const recorders = new Map<string, EventRecorder>();
    const ctx: ControllerContext = {
      client: this.#client,
      informers: this.#factory,
      logger: this.#logger,
      recorder: (component) => {
        let r = recorders.get(component);
        if (!r) recorders.set(component, (r = new EventRecorder(this.#client, { component, logger: this.#logger })));
        return r;
      },
    };
    for (const c of this.#controllers) c.init({ ...ctx, logger: this.#logger.child({ controller: c.name }) });
    this.#factory.start();
    await this.#factory.waitForCacheSync();
    this.#running = this.#controllers.map((c) =>
      c.run().catch((err) => this.#logger.error('controller failed', { controller: c.name, err: String((err as Error)?.stack ?? err) })),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.#controllers.map((c) => c.stop()));
    this.#factory.shutdown();
    await Promise.all(this.#running);
  }
}
