// @kubernetes/client-node (the official JavaScript client) lists, watches and runs an informer
// against svcnet, authenticating with the kubeconfig's client certificate.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startTestServer, type TestServer } from './helpers/apiserver.js';

function until(cond: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (cond()) return resolve();
      if (Date.now() - start > ms) return reject(new Error('timed out waiting'));
      setTimeout(tick, 10);
    };
    tick();
  });
}

const svc = (name: string): k8s.V1Service => ({
  metadata: { name, labels: { app: name } },
  spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
});

describe('@kubernetes/client-node', () => {
  let s: TestServer;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  before(async () => {
    s = await startTestServer();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(s.cp.kubeconfigPath);
    core = kc.makeApiClient(k8s.CoreV1Api);
  });
  after(async () => {
    await s?.stop();
  });

  it('creates, lists and reads Services', async () => {
    const created = await core.createNamespacedService({ namespace: 'default', body: svc('alpha') });
    assert.equal(created.metadata?.name, 'alpha');
    assert.equal(created.spec?.ports?.[0]?.protocol, 'TCP', 'defaulted on create');
    await core.createNamespacedService({ namespace: 'default', body: svc('beta') });
    const list = await core.listNamespacedService({ namespace: 'default' });
    // The API server's own `kubernetes` Service is always there.
    assert.deepEqual(list.items.map((i) => i.metadata?.name).sort(), ['alpha', 'beta', 'kubernetes']);
    assert.ok(Number(list.metadata?.resourceVersion) > 0);
    const one = await core.listNamespacedService({ namespace: 'default', labelSelector: 'app=beta' });
    assert.deepEqual(one.items.map((i) => i.metadata?.name), ['beta']);
    const paged = await core.listNamespacedService({ namespace: 'default', limit: 1 });
    assert.equal(paged.items.length, 1);
    assert.ok(paged.metadata?._continue, 'a continue token for the next page');
    const rest = await core.listNamespacedService({ namespace: 'default', limit: 1, _continue: paged.metadata!._continue });
    assert.notEqual(rest.items[0]?.metadata?.name, paged.items[0]?.metadata?.name);
    await assert.rejects(core.readNamespacedService({ namespace: 'default', name: 'nope' }), (err: unknown) => {
      return (err as { code?: number }).code === 404;
    });
  });

  it('watches Services', async () => {
    const events: string[] = [];
    const watch = new k8s.Watch(kc);
    const list = await core.listNamespacedService({ namespace: 'default' });
    const req = await watch.watch(
      '/api/v1/namespaces/default/services',
      { resourceVersion: list.metadata?.resourceVersion },
      (type, obj: k8s.V1Service) => events.push(`${type} ${obj.metadata?.name}`),
      () => undefined,
    );
    try {
      await core.createNamespacedService({ namespace: 'default', body: svc('gamma') });
      await core.deleteNamespacedService({ namespace: 'default', name: 'gamma' });
      await until(() => events.length >= 2);
      assert.deepEqual(events, ['ADDED gamma', 'DELETED gamma']);
    } finally {
      req.abort();
    }
  });

  it('keeps an informer cache in step', async () => {
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/services', () =>
      core.listNamespacedService({ namespace: 'default' }),
    );
    const seen: string[] = [];
    informer.on('add', (o: k8s.V1Service) => seen.push(`add ${o.metadata?.name}`));
    informer.on('update', (o: k8s.V1Service) => seen.push(`update ${o.metadata?.name}`));
    informer.on('delete', (o: k8s.V1Service) => seen.push(`delete ${o.metadata?.name}`));
    await informer.start();
    try {
      await until(() => informer.list().length === 3);
      await core.createNamespacedService({ namespace: 'default', body: svc('delta') });
      await core.patchNamespacedService(
        { namespace: 'default', name: 'delta', body: { metadata: { labels: { tier: 'x' } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedService({ namespace: 'default', name: 'alpha' });
      await until(() => seen.includes('delete alpha') && seen.includes('update delta'));
      assert.deepEqual(informer.list().map((o) => o.metadata?.name).sort(), ['beta', 'delta', 'kubernetes']);
      assert.equal(informer.get('delta', 'default')?.metadata?.labels?.tier, 'x');
    } finally {
      await informer.stop();
    }
  });
});
