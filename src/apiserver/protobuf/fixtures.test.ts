// Decodes request bodies captured from real kubectl binaries (tools/capture-fixtures.mjs) and checks
// them against the JSON the same command produces: `--dry-run=client -o json` from the same binary,
// or, where there is no dry-run, the JSON body kubectl 1.27 sent (1.27 posts JSON, 1.32+ protobuf).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeKubernetesProtobuf } from './index.js';

// Tests run from dist/src/apiserver/protobuf/; the fixtures stay in the source tree.
const testdata = fileURLToPath(new URL('../../../../src/apiserver/protobuf/testdata/', import.meta.url));

function json(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** What the protobuf body must decode to, or undefined if there is nothing to compare with. */
function expected(version: string, name: string): Record<string, unknown> | undefined {
  const dryRun = `${testdata}${version}/${name}.dry-run.json`;
  if (existsSync(dryRun)) return json(dryRun);
  const legacy = `${testdata}1.27/${name}.json`;
  if (!existsSync(legacy)) return undefined;
  const want = json(legacy);
  if (name === 'debug-copy-pod') {
    // kubectl 1.27 predates the lifecycle `sleep` action (1.29), so its JSON copy lost it.
    const containers = (want.spec as { containers: Array<{ lifecycle?: { preStop?: unknown } }> }).containers;
    containers[0]!.lifecycle!.preStop = { sleep: { seconds: 5 } };
  }
  return want;
}

for (const version of ['1.32', '1.33']) {
  const fixtures = readdirSync(`${testdata}${version}`).filter((f) => f.endsWith('.pb'));
  test(`kubectl ${version} fixtures are present`, () => {
    for (const name of ['create-namespace', 'create-deployment', 'create-service-clusterip', 'create-service-nodeport', 'create-configmap', 'create-serviceaccount', 'debug-copy-pod']) {
      assert.ok(fixtures.includes(`${name}.pb`), `${version}/${name}.pb`);
    }
  });
  for (const file of fixtures) {
    const name = file.slice(0, -3);
    test(`kubectl ${version} ${name}: protobuf body decodes to the JSON kubectl would send`, () => {
      const body = readFileSync(`${testdata}${version}/${file}`);
      const decoded = decodeKubernetesProtobuf(body);
      const want = expected(version, name);
      assert.ok(want, `no JSON reference for ${name}`);
      assert.equal(decoded.apiVersion, want.apiVersion);
      assert.equal(decoded.kind, want.kind);
      assert.deepEqual(decoded.object, want);
    });
  }
}

test('create deployment: replicas, selector, template and empty strategy/status survive', () => {
  const { object } = decodeKubernetesProtobuf(readFileSync(`${testdata}1.32/create-deployment.pb`));
  const spec = object.spec as Record<string, any>;
  assert.equal(spec.replicas, 2);
  assert.deepEqual(spec.selector, { matchLabels: { app: 'web' } });
  assert.equal(spec.template.spec.containers[0].image, 'nginx');
  assert.deepEqual(spec.template.spec.containers[0].resources, {});
  assert.deepEqual(spec.strategy, {});
  assert.deepEqual(object.status, {});
  assert.equal((object.metadata as Record<string, unknown>).creationTimestamp, null);
});

test('create secret: bytes values come out base64 like Go encodes []byte', () => {
  const { object } = decodeKubernetesProtobuf(readFileSync(`${testdata}1.32/create-secret.pb`));
  assert.deepEqual(object.data, { password: Buffer.from('hunter2').toString('base64') });
});

test('debug copy: probes, volumes and other inlined structs are flattened as in JSON', () => {
  const { object } = decodeKubernetesProtobuf(readFileSync(`${testdata}1.32/debug-copy-pod.pb`));
  const spec = object.spec as Record<string, any>;
  const web = spec.containers.find((c: { name: string }) => c.name === 'web');
  assert.deepEqual(web.livenessProbe.httpGet.port, 'http');
  assert.deepEqual(web.readinessProbe.tcpSocket, { port: 8080 });
  assert.deepEqual(spec.volumes[0], { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } });
  assert.deepEqual(spec.volumes[3], { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } });
  assert.deepEqual(web.resources.limits, { cpu: '500m', memory: '128Mi' });
});
