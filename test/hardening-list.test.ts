// List parameters a client can get wrong or forge: limit, resourceVersion, resourceVersionMatch
// and continue. Each gets upstream's Status (never a 500) and the server keeps answering.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './helpers/apiserver.js';
import { ApiClient } from './helpers/http.js';

const NS = '/api/v1/namespaces';
const CM = `${NS}/default/configmaps`;

function status(code: number, reason: string, message: string, details?: Record<string, unknown>) {
  const s: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason };
  if (details) s.details = details;
  s.code = code;
  return s;
}

function token(tok: unknown): string {
  return Buffer.from(JSON.stringify(tok)).toString('base64url');
}

describe('hardening: list parameters', () => {
  let s: TestServer;
  let api: ApiClient;
  before(async () => {
    s = await startTestServer();
    api = new ApiClient(s.cp.url, s.dataDir);
    for (const name of ['a', 'b', 'c']) assert.equal((await api.post(CM, { metadata: { name, labels: { app: 'x' } } })).status, 201);
  });
  after(async () => {
    api?.close();
    await s?.stop();
  });
  afterEach(async () => {
    // Whatever a request did, the server must still be ready.
    assert.equal((await api.get('/readyz')).status, 200);
  });

  it('answers a limit that is not an int64 with the parameter codec 400', async () => {
    const cases: [string, string][] = [
      ['99999999999999999999', 'strconv.ParseInt: parsing "99999999999999999999": value out of range'],
      ['abc', 'strconv.ParseInt: parsing "abc": invalid syntax'],
      ['1.5', 'strconv.ParseInt: parsing "1.5": invalid syntax'],
      ['', 'strconv.ParseInt: parsing "": invalid syntax'],
    ];
    for (const [limit, message] of cases) {
      for (const extra of ['', '&labelSelector=app%3Dx']) {
        const r = await api.get(`${CM}?limit=${encodeURIComponent(limit)}${extra}`);
        assert.equal(r.status, 400, `limit=${limit}${extra}: ${r.text}`);
        assert.deepEqual(r.body, status(400, 'BadRequest', message));
      }
    }
  });

  it('shows kubectl the 400 text, and kubectl still pages through lists', async () => {
    const r = await s.kubectl.run(['get', '--raw', `${CM}?limit=99999999999999999999`]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(BadRequest\): strconv\.ParseInt: parsing "99999999999999999999": value out of range/);
    const names = await s.kubectl.ok(['get', 'configmaps', '-n', 'default', '--chunk-size=1', '-o', 'name']);
    for (const n of ['a', 'b', 'c']) assert.match(names, new RegExp(`^configmap/${n}$`, 'm'));
  });

  it('treats a negative limit as no limit, and serves the largest int64 limit', async () => {
    for (const limit of ['-1', '9223372036854775807', '-9223372036854775808']) {
      for (const extra of ['', '&labelSelector=app%3Dx']) {
        const r = await api.get(`${CM}?limit=${limit}${extra}`);
        assert.equal(r.status, 200, `limit=${limit}${extra}: ${r.text}`);
        assert.deepEqual(r.body.items.map((i: any) => i.metadata.name), ['a', 'b', 'c']);
        assert.equal(r.body.metadata.continue, undefined);
      }
    }
  });

  it('answers an unparseable resourceVersion with 400 on list and get', async () => {
    const message = 'invalid resource version: resourceVersion: Invalid value: "garbage": strconv.ParseUint: parsing "garbage": invalid syntax';
    for (const path of [`${CM}?resourceVersion=garbage`, `${CM}?resourceVersion=garbage&labelSelector=app%3Dx`, `${CM}/a?resourceVersion=garbage`]) {
      const r = await api.get(path);
      assert.equal(r.status, 400, `${path}: ${r.text}`);
      assert.deepEqual(r.body, status(400, 'BadRequest', message));
    }
    const neg = await api.get(`${CM}?resourceVersion=-5`);
    assert.equal(neg.status, 400);
    assert.match(neg.body.message, /strconv\.ParseUint: parsing "-5": invalid syntax$/);
  });

  it('validates resourceVersionMatch as ListOptions validation does (422)', async () => {
    const invalid = (field: string, type: string, body: string) =>
      status(422, 'Invalid', `ListOptions.meta.k8s.io "" is invalid: ${field}: ${body}`, {
        name: '',
        group: 'meta.k8s.io',
        kind: 'ListOptions',
        causes: [{ reason: type, message: body, field }],
      });
    let r = await api.get(`${CM}?resourceVersion=1&resourceVersionMatch=bogus`);
    assert.equal(r.status, 422);
    assert.deepEqual(r.body, invalid('resourceVersionMatch', 'FieldValueNotSupported', 'Unsupported value: "bogus": supported values: "Exact", "NotOlderThan", ""'));
    r = await api.get(`${CM}?resourceVersionMatch=Exact`);
    assert.equal(r.status, 422);
    assert.deepEqual(r.body, invalid('resourceVersionMatch', 'FieldValueForbidden', 'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided'));
    r = await api.get(`${CM}?resourceVersion=0&resourceVersionMatch=Exact`);
    assert.equal(r.status, 422);
    assert.deepEqual(r.body, invalid('resourceVersionMatch', 'FieldValueForbidden', 'Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    r = await api.get(`${CM}?resourceVersion=1&resourceVersionMatch=NotOlderThan&continue=abc`);
    assert.equal(r.status, 422);
    assert.deepEqual(r.body, invalid('resourceVersionMatch', 'FieldValueForbidden', 'Forbidden: resourceVersionMatch is forbidden when continue is provided'));
  });

  it('serves resourceVersionMatch=Exact as the snapshot at that revision, and 410 once compacted', async () => {
    const first = await api.post(CM, { metadata: { name: 'snap-1', labels: { app: 'snap' } } });
    const rv = first.body.metadata.resourceVersion as string;
    assert.equal((await api.post(CM, { metadata: { name: 'snap-2', labels: { app: 'snap' } } })).status, 201);
    assert.equal((await api.delete(`${CM}/snap-1`)).status, 200);
    for (const extra of ['', '&labelSelector=app%3Dsnap']) {
      const r = await api.get(`${CM}?resourceVersion=${rv}&resourceVersionMatch=Exact${extra}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.metadata.resourceVersion, rv);
      const names = r.body.items.map((i: any) => i.metadata.name);
      assert.ok(names.includes('snap-1') && !names.includes('snap-2'), names.join(','));
    }
    // NotOlderThan is served at the latest revision.
    const latest = await api.get(`${CM}?resourceVersion=${rv}&resourceVersionMatch=NotOlderThan&labelSelector=app%3Dsnap`);
    assert.deepEqual(latest.body.items.map((i: any) => i.metadata.name), ['snap-2']);

    await s.cp.storage.compact(await s.cp.storage.currentRevision());
    for (const extra of ['', '&labelSelector=app%3Dsnap']) {
      const r = await api.get(`${CM}?resourceVersion=${rv}&resourceVersionMatch=Exact${extra}`);
      assert.equal(r.status, 410, r.text);
      assert.deepEqual(r.body, status(410, 'Expired', 'The resourceVersion for the provided list is too old.'));
    }
  });

  it('waits for a future resourceVersion, then answers 504 Too large resource version', async () => {
    const current = Number((await api.get(CM)).body.metadata.resourceVersion);
    const future = current + 1000;
    const paths = [`${CM}?resourceVersion=${future}`, `${CM}?resourceVersion=${future}&resourceVersionMatch=Exact&labelSelector=app%3Dx`, `${CM}/a?resourceVersion=${future}`];
    const started = Date.now();
    const results = await Promise.all(paths.map((p) => api.get(p)));
    assert.ok(Date.now() - started >= 2500, 'the server waits for the revision before giving up');
    for (const r of results) {
      assert.equal(r.status, 504, r.text);
      const cur = Number(/current: (\d+)$/.exec(r.body.message)?.[1]);
      assert.ok(cur >= current);
      assert.deepEqual(
        r.body,
        status(504, 'Timeout', `Timeout: Too large resource version: ${future}, current: ${cur}`, {
          causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
          retryAfterSeconds: 1,
        }),
      );
    }
    // A uint64 beyond 2^53 is still a (future) resourceVersion, not a crash.
    const huge = await api.get(`${CM}?resourceVersion=18446744073709551615`);
    assert.equal(huge.status, 504);
    assert.match(huge.body.message, /^Timeout: Too large resource version: 18446744073709551615, current: \d+$/);
  });

  it('serves a future resourceVersion that arrives within the wait', async () => {
    const current = Number((await api.get(CM)).body.metadata.resourceVersion);
    const list = api.get(`${CM}?resourceVersion=${current + 1}`);
    const get = api.get(`${CM}/a?resourceVersion=${current + 1}`);
    assert.equal((await api.post(CM, { metadata: { name: 'arrives' } })).status, 201);
    const [l, g] = await Promise.all([list, get]);
    assert.equal(l.status, 200, l.text);
    assert.ok(Number(l.body.metadata.resourceVersion) >= current + 1);
    assert.equal(g.status, 200, g.text);
    assert.equal(g.body.metadata.name, 'a');
  });

  it('rejects forged continue tokens with 400, never 500', async () => {
    const rv = Number((await api.get(CM)).body.metadata.resourceVersion);
    const cases: [string, string][] = [
      ['!!!', 'illegal base64 data at input byte 0'],
      ['abcde', 'illegal base64 data at input byte 4'],
      [Buffer.from('not json').toString('base64url'), 'invalid character in JSON input'],
      [token([1, 2]), 'json: cannot unmarshal array into Go value of type storage.continueToken'],
      [token({ v: 'meta.k8s.io/v1', rv: 'x', start: 'a' }), 'json: cannot unmarshal string into Go struct field continueToken.rv of type int64'],
      [token({ v: 'meta.k8s.io/v1', rv: 1.5, start: 'a' }), 'json: cannot unmarshal number 1.5 into Go struct field continueToken.rv of type int64'],
      [token({ v: 'v2', rv, start: 'a' }), 'server does not recognize this encoded version "v2"'],
      [token({ v: 'meta.k8s.io/v1', rv: 0, start: 'a' }), 'incorrect encoded start resourceVersion (version meta.k8s.io/v1)'],
      [token({ v: 'meta.k8s.io/v1', rv, start: '' }), 'encoded start key empty (version meta.k8s.io/v1)'],
      // Start keys that would range outside the list's prefix.
      [token({ v: 'meta.k8s.io/v1', rv, start: '../kube-system/x' }), '../kube-system/x'],
      [token({ v: 'meta.k8s.io/v1', rv, start: '/../../secrets/kube-system/x' }), '/../../secrets/kube-system/x'],
    ];
    for (const [tok, detail] of cases) {
      for (const extra of ['', '&labelSelector=app%3Dx', '&limit=1']) {
        const r = await api.get(`${CM}?continue=${encodeURIComponent(tok)}${extra}`);
        assert.equal(r.status, 400, `${tok}: ${r.text}`);
        assert.deepEqual(r.body, status(400, 'BadRequest', `invalid continue token: continue key is not valid: ${detail}`));
      }
    }
    const withRV = await api.get(`${CM}?limit=1&continue=${token({ v: 'meta.k8s.io/v1', rv, start: 'a\u0000' })}&resourceVersion=${rv}`);
    assert.deepEqual(withRV.body, status(400, 'BadRequest', 'specifying resource version is not allowed when using continue'));
  });

  it('keeps a continue token inside the namespace it is used on', async () => {
    assert.equal((await api.post(NS, { metadata: { name: 'other' } })).status, 201);
    assert.equal((await api.post(`${NS}/other/configmaps`, { metadata: { name: 'secret-ish' } })).status, 201);
    const page = await api.get(`${CM}?limit=1`);
    assert.ok(page.body.metadata.continue);
    // A token from "default" used on "other", and a hand-made one naming default's keys from "other".
    const rv = Number(page.body.metadata.resourceVersion);
    for (const tok of [page.body.metadata.continue, token({ v: 'meta.k8s.io/v1', rv, start: 'a' })]) {
      const r = await api.get(`${NS}/other/configmaps?limit=10&continue=${encodeURIComponent(tok)}`);
      assert.equal(r.status, 200, r.text);
      for (const item of r.body.items) assert.equal(item.metadata.namespace, 'other');
    }
    const fromDefault = await api.get(`${CM}?limit=10&continue=${encodeURIComponent(page.body.metadata.continue)}`);
    for (const item of fromDefault.body.items) assert.equal(item.metadata.namespace, 'default');
  });

  it('answers a compacted continue token with 410 and a token that continues at the latest revision', async () => {
    const first = await api.get(`${CM}?limit=1`);
    assert.equal(first.status, 200);
    const tok = first.body.metadata.continue as string;
    assert.ok(tok);
    assert.equal((await api.post(CM, { metadata: { name: 'zz-after-compaction' } })).status, 201);
    await s.cp.storage.compact(await s.cp.storage.currentRevision());
    for (const extra of ['', '&labelSelector=app%3Dx']) {
      const r = await api.get(`${CM}?limit=1&continue=${encodeURIComponent(tok)}${extra}`);
      assert.equal(r.status, 410, r.text);
      assert.equal(r.body.reason, 'Expired');
      assert.match(r.body.message, /^The provided continue parameter is too old to display a consistent list result\./);
      const next = r.body.metadata.continue as string;
      assert.equal(JSON.parse(Buffer.from(next, 'base64url').toString()).rv, -1);
      const rest = await api.get(`${CM}?limit=100&continue=${encodeURIComponent(next)}${extra}`);
      assert.equal(rest.status, 200, rest.text);
      const names = rest.body.items.map((i: any) => i.metadata.name);
      assert.ok(!names.includes(first.body.items[0].metadata.name), 'continues after the first page');
      if (!extra) assert.ok(names.includes('zz-after-compaction'), 'reads the latest revision');
    }
  });

  it('answers a forged continue token naming a future revision with 504, not 500', async () => {
    const rv = Number((await api.get(CM)).body.metadata.resourceVersion);
    for (const extra of ['', '&labelSelector=app%3Dx']) {
      const r = await api.get(`${CM}?limit=1&continue=${token({ v: 'meta.k8s.io/v1', rv: rv + 10_000, start: 'a' })}${extra}`);
      assert.equal(r.status, 504, r.text);
      assert.equal(r.body.reason, 'Timeout');
      assert.deepEqual(r.body.details.causes, [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }]);
    }
  });
});
