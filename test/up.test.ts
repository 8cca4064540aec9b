// `svcnet up` end to end, as a user runs it: a 2-node cluster of network namespaces comes up,
// kubectl sees both nodes Ready, Pods run on both nodes and reach each other by Pod IP, Service
// environment variables are the kubelet's, and `svcnet down` / kill -9 leave nothing behind.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kubectl, kubectlBinary } from './helpers/kubectl.js';

const BIN = new URL('../../bin/svcnet.js', import.meta.url).pathname;
const isRoot = process.getuid?.() === 0;
const skip = !isRoot ? 'svcnet up needs root' : !kubectlBinary() ? 'kubectl is not installed' : false;
// A cluster name of this run alone: its namespaces are `svcnet-<name>-…`, so the assertions and
// the cleanup never see (or remove) those of a user's `svcnet up` or of another test run.
const CLUSTER = `t${process.pid.toString(36)}${Date.now().toString(36)}`;
const PREFIX = `svcnet-${CLUSTER}-`;

function namespaces(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith(PREFIX));
}

function startUp(dataDir: string): Promise<{ child: ChildProcess; out: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'up', '--nodes', '2', '--data-dir', dataDir, '--port', '0', '--cluster-name', CLUSTER], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Press Ctrl-C')) resolve({ child, out: () => out });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`svcnet up exited ${code}: ${out}\n${err.slice(-2000)}`)));
  });
}

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('svcnet up', { skip }, () => {
  let dataDir: string;
  let up: { child: ChildProcess; out: () => string } | undefined;
  let k: Kubectl;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'svcnet-up-'));
    up = await startUp(dataDir);
    k = new Kubectl(join(dataDir, 'kubeconfig'));
  });
  after(async () => {
    k?.cleanup();
    if (up?.child.exitCode === null) up.child.kill('SIGKILL');
    execFileSync(process.execPath, [BIN, 'down', '--data-dir', dataDir, '--cluster-name', CLUSTER], { stdio: 'ignore' });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints what to type and brings both nodes Ready', async () => {
    assert.match(up!.out(), /export KUBECONFIG=.*\/kubeconfig\n {2}kubectl get nodes\n/);
    const nodes = await k.ok(['get', 'nodes']);
    assert.match(nodes, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nnode1\s+Ready\s+<none>\s+\S+\s+v1\.32\.4-svcnet\nnode2\s+Ready\s+<none>\s+\S+\s+v1\.32\.4-svcnet\n$/);
  });

  it('runs Pods on both nodes that reach each other by Pod IP', async () => {
    for (const n of ['node1', 'node2']) {
      await k.ok([
        'run', `echo-${n}`, '--image=registry.k8s.io/e2e-test-images/agnhost:2.47',
        `--overrides={"apiVersion":"v1","spec":{"nodeName":"${n}"}}`, '--', 'netexec', '--http-port=8080',
      ]);
    }
    const ips = await until('both Pods running', async () => {
      const out = await k.ok(['get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.status.phase} {.status.podIP} {.metadata.uid}{"\\n"}{end}']);
      const rows = out.trim().split('\n').map((l) => l.split(' '));
      return rows.length === 2 && rows.every((r) => r[2] === 'Running' && r[3]) ? rows : undefined;
    });
    const onNode2 = ips.find((r) => r[1] === 'node2')![3]!;
    const onNode1 = ips.find((r) => r[1] === 'node1')!;
    // From inside the Pod on node1 (its network namespace is named by its UID), as `kubectl exec`
    // would run curl there.
    const ns = `${PREFIX}pod-${onNode1[4]}`;
    assert.ok(namespaces().includes(ns), `${ns} exists`);
    // Running means the process started; netexec may need a moment before it listens.
    const answer = await until('an answer from the Pod on node2', async () =>
      execFileSync('ip', ['netns', 'exec', ns, 'curl', '-s', '-m', '5', `http://${onNode2}:8080/hostname`], { encoding: 'utf8' }),
    );
    assert.equal(answer, 'echo-node2');
    // And the way a user does it: kubectl exec into the Pod on node1, curl the one on node2.
    const viaExec = await k.ok(['exec', 'echo-node1', '--', 'curl', '-s', '-m', '5', `http://${onNode2}:8080/clientip`]);
    assert.match(viaExec, new RegExp(`^${onNode1[3]!.replace(/\./g, '\\.')}:\\d+$`), 'the server sees the client Pod IP');
    assert.equal(await k.ok(['exec', 'echo-node1', '--', 'hostname']), 'echo-node1\n');
  });

  it('port-forwards from the host to an nginx Pod', async () => {
    await k.ok(['run', 'web', '--image=nginx']);
    await until('nginx running', async () =>
      (await k.ok(['get', 'pod', 'web', '-o', 'jsonpath={.status.phase}'])) === 'Running' ? true : undefined,
    );
    const pf = k.spawn(['port-forward', 'pod/web', '18089:80']);
    try {
      const page = await until('the forwarded page', async () => {
        const r = await fetch('http://127.0.0.1:18089/');
        return r.ok ? r.text() : undefined;
      });
      assert.match(page, /<title>Welcome to nginx!<\/title>/);
    } finally {
      pf.kill('SIGTERM');
    }
  });

  it('keeps a Pod whose readiness probe fails out of ready endpoints', async () => {
    const manifest = `apiVersion: v1
kind: Service
metadata:
  name: probed
spec:
  selector:
    app: probed
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: v1
kind: Pod
metadata:
  name: probed
  labels:
    app: probed
spec:
  containers:
  - name: c
    image: registry.k8s.io/e2e-test-images/agnhost:2.47
    args: ["netexec", "--http-port=8080"]
    readinessProbe:
      httpGet:
        port: 9999
      periodSeconds: 1
`;
    await k.ok(['apply', '-f', k.writeManifest('probed.yaml', manifest)]);
    const slice = await until('the endpoint published as not ready', async () => {
      const out = await k.ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=probed', '-o', 'jsonpath={.items[0].endpoints[0].conditions.ready} {.items[0].endpoints[0].addresses[0]}']);
      return /^false \d+\.\d+\.\d+\.\d+$/.test(out) ? out : undefined;
    });
    assert.match(slice, /^false /);
    assert.match(await k.ok(['get', 'pod', 'probed']), /\nprobed\s+0\/1\s+Running\s+0\s+/);
    assert.match(await k.ok(['describe', 'svc', 'probed']), /\nEndpoints:\s+\n/);
  });

  it('sets the kubelet Service environment variables', async () => {
    await k.ok(['create', 'service', 'clusterip', 'my-svc', '--tcp=8080:80']);
    const ip = await k.ok(['get', 'svc', 'my-svc', '-o', 'jsonpath={.spec.clusterIP}']);
    await k.ok(['run', 'envdump', '--image=busybox', '--restart=Never', '--command', '--', 'sh', '-c', 'env | sort; sleep 3600']);
    const env = await until('env in the logs', async () => {
      const r = await k.run(['logs', 'envdump']);
      return r.code === 0 && r.stdout.includes('KUBERNETES_SERVICE_HOST') ? r.stdout : undefined;
    });
    const expected = [
      `MY_SVC_PORT=tcp://${ip}:8080`,
      `MY_SVC_PORT_8080_TCP=tcp://${ip}:8080`,
      `MY_SVC_PORT_8080_TCP_ADDR=${ip}`,
      'MY_SVC_PORT_8080_TCP_PORT=8080',
      'MY_SVC_PORT_8080_TCP_PROTO=tcp',
      `MY_SVC_SERVICE_HOST=${ip}`,
      'MY_SVC_SERVICE_PORT=8080',
      'MY_SVC_SERVICE_PORT_8080_80=8080',
      'KUBERNETES_PORT=tcp://10.96.0.1:443',
      'KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443',
      'KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1',
      'KUBERNETES_PORT_443_TCP_PORT=443',
      'KUBERNETES_PORT_443_TCP_PROTO=tcp',
      'KUBERNETES_SERVICE_HOST=10.96.0.1',
      'KUBERNETES_SERVICE_PORT=443',
      'KUBERNETES_SERVICE_PORT_HTTPS=443',
    ];
    for (const line of expected) assert.ok(env.split('\n').includes(line), `missing ${line} in\n${env}`);
    // Services created after the Pod started are not in its environment.
    assert.ok(!env.includes('ECHO_'), 'no variables for Services that did not exist');
  });

  /** The container processes of every Pod (the runtime reports containerID svcnet://<pid>). */
  const containerPids = async (): Promise<number[]> => {
    const out = await k.ok(['get', 'pods', '-A', '-o', 'jsonpath={range .items[*]}{range .status.containerStatuses[*]}{.containerID}{"\\n"}{end}{end}']);
    return out.split('\n').map((l) => /^svcnet:\/\/(\d+)$/.exec(l.trim())?.[1]).filter((x): x is string => !!x).map(Number);
  };
  const alive = (pids: number[]) => pids.filter((pid) => existsSync(`/proc/${pid}/stat`) && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')));

  it('leaves nothing behind after svcnet down, and comes back after kill -9', async () => {
    const beforeKill = await containerPids();
    assert.ok(beforeKill.length > 0, 'Pods are running processes');
    up!.child.kill('SIGKILL');
    await new Promise((r) => up!.child.once('exit', r));
    assert.ok(namespaces().length > 0, 'a killed svcnet up leaves its namespaces');
    up = await startUp(dataDir);
    assert.deepEqual(alive(beforeKill), [], 'the next svcnet up stops the Pods a killed one left running');
    assert.match(await k.ok(['get', 'nodes']), /node1\s+Ready/);
    const beforeDown = await until('Pods running again', async () => {
      // New processes, not the stale containerIDs of the killed cluster.
      const pids = (await containerPids()).filter((pid) => !beforeKill.includes(pid));
      return pids.length > 0 && alive(pids).length === pids.length ? pids : undefined;
    });
    execFileSync(process.execPath, [BIN, 'down', '--data-dir', dataDir, '--cluster-name', CLUSTER], { stdio: 'ignore' });
    await new Promise((r) => (up!.child.exitCode !== null ? r(undefined) : up!.child.once('exit', r)));
    assert.deepEqual(namespaces(), []);
    assert.deepEqual(alive(beforeDown), [], 'no Pod process is left');
    let leftover = '';
    try {
      leftover = execFileSync('pgrep', ['-f', dataDir], { encoding: 'utf8' }).trim();
    } catch {
      // pgrep exits 1 when nothing matches
    }
    assert.equal(leftover, '', 'no process of this cluster is left');
    const etcNetns = existsSync('/etc/netns') ? readdirSync('/etc/netns').filter((n) => n.startsWith(PREFIX)) : [];
    assert.deepEqual(etcNetns, [], 'no per-Pod /etc/netns files are left');
  });
});
