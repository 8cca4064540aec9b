// Request bodies that must neither crash nor corrupt the server: keys named like Object.prototype
// members (__proto__, constructor, toString) in every decoder (JSON, YAML, protobuf) and every
// patch type (JSON patch, merge patch, strategic merge patch, server-side apply), and bodies
// nested deeper than Go's decoder allows (10000 levels) or expanding through YAML aliases.
// The server runs in this process, so Object.prototype is checked directly after every request.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { useTestServer } from './helpers/apiserver.js';
import { ApiClient, type ApiResponse } from './helpers/http.js';

const NS = '/api/v1/namespaces/default';
const CM = `${NS}/configmaps`;
const SVC = `${NS}/services`;
const PROTO_KEYS = ['__proto__', 'constructor', 'toString'] as const;
const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const SMP = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';

/** A JSON object text with `key` as an own member (JSON.stringify of {__proto__: …} drops it). */
const member = (key: string, valueJSON: string) => `{${JSON.stringify(key)}:${valueJSON}}`;
const polluter = '{"polluted":"yes","toString":"x","constructor":"y"}';

const BASELINE = Object.getOwnPropertyNames(Object.prototype).sort();

/** Object.prototype untouched, and the server still answers. */
async function assertHealthy(api: ApiClient, what: string): Promise<void> {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), BASELINE, `Object.prototype changed after ${what}`);
  assert.equal(({} as Record<string, unknown>).polluted, undefined, what);
  assert.equal(typeof ({}).toString, 'function', what);
  const ready = await api.get('/readyz');
  assert.equal(ready.status, 200, `readyz after ${what}: ${ready.text}`);
}

function assertNot500(r: ApiResponse, what: string): void {
  assert.ok(r.status < 500, `${what}: ${r.status} ${r.text}`);
  if (r.status >= 400) {
    assert.equal(r.body?.kind, 'Status', `${what}: ${r.text}`);
    assert.equal(r.body?.status, 'Failure');
  }
}

// ---- protobuf bodies (k8s\0 + runtime.Unknown), field numbers from k8s.io/api generated.proto ----
type PB = readonly [number, string | Uint8Array];
function msg(...fields: readonly PB[]): Uint8Array {
  const w = protobuf.Writer.create();
  for (const [id, v] of fields) {
    if (typeof v === 'string') w.uint32((id << 3) | 2).string(v);
    else w.uint32((id << 3) | 2).bytes(v);
  }
  return w.finish();
}
const entry = (k: string, v: string) => msg([1, k], [2, v]);
function protoConfigMap(name: string, labels: readonly [string, string][], data: readonly [string, string][]): Buffer {
  // ObjectMeta: name=1, namespace=3, labels=11; ConfigMap: metadata=1, data=2.
  const meta = msg([1, name], [3, 'default'], ...labels.map(([k, v]): PB => [11, entry(k, v)]));
  const raw = msg([1, meta], ...data.map(([k, v]): PB => [2, entry(k, v)]));
  const unknown = msg([1, msg([1, 'v1'], [2, 'ConfigMap'])], [2, raw]);
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}

