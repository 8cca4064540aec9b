// Local security of the data dir and the self-healing `kubernetes` Service:
//   - the plain unix socket (served as system:masters) is never reachable under a looser mode,
//     even when the server runs with umask 000;
//   - an existing data dir is closed to other users (0700), the database is 0600;
//   - the `kubernetes` Service, Endpoints and EndpointSlice come back after being deleted.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane, type ControlPlane } from '../src/cluster/control-plane.js';
import { createLogger } from '../src/util/logger.js';
import { ApiClient } from './helpers/http.js';
import { Kubectl } from './helpers/kubectl.js';

const BIN = new URL('../../bin/svcnet.js', import.meta.url).pathname;
const mode = (p: string) => lstatSync(p).mode & 0o777;

describe('local security', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('never exposes apiserver.sock under a looser mode, even with umask 000; data dir 0700, state.db 0600', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'svcnet-hardening-local-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    // An existing, world-readable data dir (as a user might have made it).
    chmodSync(dataDir, 0o755);
    const sock = join(dataDir, 'apiserver.sock');
    const seen = new Set<number>();
    const look = () => {
      try {
        seen.add(mode(sock));
      } catch {
        // not there yet
      }
    };
    const watcher = watch(dataDir, (_e, name) => {
      if (name === 'apiserver.sock') look();
    });
    cleanups.push(() => watcher.close());
    let listening = false;
    const poll = () => {
      look();
      if (!listening) setImmediate(poll);
    };
    poll();
    const child: ChildProcess = spawn('sh', ['-c', 'umask 000; exec "$0" "$@"', process.execPath, BIN, 'apiserver', '--data-dir', dataDir, '--port', '0', '--controllers', ''], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (https:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => reject(new Error(`apiserver exited ${code}: ${out}`)));
    });
    listening = true;
    look();
    assert.ok(seen.size > 0, 'never saw apiserver.sock');
    assert.deepEqual([...seen].map((m) => m.toString(8)), ['600']);
    assert.equal(mode(dataDir), 0o700);
    assert.equal(mode(join(dataDir, 'state.db')), 0o600);
    // Nothing left of the private directory the socket was bound in.
    assert.deepEqual(readdirSync(dataDir).filter((n) => n.startsWith('.')), []);
    const api = new ApiClient(url, dataDir);
    try {
      assert.equal((await api.get('/readyz')).status, 200);
    } finally {
      api.close();
    }
  });

  it('brings the kubernetes Service, Endpoints and EndpointSlice back after they are deleted', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'svcnet-hardening-local-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    mkdirSync(dataDir, { recursive: true });
    const cp: ControlPlane = await startControlPlane({
      dataDir,
      port: 0,
      kubernetesServiceReconcileIntervalMs: 200,
      logger: createLogger({ level: 'error' }),
    });
    cleanups.push(() => cp.stop());
    const kubectl = new Kubectl(cp.kubeconfigPath);
    cleanups.push(() => kubectl.cleanup());
    const before = await kubectl.run(['get', 'service', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.spec.clusterIP}']);
    assert.equal(before.code, 0, before.stderr);
    const del = await kubectl.run(['delete', '-n', 'default', 'service/kubernetes', 'endpoints/kubernetes', 'endpointslices.discovery.k8s.io/kubernetes']);
    assert.equal(del.code, 0, del.stderr);
    const api = new ApiClient(cp.url, dataDir);
    try {
      const paths = [
        '/api/v1/namespaces/default/services/kubernetes',
        '/api/v1/namespaces/default/endpoints/kubernetes',
        '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes',
      ];
      const deadline = Date.now() + 15_000;
      for (;;) {
        const codes = await Promise.all(paths.map(async (p) => (await api.get(p)).status));
        if (codes.every((c) => c === 200)) break;
        assert.ok(Date.now() < deadline, `still missing after 15 s: ${JSON.stringify(codes)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const svc = await api.get(paths[0]!);
      assert.equal(svc.body.spec.clusterIP, before.stdout);
      assert.equal(svc.body.spec.ports[0].port, 443);
      const eps = await api.get(paths[1]!);
      assert.equal(eps.body.subsets[0].ports[0].port, cp.server.port);
      assert.equal((await api.get('/readyz')).status, 200);
    } finally {
      api.close();
    }
  });
});
