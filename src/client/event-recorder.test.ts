import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test/helpers/apiserver.js';
import type { KubeObject } from '../api/meta.js';
import { FakeClock } from './clock.js';
import { EventRecorder } from './event-recorder.js';
import { resources } from './resource-path.js';
import { RestClient } from './rest-client.js';

let s: TestServer;
let c: RestClient;
before(async () => {
  s = await startTestServer();
  c = RestClient.fromUnixSocket(s.cp.socketPath, { component: 'event-test' });
});
after(async () => {
  c.close();
  await s.stop();
});

async function eventsFor(obj: KubeObject): Promise<KubeObject[]> {
  const list = await c.list({ ...resources.events, namespace: obj.metadata.namespace ?? 'default' }, { fieldSelector: `involvedObject.name=${obj.metadata.name}` });
  return list.items.sort((a, b) => String(a.reason).localeCompare(String(b.reason)) || String(a.message).localeCompare(String(b.message)));
}

test('identical events aggregate into one Event with a rising count', async () => {
  const svc = await c.create({ ...resources.services, namespace: 'default' }, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } });
  const clock = new FakeClock(Date.UTC(2025, 4, 1, 12, 0, 0));
  const rec = new EventRecorder(c, { component: 'endpoint-slice-controller', clock });

  await rec.event(svc, 'Warning', 'FailedToUpdateEndpointSlices', 'boom');
  clock.step(30_000);
  await rec.event(svc, 'Warning', 'FailedToUpdateEndpointSlices', 'boom');
  clock.step(30_000);
  await rec.event(svc, 'Warning', 'FailedToUpdateEndpointSlices', 'boom');
  await rec.event(svc, 'Normal', 'Synced', 'ok'); // different reason: its own Event

  let events = await eventsFor(svc);
  assert.equal(events.length, 2);
  const [failed, synced] = events as [KubeObject, KubeObject];
  assert.equal(failed.count, 3);
  assert.equal(failed.type, 'Warning');
  assert.equal(failed.firstTimestamp, '2025-05-01T12:00:00Z');
  assert.equal(failed.lastTimestamp, '2025-05-01T12:01:00Z');
  assert.match(failed.metadata.name!, /^web\.[0-9a-f]+$/);
  // client-go names Events <object>.<UnixNano in hex>.
  assert.equal(BigInt(`0x${failed.metadata.name!.slice(4)}`) / 1_000_000n, BigInt(Date.UTC(2025, 4, 1, 12, 0, 0)));
  assert.deepEqual(failed.involvedObject, {
    kind: 'Service',
    namespace: 'default',
    name: 'web',
    uid: svc.metadata.uid,
    apiVersion: 'v1',
    resourceVersion: svc.metadata.resourceVersion,
  });
  assert.deepEqual(failed.source, { component: 'endpoint-slice-controller' });
  assert.equal(failed.reportingComponent, 'endpoint-slice-controller');
  assert.equal(synced.count, 1);

  // Past the aggregation window the same event starts a new Event.
  clock.step(11 * 60_000);
  await rec.event(svc, 'Warning', 'FailedToUpdateEndpointSlices', 'boom');
  events = await eventsFor(svc);
  assert.deepEqual(events.map((e) => `${e.reason} ${e.count}`).sort(), ['FailedToUpdateEndpointSlices 1', 'FailedToUpdateEndpointSlices 3', 'Synced 1']);
});

test('a deleted aggregated Event is recreated under its name with the count carried on', async () => {
  const cm = await c.create({ ...resources.configmaps, namespace: 'default' }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } });
  const clock = new FakeClock();
  const rec = new EventRecorder(c, { component: 'test-controller', host: 'node-1', clock });
  await rec.event(cm, 'Normal', 'Seen', 'hello');
  const [first] = await eventsFor(cm);
  assert.equal(first!.metadata.name!.startsWith('cfg.'), true);
  assert.deepEqual(first!.source, { component: 'test-controller', host: 'node-1' });
  await c.delete({ ...resources.events, namespace: 'default', name: first!.metadata.name! });
  clock.step(1000);
  await rec.event(cm, 'Normal', 'Seen', 'hello');
  const after = await eventsFor(cm);
  assert.equal(after.length, 1);
  assert.equal(after[0]!.metadata.name, first!.metadata.name);
  assert.equal(after[0]!.count, 2);
});

test('events about cluster-scoped objects go to the default namespace; concurrent repeats aggregate', async () => {
  const node = await c.create(resources.nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
  const rec = new EventRecorder(c, { component: 'kubelet', clock: new FakeClock() });
  await Promise.all(Array.from({ length: 5 }, () => rec.event(node, 'Normal', 'Starting', 'go')));
  const events = await eventsFor(node);
  assert.equal(events.length, 1);
  assert.equal(events[0]!.metadata.namespace, 'default');
  assert.equal(events[0]!.count, 5);
});
