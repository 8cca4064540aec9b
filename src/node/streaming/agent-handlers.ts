// Plugs exec and port-forward into the node agent's kubelet socket (src/node/agent), which
// serves /containerLogs itself: an adapter from the agent's NodeRuntime to StreamingRuntime,
// and one NodeStreamingServer per runtime behind the agent's registerStreamingHandler.
import { registerStreamingHandler, type KubeletContext } from '../agent/kubelet-server.js';
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

const servers = new WeakMap<NodeRuntime, NodeStreamingServer>();
let dialer: NetnsDialer | undefined;

function serverFor(ctx: KubeletContext): NodeStreamingServer {
  let s = servers.get(ctx.runtime);
  if (!s) {
    dialer ??= new NetnsDialer();
    s = new NodeStreamingServer({ runtime: streamingRuntimeOf(ctx.runtime), dialer });
    servers.set(ctx.runtime, s);
  }
  return s;
}

/** Call once per process (before or after agents start): serves /exec/ and /portForward/ on every agent. */
export function registerNodeStreamingHandlers(): void {
  for (const prefix of ['/exec/', '/portForward/']) {
    registerStreamingHandler(prefix, {
      upgrade(req, socket, head, _url, ctx) {
        if (!serverFor(ctx).handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n');
      },
    });
  }
}

/** Stops the dial helper processes (one per Pod namespace in use); for agent shutdown. */
export function closeNodeStreaming(): void {
  dialer?.close();
  dialer = undefined;
}
