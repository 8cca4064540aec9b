// kubectl exec and port-forward end to end: real kubectl (1.32 through the dispatcher, 1.33 over
// WebSocket, 1.27 over SPDY/3.1) → API server → node streaming endpoints → a process in a real
// Pod network namespace with its own hostname. Needs root (network namespaces).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Kubectl, kubectlBinary } from './helpers/kubectl.js';
import { waitUntil } from './helpers/wait.js';
import { createPod, randomPort, runOnTerminal, startStreamingCluster, unsupported, type StreamingCluster } from './streaming-helpers.js';

function httpGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Starts `kubectl port-forward`, waits for its "Forwarding from" line, returns a stopper. */
async function portForward(k: Kubectl, args: string[]): Promise<{ stop: () => void; stderr: () => string }> {
  const child = k.spawn(['port-forward', ...args]);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Forwarding from 127.0.0.1')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`port-forward exited ${code}: ${out} ${stderr}`)));
  });
  return { stop: () => child.kill('SIGKILL'), stderr: () => stderr };
}

const VERSIONS = [
  { name: 'default (1.32)', version: undefined },
  { name: '1.33', version: '1.33' },
  { name: '1.27 (SPDY)', version: '1.27' },
];

describe('kubectl exec / port-forward', { skip: unsupported }, () => {
  let c: StreamingCluster;
  before(async () => {
    c = await startStreamingCluster();
  });
  after(async () => {
    await c?.stop();
  });

  for (const v of VERSIONS) {
    const bin = kubectlBinary(v.version);
    describe(`kubectl ${v.name}`, { skip: bin ? false : `kubectl.${v.version} is not installed` }, () => {
      let k: Kubectl;
      before(() => {
        k = new Kubectl(c.s.cp.kubeconfigPath, bin);
      });
      after(() => k?.cleanup());

      it('runs a command inside the Pod (its hostname, its network)', async () => {
        const r = await k.run(['exec', '-v=4', 'web', '--', 'echo', 'hi']);
        assert.equal(r.stdout, 'hi\n');
        // Newer kubectl must get its WebSocket, not fall back to SPDY.
        if (v.version !== '1.27') assert.doesNotMatch(r.stderr, /fallback/i);
        assert.equal(await k.ok(['exec', 'web', '--', 'hostname']), 'web\n');
        const addrs = await k.ok(['exec', 'web', '--', 'ip', '-4', '-o', 'addr', 'show', 'eth0']);
        assert.match(addrs, new RegExp(`inet ${c.podIP.replace(/\./g, '\\.')}/32`));
      });

      it('pipes stdin with -i', async () => {
        const out = await k.ok(['exec', '-i', 'web', '--', 'sh', '-c', 'tr a-z A-Z; echo end'], { input: 'piped text\nsecond line\n' });
        assert.equal(out, 'PIPED TEXT\nSECOND LINE\nend\n');
      });

      it('keeps stdout and stderr apart and propagates the exit code', async () => {
        const r = await k.run(['exec', 'web', '--', 'sh', '-c', 'echo out; echo err >&2; exit 7']);
        assert.equal(r.code, 7);
        assert.equal(r.stdout, 'out\n');
        assert.equal(r.stderr, 'err\ncommand terminated with exit code 7\n');
      });

      it('reports a missing command as the runtime error', async () => {
        const r = await k.run(['exec', 'web', '--', 'no-such-command']);
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, /executable file not found in \$PATH/);
      });

      it('gives -it a terminal: the shell sees a tty and runs typed commands', async () => {
        const r = await runOnTerminal(
          [k.binary, '--kubeconfig', k.kubeconfig, 'exec', '-it', 'web', '--', 'sh'],
          ['hostname', 'tty', 'stty size', 'exit 0'],
          { ...process.env, KUBECONFIG: k.kubeconfig },
        );
        assert.equal(r.code, 0, r.output);
        // The line discipline echoes what we typed at once; the shell's prompt
        // may land before or after that echo, so "web" follows either.
        assert.match(r.output, /(\r\n|# )web\r\n/);
        assert.match(r.output, /\/dev\/pts\/\d+/);
        // The remote terminal has the local window's size (resize channel → TIOCSWINSZ).
        assert.match(r.output, /\r\n30 100\r\n/);
      });

      it('forwards a local port to the Pod’s port 80', async () => {
        const port = randomPort();
        const pf = await portForward(k, ['-v=4', 'web', `${port}:80`]);
        try {
          assert.equal(await httpGet(port, '/a'), 'hello GET /a from web\n');
          // Several connections over the same forwarding session.
          const bodies = await Promise.all([1, 2, 3].map((i) => httpGet(port, `/p${i}`)));
          assert.deepEqual(bodies, [1, 2, 3].map((i) => `hello GET /p${i} from web\n`));
          // 1.31+ tunnels SPDY through a WebSocket; it must not need the SPDY fallback.
          if (v.version !== '1.27') assert.doesNotMatch(pf.stderr(), /fallback/i);
        } finally {
          pf.stop();
        }
      });

      it('reports a closed port on the error stream', async () => {
        const port = randomPort();
        const pf = await portForward(k, ['web', `${port}:81`]);
        try {
          await httpGet(port, '/').catch(() => '');
          await waitUntil('the error on kubectl port-forward\'s stderr', () => /an error occurred forwarding/.test(pf.stderr()));
          assert.match(
            pf.stderr(),
            /an error occurred forwarding \d+ -> 81: error forwarding port 81 to pod uid-web, uid : failed to execute portforward in network namespace .*IPv4: dial tcp4 127\.0\.0\.1:81: connect: connection refused/,
          );
        } finally {
          pf.stop();
        }
      });
    });
  }

  describe('errors', () => {
    it('a container that is not running: container not found (WebSocket: on the error channel; SPDY: the refused upgrade)', async () => {
      await createPod(c.s, { name: 'two', node: 'node-1', containers: ['web', 'sidecar'], phase: 'Running' });
      c.runtime.addPod('default', 'two', 'uid-two', 'svcnet-none');
      c.runtime.setContainer('default', 'two', 'sidecar', { running: false });
      const r = await c.s.kubectl.run(['exec', 'two', '-c', 'sidecar', '--', 'true']);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, 'error: Internal error occurred: unable to upgrade connection: container not found ("sidecar")\n');
      const old = kubectlBinary('1.27');
      if (old) {
        const k = new Kubectl(c.s.cp.kubeconfigPath, old);
        const r27 = await k.run(['exec', 'two', '-c', 'sidecar', '--', 'true']);
        k.cleanup();
        assert.equal(r27.code, 1);
        assert.equal(r27.stderr, 'error: unable to upgrade connection: container not found ("sidecar")\n');
      }
    });

    it('an unscheduled Pod: does not have a host assigned', async () => {
      await createPod(c.s, { name: 'pending', containers: ['web'], phase: 'Pending' });
      const r = await c.s.kubectl.run(['exec', 'pending', '--', 'true']);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, 'Error from server (BadRequest): pod pending does not have a host assigned\n');
    });

    it('an unknown container', async () => {
      const r = await c.s.kubectl.run(['exec', 'web', '-c', 'nope', '--', 'true']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /container nope is not valid for pod web|container nope not found in pod web/);
    });

    it('a node without a running agent: error dialing backend', async () => {
      await createPod(c.s, { name: 'orphan', node: 'node-2', containers: ['web'], phase: 'Running' });
      const r = await c.s.kubectl.run(['exec', 'orphan', '--', 'true']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /error dialing backend: dial unix .*nodes\/node-2\/kubelet\.sock: connect: no such file or directory/);
    });

    it('attach says plainly that it is not supported', async () => {
      const r = await c.s.kubectl.run(['attach', 'web'], { timeoutMs: 20_000 });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /attach is not supported by svcnet/);
    });

    it('a completed Pod is refused by kubectl', async () => {
      await createPod(c.s, { name: 'done', node: 'node-1', containers: ['web'], phase: 'Succeeded' });
      const r = await c.s.kubectl.run(['exec', 'done', '--', 'true']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /cannot exec into a container in a completed pod; current phase is Succeeded/);
    });
  });
});
