import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { inClusterConnection, parseKubeconfig } from './kubeconfig.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('kubeconfig: -data wins over file paths, current-context is the default', () => {
  const text = `
apiVersion: v1
kind: Config
current-context: main
contexts:
- name: main
  context: {cluster: c1, user: u1}
clusters:
- name: c1
  cluster:
    server: https://10.0.0.1:6443/
    certificate-authority-data: ${b64('CA')}
    certificate-authority: /does/not/exist
    insecure-skip-tls-verify: true
    tls-server-name: kubernetes
users:
- name: u1
  user:
    client-certificate-data: ${b64('CERT')}
    client-key-data: ${b64('KEY')}
`;
  const conn = parseKubeconfig(text, '/nowhere');
  assert.equal(conn.server, 'https://10.0.0.1:6443');
  assert.equal(conn.ca?.toString(), 'CA');
  assert.equal(conn.cert?.toString(), 'CERT');
  assert.equal(conn.key?.toString(), 'KEY');
  assert.equal(conn.insecureSkipTLSVerify, true);
  assert.equal(conn.tlsServerName, 'kubernetes');
  assert.equal(conn.token, undefined);
  assert.throws(() => parseKubeconfig(text, '/nowhere', 'other'), /context "other" not found/);
});

test('kubeconfig: tokenFile relative to the kubeconfig; exec plugins are refused plainly', () => {
  const dir = mkdtempSync(join(tmpdir(), 'svcnet-kc-'));
  try {
    writeFileSync(join(dir, 'tok'), 'abc\n');
    const base = 'current-context: x\ncontexts: [{name: x, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: "https://h:1"}}]\n';
    assert.equal(parseKubeconfig(base + 'users: [{name: u, user: {tokenFile: tok}}]', dir).token, 'abc');
    assert.throws(() => parseKubeconfig(base + 'users: [{name: u, user: {exec: {command: aws}}}]', dir), /exec\/auth-provider plugin/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('in-cluster config reads the service account and KUBERNETES_SERVICE_*', () => {
  const dir = mkdtempSync(join(tmpdir(), 'svcnet-sa-'));
  try {
    writeFileSync(join(dir, 'ca.crt'), 'CA');
    writeFileSync(join(dir, 'token'), 'sa-token\n');
    const conn = inClusterConnection({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, dir);
    assert.equal(conn.server, 'https://[fd00::1]:443');
    assert.equal(conn.token, 'sa-token');
    assert.throws(() => inClusterConnection({}, dir), /not running in a cluster/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
