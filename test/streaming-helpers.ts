// Shared setup for the streaming end-to-end tests: a real API server with the streaming
// subresources, one node (a real network namespace) whose streaming endpoints serve a hand-made
// runtime, and Pods that are real processes in real Pod namespaces.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startTestServer, type TestServer } from './helpers/apiserver.js';
import { NodeStreamingServer } from '../src/node/streaming/index.js';
import { FakeStreamingRuntime, startPodProcess } from '../src/node/streaming/testing.js';
import { ClusterNetwork, checkNetnsSupport } from '../src/node/netns/index.js';
import { uniqueClusterName } from '../src/node/netns/test-helpers.js';

export const unsupported = await checkNetnsSupport();

export const WEB_SERVER = `
require('node:http').createServer((q, r) => {
  if (q.url === '/redirect') { r.writeHead(302, { location: '/landed' }); return r.end(); }
  let body = '';
  q.on('data', (c) => (body += c));
  q.on('end', () => r.end('hello ' + q.method + ' ' + q.url + ' from ' + require('node:os').hostname() + (body ? ' body=' + body : '') + '\\n'));
}).listen(80, () => console.log('listening'));
`;

export interface StreamingCluster {
  readonly s: TestServer;
  readonly net: ClusterNetwork;
  readonly runtime: FakeStreamingRuntime;
  readonly podIP: string;
  stop(): Promise<void>;
}

/** API server + node-1 + Pod default/web (container `web`, hostname `web`, HTTP on :80). */
export async function startStreamingCluster(): Promise<StreamingCluster> {
  const s = await startTestServer();
  const net = await ClusterNetwork.create(uniqueClusterName('st'));
  const children: ChildProcess[] = [];
  let node: NodeStreamingServer | undefined;
  const stop = async () => {
    for (const c of children) c.kill('SIGKILL');
    await node?.close();
    await net.destroy();
    await s.stop();
  };
  try {
    await net.addNode('node-1', 1);
    const pn = await net.addPod('node-1', 'default/web');
    const child = startPodProcess(net, pn.namespace, 'web', [process.execPath, '-e', WEB_SERVER]);
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`web exited ${code}`)));
    });
    const runtime = new FakeStreamingRuntime(join(s.dataDir, 'pod-logs'));
    runtime.addPod('default', 'web', 'uid-web', pn.namespace);
    runtime.setContainer('default', 'web', 'web', { running: true, pid: child.pid! });
    node = new NodeStreamingServer({ runtime });
    await node.listen(join(s.dataDir, 'nodes', 'node-1', 'kubelet.sock'));
    await createPod(s, { name: 'web', node: 'node-1', containers: ['web'], phase: 'Running', ip: pn.ip, port: 80 });
    return { s, net, runtime, podIP: pn.ip, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export async function createPod(
  s: TestServer,
  p: { name: string; node?: string; containers: string[]; phase: string; ip?: string; port?: number },
): Promise<void> {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: 'default' },
    spec: {
      ...(p.node ? { nodeName: p.node } : {}),
      containers: p.containers.map((name, i) => ({ name, image: 'nginx', ...(i === 0 && p.port ? { ports: [{ containerPort: p.port }] } : {}) })),
    },
  };
  await s.kubectl.ok(['create', '-f', '-'], { input: JSON.stringify(pod) });
  const status = { phase: p.phase, ...(p.ip ? { podIP: p.ip, podIPs: [{ ip: p.ip }] } : {}) };
  await s.kubectl.ok(['patch', 'pod', p.name, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]);
}

// Drives a command on a pseudo-terminal (kubectl -t insists on one): types the lines with a
// pause between them and returns everything the terminal showed, plus the exit code.
const PTY_DRIVER = String.raw`
import fcntl, os, pty, select, struct, sys, termios, time
lines = sys.argv[1].split("\x1f")
argv = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
# A 100x30 window: kubectl reads it and sends it on the resize channel.
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
out = b""
deadline = time.time() + 30
sent = 0
next_send = time.time() + 1.5
while time.time() < deadline:
    if sent < len(lines) and time.time() >= next_send:
        os.write(fd, (lines[sent] + "\n").encode())
        sent += 1
        next_send = time.time() + 1.0
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 99)
`;

export function runOnTerminal(argv: readonly string[], lines: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('python3', ['-c', PTY_DRIVER, lines.join('\x1f'), ...argv], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** A free-ish loopback port for port-forward tests running in parallel processes. */
export function randomPort(): number {
  return 20000 + Math.floor(Math.random() * 20000);
}