describe('hardening: request bodies', () => {
  const t = useTestServer();

  it('create (JSON): prototype-named keys are unknown fields, or ordinary map keys', async () => {
    for (const key of PROTO_KEYS) {
      const name = `create-${key.replace(/_/g, '')}`.toLowerCase();
      // At the top, under metadata and in a nested struct: unknown fields (Strict names them).
      for (const [where, text] of [
        ['top', `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},${member(key, polluter).slice(1, -1)}}`],
        ['metadata', `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}",${member(key, polluter).slice(1, -1)}}}`],
      ] as const) {
        const strict = await t.api.post(`${CM}?fieldValidation=Strict`, text);
        assert.equal(strict.status, 400, `${key} at ${where}: ${strict.text}`);
        const field = where === 'top' ? key : `metadata.${key}`;
        assert.equal(strict.body.message, `ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field ${JSON.stringify(field)}`);
        await assertHealthy(t.api, `Strict create with ${key} at ${where}`);
        const warn = await t.api.post(CM, text);
        assert.equal(warn.status, 201, `${key} at ${where}: ${warn.text}`);
        assert.equal(Object.hasOwn(where === 'top' ? warn.body : warn.body.metadata, key), false, 'unknown field dropped');
        assert.equal(warn.headers.warning, `299 - "unknown field \\"${field}\\""`);
        await assertHealthy(t.api, `create with ${key} at ${where}`);
        assert.equal((await t.api.delete(`${CM}/${name}`)).status, 200);
      }
      const svc = `{"apiVersion":"v1","kind":"Service","metadata":{"name":"${name}"},"spec":{"ports":[${member(key, polluter).slice(0, -1)},"port":80}],${member(key, polluter).slice(1, -1)}}}`;
      const r = await t.api.post(`${SVC}?fieldValidation=Strict`, svc);
      assert.equal(r.status, 400, r.text);
      assert.equal(
        r.body.message,
        // In document order, as sigs.k8s.io/json saves them.
        `Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.ports[0].${key}", unknown field "spec.${key}"`,
      );
      await assertHealthy(t.api, `Service with ${key} under spec`);
    }
  });

  it('constructor and toString are valid label keys and ConfigMap keys that round-trip; __proto__ as a data key too', async () => {
    const text = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"keys","labels":{"constructor":"a","toString":"b"},"annotations":{"constructor":"c"}},"data":{"__proto__":"p","constructor":"q","toString":"r"}}`;
    const r = await t.api.post(`${CM}?fieldValidation=Strict`, text);
    assert.equal(r.status, 201, r.text);
    await assertHealthy(t.api, 'create with prototype-named map keys');
    const got = await t.api.get(`${CM}/keys`);
    assert.deepEqual(got.body.metadata.labels, { constructor: 'a', toString: 'b' });
    assert.deepEqual(got.body.metadata.annotations, { constructor: 'c' });
    assert.equal(got.text.includes('"data":{"__proto__":"p","constructor":"q","toString":"r"}'), true, got.text);
    // A Go client (kubectl) decodes what was stored.
    const yaml = await t.s.kubectl.ok(['get', 'configmap', 'keys', '-o', 'yaml']);
    assert.match(yaml, /__proto__: p/);
    assert.match(yaml, /constructor: a/);
    const described = await t.s.kubectl.ok(['describe', 'configmap', 'keys']);
    assert.match(described, /constructor=a/);
    // Label selectors see the key as a label like any other, and only where it is set.
    const sel = await t.api.get(`${CM}?labelSelector=constructor`);
    assert.equal(sel.status, 200, sel.text);
    assert.deepEqual(sel.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['keys']);
    const none = await t.api.get(`${CM}?labelSelector=${encodeURIComponent('hasOwnProperty')}`);
    assert.deepEqual(none.body.items, []);
  });

  it('__proto__ is not a valid label key: 422 from validation, not a 500', async () => {
    const r = await t.api.post(CM, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"bad-label","labels":{"__proto__":"x"}}}`);
    assert.equal(r.status, 422, r.text);
    assert.match(r.body.message, /metadata\.labels: Invalid value: "__proto__": name part must consist of alphanumeric characters/);
    await assertHealthy(t.api, 'label __proto__');
  });

  it('every patch type treats prototype-named keys as ordinary keys', async () => {
    const cases: { type: string; body: (key: string) => string; expect: (key: string, r: ApiResponse) => void }[] = [
      {
        type: MERGE_PATCH,
        body: (key) => `{"metadata":{"labels":{"${key === '__proto__' ? 'p' : key}":"m"},${member(key, polluter).slice(1, -1)}},${member(key, polluter).slice(1, -1)},"data":${member(key, '"dm"')}}`,
        expect: (key, r) => {
          assert.equal(r.status, 200, r.text);
          assert.equal(r.body.data[key], 'dm');
          assert.equal(Object.hasOwn(r.body, key), false);
          assert.equal(Object.hasOwn(r.body.metadata, key), false);
        },
      },
      {
        type: SMP,
        body: (key) => `{"metadata":{"labels":{"${key === '__proto__' ? 'p' : key}":"s"},${member(key, polluter).slice(1, -1)}},${member(key, polluter).slice(1, -1)},"data":${member(key, '"ds"')}}`,
        expect: (key, r) => {
          assert.equal(r.status, 200, r.text);
          assert.equal(r.body.data[key], 'ds');
          assert.equal(Object.hasOwn(r.body.metadata, key), false);
        },
      },
      {
        type: JSON_PATCH,
        body: (key) => JSON.stringify([{ op: 'add', path: `/data/${key}`, value: 'dj' }]),
        expect: (key, r) => {
          // fast-json-patch refuses any "__proto__" path segment: a 422, never a write.
          if (key === '__proto__') assert.equal(r.status, 422, r.text);
          else {
            assert.equal(r.status, 200, r.text);
            assert.equal(r.body.data[key], 'dj');
          }
        },
      },
      {
        type: JSON_PATCH,
        body: (key) => JSON.stringify([{ op: 'add', path: `/${key}/polluted`, value: 'yes' }, { op: 'add', path: `/metadata/${key}/polluted`, value: 'yes' }]),
        expect: (_key, r) => assert.equal(r.status, 422, r.text),
      },
      {
        type: APPLY,
        body: (key) =>
          `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: patched\n  labels:\n    ${key === '__proto__' ? 'p' : key}: a\n  ${key}:\n    polluted: "yes"\n${key}:\n  polluted: "yes"\ndata:\n  ${key}: da\n`,
        expect: (key, r) => {
          assert.equal(r.status, 200, r.text);
          assert.equal(r.body.data[key], 'da');
          assert.equal(Object.hasOwn(r.body, key), false);
        },
      },
    ];
    assert.equal((await t.api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'patched' }, data: { a: 'b' } })).status, 201);
    for (const key of PROTO_KEYS) {
      for (const c of cases) {
        const q = c.type === APPLY ? '?fieldManager=hardening&force=true' : '';
        const r = await t.api.request('PATCH', `${CM}/patched${q}`, c.body(key), { 'content-type': c.type });
        assertNot500(r, `${c.type} with ${key}`);
        c.expect(key, r);
        await assertHealthy(t.api, `${c.type} with ${key}`);
      }
    }
    // Patches that nest the keys deeper in maps of the Service spec (selector, ports).
    assert.equal((await t.api.post(SVC, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'patched' }, spec: { ports: [{ port: 80 }] } })).status, 201);
    for (const key of PROTO_KEYS) {
      for (const type of [MERGE_PATCH, SMP]) {
        const r = await t.api.request('PATCH', `${SVC}/patched`, `{"spec":{${member(key, polluter).slice(1, -1)},"ports":[{"port":80,${member(key, polluter).slice(1, -1)}}]}}`, { 'content-type': type });
        assertNot500(r, `${type} spec with ${key}`);
        assert.equal(r.status, 200, r.text);
        assert.equal(Object.hasOwn(r.body.spec, key), false);
        await assertHealthy(t.api, `${type} spec with ${key}`);
      }
    }
    // Everything stored still decodes in a Go client.
    await t.s.kubectl.ok(['get', 'configmap,service', '-o', 'yaml']);
    await t.s.kubectl.ok(['describe', 'configmap', 'patched']);
    await t.s.kubectl.ok(['describe', 'service', 'patched']);
  });

  it('YAML and protobuf bodies keep prototype-named keys as plain keys', async () => {
    const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\n  __proto__:\n    polluted: "yes"\n  labels:\n    constructor: y\n__proto__:\n  polluted: "yes"\ndata:\n  __proto__: yp\n  toString: yt\n`;
    const r = await t.api.request('POST', CM, yaml, { 'content-type': 'application/yaml' });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.body.metadata.labels, { constructor: 'y' });
    assert.equal(r.body.data.__proto__, 'yp');
    await assertHealthy(t.api, 'YAML create');

    const pb = await t.api.request('POST', CM, protoConfigMap('from-proto', [['constructor', 'pc']], [['__proto__', 'pp'], ['toString', 'pt']]), {
      'content-type': 'application/vnd.kubernetes.protobuf',
    });
    assert.equal(pb.status, 201, pb.text);
    assert.deepEqual(pb.body.metadata.labels, { constructor: 'pc' });
    assert.equal(Object.hasOwn(pb.body.data, '__proto__'), true, pb.text);
    assert.equal(pb.body.data.__proto__, 'pp');
    await assertHealthy(t.api, 'protobuf create');
    await t.s.kubectl.ok(['get', 'configmap', 'from-yaml', 'from-proto', '-o', 'yaml']);
  });

  it('JSON nested deeper than 10000 levels is a 400 with Go\'s message; 10000 levels decode', async () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const create = (inner: string) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"bogus":${inner}}`;
    const r = await t.api.post(CM, create(deep(10000)));
    assert.equal(r.status, 400, r.text.slice(0, 300));
    assert.equal(
      r.body.message,
      `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: invalid character '[' exceeded max depth ({"apiVersion":"v1","kind":"Con ...)`,
    );
    await assertHealthy(t.api, 'deep create');
    // 9999 arrays inside the object (10000 levels with it) are within Go's limit: the unknown
    // field is dropped and the object stored.
    const ok = await t.api.post(CM, create(deep(9999)));
    assert.equal(ok.status, 201, ok.text.slice(0, 300));
    assert.equal(Object.hasOwn(ok.body, 'bogus'), false);
    await assertHealthy(t.api, 'deep unknown field');

    for (const [type, body] of [
      [MERGE_PATCH, `{"data":{"a":"b"},"x":${deep(10001)}}`],
      [SMP, `{"x":${'{"a":'.repeat(10001)}1${'}'.repeat(10001)}}`],
      [JSON_PATCH, `[{"op":"add","path":"/x","value":${deep(10001)}}]`],
    ] as const) {
      const p = await t.api.request('PATCH', `${CM}/deep`, body, { 'content-type': type });
      assert.equal(p.status, 400, `${type}: ${p.text.slice(0, 300)}`);
      assert.match(p.body.message, /exceeded max depth/);
      await assertHealthy(t.api, `deep ${type}`);
    }
    // A deep value inside a patch, within the limit, in a field the type does not have: dropped.
    const mp = await t.api.request('PATCH', `${CM}/deep`, `{"data":{"c":"d"},"x":${deep(5000)}}`, { 'content-type': MERGE_PATCH });
    assertNot500(mp, 'merge patch with a 5000-deep unknown field');
    await assertHealthy(t.api, 'deep merge patch within the limit');
    await t.s.kubectl.ok(['get', 'configmap', 'deep', '-o', 'yaml']);
  });

  it('YAML alias bombs and deep YAML are 400s', async () => {
    const rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 8; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      rows.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n  annotations:\n${rows.map((r) => `    ${r}`).join('\n')}\n`;
    const r = await t.api.request('POST', CM, bomb, { 'content-type': 'application/yaml' });
    assert.equal(r.status, 400, r.text.slice(0, 300));
    await assertHealthy(t.api, 'YAML alias bomb');
    const applied = await t.api.request('PATCH', `${CM}/bomb?fieldManager=t`, bomb, { 'content-type': APPLY });
    assert.equal(applied.status, 400, applied.text.slice(0, 300));
    await assertHealthy(t.api, 'YAML alias bomb apply');

    const deep = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deepyaml\nx: ${'['.repeat(10001)}${']'.repeat(10001)}\n`;
    const d = await t.api.request('POST', CM, deep, { 'content-type': 'application/yaml' });
    assert.equal(d.status, 400, d.text.slice(0, 300));
    await assertHealthy(t.api, 'deep YAML');
  });
});
