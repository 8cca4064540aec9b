import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KubeConfig } from '@kubernetes/client-node';
import { ensurePKI, renderKubeconfig, writeKubeconfig } from './index.js';
import type { PKI } from './index.js';

const fromBase64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

describe('kubeconfig', () => {
  let root: string;
  let pki: PKI;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'svcnet-kubeconfig-'));
    pki = await ensurePKI(root);
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('renders the kubeadm admin.conf shape with embedded base64 certificates', () => {
    const doc = parse(
      renderKubeconfig({
        server: 'https://127.0.0.1:6443',
        caPem: pki.ca.certPem,
        clientCertPem: pki.admin.certPem,
        clientKeyPem: pki.admin.keyPem,
      }),
    );
    assert.equal(doc.apiVersion, 'v1');
    assert.equal(doc.kind, 'Config');
    assert.equal(doc['current-context'], 'kubernetes-admin@svcnet');
    assert.deepEqual(doc.contexts, [{ name: 'kubernetes-admin@svcnet', context: { cluster: 'svcnet', user: 'kubernetes-admin' } }]);
    assert.equal(doc.clusters.length, 1);
    assert.equal(doc.clusters[0].name, 'svcnet');
    assert.equal(doc.clusters[0].cluster.server, 'https://127.0.0.1:6443');
    assert.equal(fromBase64(doc.clusters[0].cluster['certificate-authority-data']), pki.ca.certPem);
    assert.equal(doc.users.length, 1);
    assert.equal(doc.users[0].name, 'kubernetes-admin');
    assert.equal(fromBase64(doc.users[0].user['client-certificate-data']), pki.admin.certPem);
    assert.equal(fromBase64(doc.users[0].user['client-key-data']), pki.admin.keyPem);
  });

  it('honours clusterName, user and context', () => {
    const doc = parse(
      renderKubeconfig({
        server: 'https://[::1]:6443',
        caPem: 'ca',
        clientCertPem: 'cert',
        clientKeyPem: 'key',
        clusterName: 'lab',
        user: 'system:node:node-1',
      }),
    );
    assert.equal(doc['current-context'], 'system:node:node-1@lab');
    assert.deepEqual(doc.contexts[0].context, { cluster: 'lab', user: 'system:node:node-1' });
    assert.equal(doc.users[0].name, 'system:node:node-1');
    assert.equal(doc.clusters[0].cluster.server, 'https://[::1]:6443');
    const custom = parse(renderKubeconfig({ server: 's', caPem: 'c', clientCertPem: 'x', clientKeyPem: 'k', context: 'mine' }));
    assert.equal(custom['current-context'], 'mine');
    assert.equal(custom.contexts[0].name, 'mine');
  });

  it('writes a 0600 file, also over an existing world-readable one, that client-node loads', async () => {
    const path = join(root, 'nested', 'kubeconfig');
    const opts = { server: 'https://127.0.0.1:6443', caPem: pki.ca.certPem, clientCertPem: pki.admin.certPem, clientKeyPem: pki.admin.keyPem };
    await writeKubeconfig(path, opts);
    assert.equal((await stat(path)).mode & 0o777, 0o600);

    await chmod(path, 0o644);
    await writeFile(path, 'stale');
    await writeKubeconfig(path, opts);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal(await readFile(path, 'utf8'), renderKubeconfig(opts));

    const kc = new KubeConfig();
    kc.loadFromFile(path);
    assert.equal(kc.getCurrentContext(), 'kubernetes-admin@svcnet');
    assert.equal(kc.getCurrentCluster()?.server, 'https://127.0.0.1:6443');
    assert.equal(fromBase64(kc.getCurrentCluster()?.caData ?? ''), pki.ca.certPem);
    assert.equal(fromBase64(kc.getCurrentUser()?.keyData ?? ''), pki.admin.keyPem);
  });
});
