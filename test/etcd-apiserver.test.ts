// `svcnet apiserver --storage etcd://…` as a user runs it: a real etcd (Debian's etcd-server on
// loopback ports), the API server as its own process, the real kubectl. Objects written through
// one API server process are there, unchanged, after it is restarted.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Etcd3 } from 'etcd3';
import { startEtcdCluster } from '../src/storage/etcd/etcd-server.js';
import type { EtcdCluster } from '../src/storage/etcd/etcd-server.js';
import { Kubectl } from './helpers/kubectl.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface ApiServerProcess {
  readonly child: ChildProcess;
  readonly kubeconfig: string;
  stop(): Promise<void>;
}

/** Runs bin/svcnet.js apiserver and waits for its "listening on" line. */
async function startApiServer(dataDir: string, args: string[]): Promise<ApiServerProcess> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'svcnet.js'), 'apiserver', '--data-dir', dataDir, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  try {
    const kubeconfig = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`apiserver did not start in 30 s: ${stderr}`)), 30_000);
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /export KUBECONFIG=(\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`apiserver exited with ${code}: ${stderr}`));
      });
    });
    return { child, kubeconfig, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Keeps all of a long-running process's stdout; `until` resolves once `pattern` is in it. */
function outputOf(child: ChildProcess): { until(pattern: RegExp, timeoutMs?: number): Promise<string> } {
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  return {
    async until(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} in ${timeoutMs} ms; output so far: ${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return out;
    },
  };
}

const manifest = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  colour: blue
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
`;

describe('svcnet apiserver on etcd', () => {
  let etcd: EtcdCluster;
  let dataDir: string;
  const cleanups: (() => Promise<void> | void)[] = [];

  before(async () => {
    etcd = await startEtcdCluster();
    dataDir = mkdtempSync(join(tmpdir(), 'svcnet-etcd-apiserver-'));
  });
  after(async () => {
    for (const c of cleanups.reverse()) await c();
    await etcd?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves kubectl apply, get and watch, and keeps state across a restart', async () => {
    const storageArgs = ['--storage', etcd.url, '--etcd-prefix', '/e2e', '--controllers', ''];
    let server = await startApiServer(dataDir, storageArgs);
    cleanups.push(() => server.stop());
    let kubectl = new Kubectl(server.kubeconfig);
    cleanups.push(() => kubectl.cleanup());

    const path = kubectl.writeManifest('m.yaml', manifest);
    assert.match(await kubectl.ok(['apply', '-f', path]), /configmap\/settings created\nservice\/web created/);
    const watch = kubectl.spawn(['get', 'configmaps', '--watch', '-o', 'custom-columns=NAME:.metadata.name,COLOUR:.data.colour', '--no-headers']);
    cleanups.push(() => void watch.kill());
    const watched = outputOf(watch);
    await watched.until(/settings\s+blue/);
    await kubectl.ok(['create', 'configmap', 'second', '--from-literal=colour=green']);
    await watched.until(/second\s+green/);
    watch.kill();

    const before = JSON.parse(await kubectl.ok(['get', 'configmap/settings', 'service/web', '-o', 'json'])) as { items: { metadata: { resourceVersion: string; uid: string }; spec?: { clusterIP: string; ports: { nodePort: number }[] } }[] };
    const [cm, svc] = before.items;
    assert.match(svc!.spec!.clusterIP, /^10\.(9[6-9]|1[01][0-9])\./);
    assert.ok(svc!.spec!.ports[0]!.nodePort >= 30000);

    // The objects are in etcd, under the prefix, where kube-apiserver would keep them.
    const client = new Etcd3({ hosts: etcd.members[0]!.clientURL });
    try {
      const stored = await client.get('/e2e/registry/core/configmaps/default/settings').string();
      assert.equal(JSON.parse(stored!).data.colour, 'blue');
      const rev = (await client.get('/e2e/registry/core/configmaps/default/settings').exec()).kvs[0]!.mod_revision;
      assert.equal(rev, cm!.metadata.resourceVersion, 'resourceVersion is the etcd mod_revision');
      assert.equal(await client.get('/registry/core/configmaps/default/settings').string(), null);
    } finally {
      client.close();
    }

    await server.stop();
    kubectl.cleanup();
    server = await startApiServer(dataDir, storageArgs);
    kubectl = new Kubectl(server.kubeconfig);

    const afterRestart = JSON.parse(await kubectl.ok(['get', 'configmap/settings', 'service/web', '-o', 'json'])) as typeof before;
    assert.deepEqual(afterRestart.items.map((i) => [i.metadata.uid, i.metadata.resourceVersion]), before.items.map((i) => [i.metadata.uid, i.metadata.resourceVersion]));
    assert.equal(afterRestart.items[1]!.spec!.clusterIP, svc!.spec!.clusterIP);
    assert.equal(afterRestart.items[1]!.spec!.ports[0]!.nodePort, svc!.spec!.ports[0]!.nodePort);
    assert.equal((await kubectl.ok(['get', 'configmap', 'second', '-o', 'jsonpath={.data.colour}'])).trim(), 'green');
    // Writes still work after the restart, with revisions past the old ones.
    await kubectl.ok(['patch', 'configmap', 'settings', '-p', '{"data":{"colour":"red"}}']);
    const rv = (await kubectl.ok(['get', 'configmap', 'settings', '-o', 'jsonpath={.metadata.resourceVersion}'])).trim();
    assert.ok(Number(rv) > Number(cm!.metadata.resourceVersion));
  });
});
