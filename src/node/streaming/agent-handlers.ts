// Plugs exec and port-forward into the node agent's kubelet socket (src/node/agent), which
// serves /containerLogs itself: an adapter from the agent's NodeRuntime to StreamingRuntime,
// and the handlers the agent's KubeletServer is constructed with.
import type { KubeletContext, StreamingHandler, StreamingHandlers } from '../agent/kubelet-server.js';
import type { NodeRuntime } from '../runtime/runtime.js';
import { NetnsDialer } from './netns-dialer.js';
import type { StreamingRuntime } from './runtime.js';
import { NodeStreamingServer } from './server.js';

/** The agent's runtime seen through the interface the streaming endpoints use. */
export function streamingRuntimeOf(rt: NodeRuntime): StreamingRuntime {
  return {
    async findContainer(namespace, pod, container) {
      const p = rt.containerProcess(namespace, pod, container);
      if ('error' in p) return undefined;
      return { netns: p.netns, pid: p.pid, env: p.env };
    },
    async podSandbox(namespace, pod) {
      const netns = rt.podNetns(namespace, pod);
      if (!netns) return undefined;
      const found = rt.lookup(namespace, pod);
      // The uid only appears in error texts; a multi-container Pod's lookup needs a name.
      return { netns, uid: 'pod' in found ? (found.pod.metadata.uid ?? '') : '' };
    },
  };
}

export interface NodeStreamingHandlers {
  /** Mount on the agent's kubelet server: KubeletServerOptions.handlers. */
  readonly handlers: StreamingHandlers;
  /** Ends open exec/port-forward sessions; for agent shutdown. */
  close(): Promise<void>;
}

/**
 * exec and port-forward for one node agent's kubelet socket. The streaming server is made on the
 * first request, from the runtime the kubelet server hands over (the agent creates its runtime
 * itself); `dialer` is the node's one set of netns dial helpers, owned by the caller.
 */
export function nodeStreamingHandlers(dialer: NetnsDialer): NodeStreamingHandlers {
  let server: { runtime: NodeRuntime; streaming: NodeStreamingServer } | undefined;
  const serverFor = (ctx: KubeletContext): NodeStreamingServer => {
    if (server?.runtime !== ctx.runtime) server = { runtime: ctx.runtime, streaming: new NodeStreamingServer({ runtime: streamingRuntimeOf(ctx.runtime), dialer }) };
    return server.streaming;
  };
  const handler: StreamingHandler = {
    upgrade(req, socket, head, _url, ctx) {
      if (!serverFor(ctx).handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n');
    },
  };
  return {
    handlers: new Map([
      ['/exec/', handler],
      ['/portForward/', handler],
    ]),
    close: async () => {
      await server?.streaming.close();
    },
  };
}
