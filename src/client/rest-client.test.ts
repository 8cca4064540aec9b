import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test/helpers/apiserver.js';
import type { KubeObject } from '../api/meta.js';
import { ApiError, isAlreadyExists, isConflict, isGone, isInvalid, isNotFound } from './api-error.js';
import { resources } from './resource-path.js';
import { RestClient } from './rest-client.js';
import type { WatchEvent } from './watch-stream.js';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => {
  await s.stop();
});

const transports = [
  ['HTTPS (HTTP/2) with the kubeconfig', () => RestClient.fromKubeconfig(s.cp.kubeconfigPath, undefined, { component: 'test' })],
  ['the unix socket (HTTP/1.1)', () => RestClient.fromUnixSocket(s.cp.socketPath, { component: 'test' })],
] as const;

for (const [label, make] of transports) {
  describe(`RestClient over ${label}`, () => {
    test('create, get, list, update, patch, delete round trip', async () => {
      const c = make();
      try {
        const ns = `rt-${label.startsWith('HTTPS') ? 'h2' : 'unix'}`;
        await c.create(resources.namespaces, { metadata: { name: ns } });
        const cms = { ...resources.configmaps, namespace: ns };
        const created = await c.create(cms, { metadata: { name: 'a', labels: { app: 'x' } }, data: { k: 'v1' } });
        assert.equal(created.metadata.name, 'a');
        assert.match(created.metadata.resourceVersion ?? '', /^\d+$/);

        const got = await c.get({ ...cms, name: 'a' });
        assert.deepEqual(got.data, { k: 'v1' });

        await c.create(cms, { metadata: { name: 'b' }, data: {} });
        const list = await c.list(cms, { labelSelector: 'app=x' });
        assert.equal(list.kind, 'ConfigMapList');
        assert.deepEqual(list.items.map((i) => i.metadata.name), ['a']);

        const updated = await c.update({ ...cms, name: 'a' }, { ...got, data: { k: 'v2' } });
        assert.equal((updated.data as Record<string, string>).k, 'v2');
        assert.notEqual(updated.metadata.resourceVersion, got.metadata.resourceVersion);

        const patched = await c.patch({ ...cms, name: 'a' }, { data: { extra: 'y' } }, 'merge');
        assert.deepEqual(patched.data, { k: 'v2', extra: 'y' });
        const jsonPatched = await c.patch({ ...cms, name: 'a' }, [{ op: 'remove', path: '/data/extra' }], 'json');
        assert.deepEqual(jsonPatched.data, { k: 'v2' });

        await c.delete({ ...cms, name: 'a' });
        await assert.rejects(c.get({ ...cms, name: 'a' }), (e) => isNotFound(e));
      } finally {
        c.close();
      }
    });

    test('errors are typed ApiErrors carrying the Status', async () => {
      const c = make();
      try {
        const cms = { ...resources.configmaps, namespace: 'default' };
        const name = `err-${Math.random().toString(36).slice(2, 8)}`;
        const first = await c.create(cms, { metadata: { name } });

        const exists = await c.create(cms, { metadata: { name } }).then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(exists instanceof ApiError);
        assert.ok(isAlreadyExists(exists) && !isConflict(exists) && !isNotFound(exists));
        assert.equal(exists.code, 409);
        assert.equal(exists.status.message, `configmaps "${name}" already exists`);

        await c.update({ ...cms, name }, { ...first, data: { a: '1' } });
        // The stale resourceVersion must be refused with 409 Conflict, not AlreadyExists.
        await assert.rejects(c.update({ ...cms, name }, { ...first, data: { a: '2' } }), (e) => isConflict(e) && !isAlreadyExists(e) && (e as ApiError).code === 409);

        await assert.rejects(c.get({ ...cms, name: 'does-not-exist' }), (e) => {
          assert.ok(isNotFound(e));
          assert.equal((e as ApiError).reason, 'NotFound');
          assert.equal((e as ApiError).message, 'configmaps "does-not-exist" not found');
          return true;
        });
        await assert.rejects(c.create(cms, { metadata: { name: 'Not_Valid' } }), (e) => isInvalid(e) && (e as ApiError).code === 422);
      } finally {
        c.close();
      }
    });

    test('watch streams events, ends on timeoutSeconds and stops on abort', async () => {
      const c = make();
      try {
        const cms = { ...resources.configmaps, namespace: 'default' };
        const start = await c.list(cms);
        const events: WatchEvent<KubeObject>[] = [];
        const t0 = Date.now();
        const ended = c.watch(cms, { resourceVersion: start.metadata.resourceVersion, timeoutSeconds: 1 }, (ev) => events.push(ev));
        await c.create(cms, { metadata: { name: 'w1' } });
        await c.patch({ ...cms, name: 'w1' }, { data: { x: '1' } });
        await c.delete({ ...cms, name: 'w1' });
        await ended; // the server closes the stream after timeoutSeconds
        assert.ok(Date.now() - t0 >= 900, 'the stream lasted until the server timeout');
        assert.deepEqual(
          events.map((e) => `${e.type} ${e.type === 'ERROR' ? '' : e.object.metadata.name}`),
          ['ADDED w1', 'MODIFIED w1', 'DELETED w1'],
        );

        const ac = new AbortController();
        const long = c.watch(cms, { timeoutSeconds: 60 }, () => {}, ac.signal);
        setTimeout(() => ac.abort(), 100);
        const t1 = Date.now();
        await long; // resolves (not rejects) on abort
        assert.ok(Date.now() - t1 < 5000);
      } finally {
        c.close();
      }
    });

    test('a watch from a compacted resourceVersion gets a 410 ERROR event', async () => {
      const c = make();
      try {
        const cms = { ...resources.configmaps, namespace: 'default' };
        const old = (await c.list(cms)).metadata.resourceVersion!;
        await c.create(cms, { metadata: { generateName: 'gone-' } });
        await s.cp.storage.compact(await s.cp.storage.currentRevision());
        const events: WatchEvent<KubeObject>[] = [];
        await c.watch(cms, { resourceVersion: old }, (ev) => events.push(ev));
        assert.equal(events.length, 1);
        const ev = events[0]!;
        assert.equal(ev.type, 'ERROR');
        assert.ok(ev.type === 'ERROR' && isGone(new ApiError(ev.object)));
      } finally {
        c.close();
      }
    });
  });
}

test('raw() reaches non-resource paths', async () => {
  const c = RestClient.fromKubeconfig(s.cp.kubeconfigPath, undefined, { component: 'ua-probe' });
  try {
    const res = await c.raw('GET', '/version');
    assert.equal(res.status, 200);
    assert.ok(JSON.parse(res.body.toString()).gitVersion);
  } finally {
    c.close();
  }
});

test('one HTTP/2 session carries concurrent requests', async () => {
  const c = RestClient.fromKubeconfig(s.cp.kubeconfigPath);
  try {
    const results = await Promise.all(Array.from({ length: 20 }, () => c.list(resources.namespaces)));
    assert.equal(results.length, 20);
    for (const r of results) assert.ok(r.items.some((n) => n.metadata.name === 'default'));
  } finally {
    c.close();
  }
});
