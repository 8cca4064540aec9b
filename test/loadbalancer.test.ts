// The LoadBalancer IP controller against a real svcnet API server, driven by the real kubectl:
// what `kubectl get svc` and `kubectl describe svc` show a user of a bare-metal cluster with
// MetalLB or k3s ServiceLB.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RestClient } from '../src/client/index.js';
import { ControllerManager } from '../src/cluster/controller-manager.js';
import { LoadBalancerController } from '../src/controllers/loadbalancer/index.js';
import { createLogger } from '../src/util/logger.js';
import { startTestServer, type TestServer } from './helpers/apiserver.js';
import type { Kubectl } from './helpers/kubectl.js';

const POOL = '172.18.255.200-172.18.255.201';

function lbService(name: string, opts: { cls?: string; annotations?: Record<string, string> } = {}): string {
  const ann = opts.annotations ? `  annotations:\n${Object.entries(opts.annotations).map(([k, v]) => `    ${k}: "${v}"`).join('\n')}\n` : '';
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
${ann}spec:
  type: LoadBalancer
${opts.cls ? `  loadBalancerClass: ${opts.cls}\n` : ''}  selector:
    app: ${name}
  ports:
  - port: 80
    targetPort: 8080
`;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The EXTERNAL-IP column of `kubectl get svc <name>`. */
async function externalIP(k: Kubectl, name: string): Promise<string> {
  const out = await k.ok(['get', 'svc', name, '--no-headers']);
  return out.trim().split(/\s+/)[3]!;
}

const hasExternalIP = (k: Kubectl, name: string, want?: string) => async () => {
  const ip = await externalIP(k, name);
  if (want ? ip === want : ip.startsWith('172.18.255.')) return ip;
  return undefined;
};

describe('LoadBalancer controller with kubectl', () => {
  let srv: TestServer;
  let k: Kubectl;
  const lb = new LoadBalancerController({ pool: POOL });

  before(async () => {
    srv = await startTestServer({ controllers: [lb] });
    k = srv.kubectl;
  });
  after(async () => {
    await srv?.stop();
  });

  it('gives a LoadBalancer Service an address shown as EXTERNAL-IP, with ipMode VIP', async () => {
    await k.ok(['apply', '-f', '-'], { input: lbService('web') });
    const ip = await waitFor('web EXTERNAL-IP', hasExternalIP(k, 'web'));
    assert.equal(ip, '172.18.255.200');
    const ingress = JSON.parse(await k.ok(['get', 'svc', 'web', '-o', 'jsonpath={.status.loadBalancer.ingress}']));
    assert.deepEqual(ingress, [{ ip: '172.18.255.200', ipMode: 'VIP' }]);
    const header = (await k.ok(['get', 'svc', 'web'])).split('\n')[0]!;
    assert.match(header, /NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE/);
    const describe = await k.ok(['describe', 'svc', 'web']);
    assert.match(describe, /LoadBalancer Ingress:\s+172\.18\.255\.200 \(VIP\)/);
    assert.match(describe, /Normal\s+IPAllocated\s+\S+\s+svcnet-lb-controller\s+Assigned IP \["172\.18\.255\.200"\]/);
  });

  it('leaves a Service of another loadBalancerClass <pending>', async () => {
    await k.ok(['apply', '-f', '-'], { input: lbService('other', { cls: 'other.example/lb' }) });
    // Let a Service of ours converge after it, so the controller has certainly seen `other`.
    await k.ok(['apply', '-f', '-'], { input: lbService('second') });
    assert.equal(await waitFor('second EXTERNAL-IP', hasExternalIP(k, 'second')), '172.18.255.201');
    assert.equal(await externalIP(k, 'other'), '<pending>');
  });

  it('an exhausted pool leaves the next Service <pending> with a Warning event; a delete frees an address for it', async () => {
    await k.ok(['apply', '-f', '-'], { input: lbService('third') });
    const describe = await waitFor('AllocationFailed event', async () => {
      const out = await k.ok(['describe', 'svc', 'third']);
      return /Warning\s+AllocationFailed/.test(out) ? out : undefined;
    });
    assert.match(
      describe,
      /Warning\s+AllocationFailed\s+\S+\s+svcnet-lb-controller\s+Failed to allocate IP for "default\/third": no available IPs in pool default \(172\.18\.255\.200-172\.18\.255\.201\) for IPv4 IPFamily/,
    );
    assert.equal(await externalIP(k, 'third'), '<pending>');
    const events = await k.ok(['get', 'events', '--field-selector', 'involvedObject.name=third', '-o', 'jsonpath={.items[*].type}']);
    assert.match(events, /Warning/);

    await k.ok(['delete', 'svc', 'web']);
    assert.equal(await waitFor('third gets the freed address', hasExternalIP(k, 'third')), '172.18.255.200');
    assert.deepEqual(Object.fromEntries(lb.allocations()), { 'default/second': ['172.18.255.201'], 'default/third': ['172.18.255.200'] });
  });

  it('honours a requested address, and switching to ClusterIP clears it', async () => {
    await k.ok(['delete', 'svc', 'second', 'third']);
    await waitFor('pool drained', async () => (lb.allocations().size === 0 ? true : undefined));
    // Lowest-free would give .200; the annotation asks for .201.
    await k.ok(['apply', '-f', '-'], { input: lbService('req', { annotations: { 'svcnet.io/loadBalancerIPs': '172.18.255.201' } }) });
    assert.equal(await waitFor('req EXTERNAL-IP', hasExternalIP(k, 'req', '172.18.255.201')), '172.18.255.201');
    // spec.loadBalancerIP (deprecated, still used) works too.
    const legacy = lbService('legacy').replace('  type: LoadBalancer\n', '  type: LoadBalancer\n  loadBalancerIP: 172.18.255.200\n');
    const applied = await k.run(['apply', '-f', '-'], { input: legacy });
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(await waitFor('legacy EXTERNAL-IP', hasExternalIP(k, 'legacy', '172.18.255.200')), '172.18.255.200');

    await k.ok(['patch', 'svc', 'req', '-p', '{"spec":{"type":"ClusterIP"}}']);
    await waitFor('req released', async () => (lb.allocations().has('default/req') ? undefined : true));
    assert.equal(await externalIP(k, 'req'), '<none>');
    assert.equal(await k.ok(['get', 'svc', 'req', '-o', 'jsonpath={.status.loadBalancer}']), '{}');
    // The address is free again: a new Service gets it.
    await k.ok(['apply', '-f', '-'], { input: lbService('next') });
    assert.equal(await waitFor('next EXTERNAL-IP', hasExternalIP(k, 'next')), '172.18.255.201');
    assert.equal(await externalIP(k, 'other'), '<pending>');
  });
});

describe('LoadBalancer controller restart', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(async () => {
    await srv?.stop();
  });

  const startManager = async (ctrl: LoadBalancerController) => {
    const client = RestClient.fromUnixSocket(srv.cp.socketPath, { component: 'controller-manager' });
    const m = new ControllerManager(client, [ctrl], createLogger({ level: 'error' }));
    await m.start();
    return {
      async stop() {
        await m.stop();
        client.close();
      },
    };
  };

  it('rebuilds its view from the Services status and reassigns nothing', async () => {
    const k = srv.kubectl;
    const pool = '172.18.255.200-172.18.255.202';
    const first = await startManager(new LoadBalancerController({ pool }));
    await k.ok(['apply', '-f', '-'], { input: lbService('s1') + '---\n' + lbService('s2') });
    await waitFor('s1', hasExternalIP(k, 's1', '172.18.255.200'));
    await waitFor('s2', hasExternalIP(k, 's2', '172.18.255.201'));
    await k.ok(['delete', 'svc', 's1']);
    await first.stop();

    // While no controller runs: a new Service waits.
    await k.ok(['apply', '-f', '-'], { input: lbService('s3') });
    const ctrl = new LoadBalancerController({ pool });
    const second = await startManager(ctrl);
    try {
      // s2 keeps .201 (a fresh allocator would hand out .200 first); s3 gets the free .200.
      assert.equal(await waitFor('s3', hasExternalIP(k, 's3')), '172.18.255.200');
      assert.equal(await externalIP(k, 's2'), '172.18.255.201');
      assert.deepEqual(Object.fromEntries(ctrl.allocations()), { 'default/s2': ['172.18.255.201'], 'default/s3': ['172.18.255.200'] });
      const s2Events = await k.ok(['get', 'events', '--field-selector', 'involvedObject.kind=Service,involvedObject.name=s2,reason=IPAllocated', '-o', 'jsonpath={.items[*].count}']);
      assert.equal(s2Events.trim(), '1', 'no second IPAllocated for s2');
    } finally {
      await second.stop();
    }
  });
});
