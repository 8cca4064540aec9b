import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test/helpers/apiserver.js';
import { labelIndexFunc } from './indexer.js';
import { SharedInformerFactory } from './informer-factory.js';
import { resources } from './resource-path.js';
import { RestClient } from './rest-client.js';

let s: TestServer;
let c: RestClient;
before(async () => {
  s = await startTestServer();
  c = RestClient.fromKubeconfig(s.cp.kubeconfigPath, undefined, { component: 'factory-test' });
});
after(async () => {
  c.close();
  await s.stop();
});

/**
 * Requests for one verb on configmaps, from the server's /metrics: finished LISTs from
 * apiserver_request_total, open WATCHes from the apiserver_longrunning_requests gauge.
 */
async function requests(verb: string): Promise<number> {
  const text = (await c.raw('GET', '/metrics')).body.toString('utf8');
  const metric = verb === 'WATCH' ? 'apiserver_longrunning_requests{' : 'apiserver_request_total{';
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(metric) && line.includes(`verb="${verb}"`) && line.includes('resource="configmaps"')) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

test('two consumers of one resource share one informer, one LIST and one WATCH', async () => {
  const lists0 = await requests('LIST');
  const watches0 = await requests('WATCH');
  const factory = new SharedInformerFactory(c);
  const first = factory.informerFor(resources.configmaps);
  const second = factory.informerFor(resources.configmaps, { indexers: { byApp: labelIndexFunc('app') } });
  assert.equal(first, second);
  // A different selector is a different watch.
  const selected = factory.informerFor(resources.configmaps, { labelSelector: 'app=x' });
  assert.notEqual(selected, first);

  const seenA: string[] = [];
  const seenB: string[] = [];
  first.addEventHandler({ onAdd: (o) => seenA.push(o.metadata.name!) });
  second.addEventHandler({ onAdd: (o) => seenB.push(o.metadata.name!) });
  factory.start();
  assert.equal(await factory.waitForCacheSync(), true);

  await c.create({ ...resources.configmaps, namespace: 'default' }, { metadata: { name: 'shared', labels: { app: 'x' } } });
  const deadline = Date.now() + 5000;
  while (!(seenA.includes('shared') && seenB.includes('shared') && selected.store.get('default/shared'))) {
    assert.ok(Date.now() < deadline, 'both handlers and the selected informer see the new object');
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.deepEqual(first.store.byIndex('byApp', 'default/x').map((o) => o.metadata.name), ['shared']);

  // Two informers (the shared one and the selected one): two LISTs and two WATCHes, not three.
  assert.equal((await requests('LIST')) - lists0, 2);
  assert.equal((await requests('WATCH')) - watches0, 2);

  // Informers asked for after start() start at once.
  const late = factory.informerFor(resources.configmaps, { namespace: 'default' });
  assert.equal(await late.waitForSync(AbortSignal.timeout(5000)), true);
  assert.ok(late.store.get('default/shared'));
  factory.shutdown();
});

test('a second transform for a shared informer is refused', () => {
  const factory = new SharedInformerFactory(c);
  factory.informerFor(resources.services, { transform: (o) => o });
  assert.throws(() => factory.informerFor(resources.services, { transform: (o) => ({ ...o }) }), /different transform/);
});
