import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import { copyFile, mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultServingHosts, ensurePKI, issueClientCertificate, pkiFileNames } from './index.js';
import type { PKI } from './index.js';

const serverAuth = '1.3.6.1.5.5.7.3.1';
const clientAuth = '1.3.6.1.5.5.7.3.2';
const dayMs = 24 * 60 * 60 * 1000;

function mode(path: string): Promise<number> {
  return stat(path).then((s) => s.mode & 0o777);
}

function validDays(cert: X509Certificate): number {
  return (Date.parse(cert.validTo) - Date.now()) / dayMs;
}

describe('ensurePKI', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'svcnet-pki-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('creates a CA, serving and admin certificate quickly, keys private', async () => {
    const dataDir = join(root, 'fresh');
    const started = performance.now();
    const pki = await ensurePKI(dataDir, { hosts: ['192.0.2.10', 'API.Example.test', '2001:db8::0:1'] });
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1000, `generation took ${elapsed.toFixed(0)}ms`);

    assert.equal(pki.dir, join(dataDir, 'pki'));
    for (const name of Object.values(pkiFileNames)) {
      const expected = name.endsWith('.key') ? 0o600 : 0o644;
      assert.equal(await mode(join(pki.dir, name)), expected, `${name} mode`);
    }
    assert.equal(await readFile(join(pki.dir, 'ca.crt'), 'utf8'), pki.ca.certPem);
    assert.equal(await readFile(join(pki.dir, 'admin.key'), 'utf8'), pki.admin.keyPem);

    const ca = new X509Certificate(pki.ca.certPem);
    assert.equal(ca.ca, true);
    assert.ok(ca.verify(ca.publicKey), 'CA is self-signed');
    assert.ok(validDays(ca) > 3600, `CA valid for ${validDays(ca)} days`);
    assert.equal(ca.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');

    const serving = new X509Certificate(pki.apiserver.certPem);
    assert.ok(serving.checkIssued(ca) && serving.verify(ca.publicKey), 'serving cert signed by CA');
    assert.equal(serving.ca, false);
    assert.deepEqual(serving.keyUsage, [serverAuth]);
    assert.equal(serving.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    for (const host of [...defaultServingHosts, '192.0.2.10', 'api.example.test', '2001:db8::1']) {
      const covered = isIP(host) ? serving.checkIP(host) : serving.checkHost(host, { subject: 'never' });
      assert.ok(covered !== undefined, `serving cert covers ${host}: ${serving.subjectAltName}`);
    }
    assert.equal(serving.checkIP('10.96.0.2'), undefined, 'does not cover arbitrary IPs');

    const admin = new X509Certificate(pki.admin.certPem);
    assert.ok(admin.checkIssued(ca) && admin.verify(ca.publicKey), 'admin cert signed by CA');
    assert.deepEqual(admin.subject.split('\n').sort(), ['CN=kubernetes-admin', 'O=system:masters']);
    assert.deepEqual(admin.keyUsage, [clientAuth]);
    assert.ok(admin.checkPrivateKey(createPrivateKey(pki.admin.keyPem)));
  });

  it('loads the same files on later calls, and re-issues only the serving cert for new hosts', async () => {
    const dataDir = join(root, 'reload');
    const first = await ensurePKI(dataDir);
    const second = await ensurePKI(dataDir, { hosts: ['127.0.0.1', 'KUBERNETES.default'] });
    assert.deepEqual(second, first, 'already-covered hosts change nothing');

    const third = await ensurePKI(dataDir, { hosts: ['198.51.100.7', 'node-1.example.test'] });
    assert.deepEqual(third.ca, first.ca);
    assert.deepEqual(third.admin, first.admin);
    assert.notEqual(third.apiserver.certPem, first.apiserver.certPem);
    assert.notEqual(third.apiserver.keyPem, first.apiserver.keyPem);
    const serving = new X509Certificate(third.apiserver.certPem);
    assert.ok(serving.checkIP('198.51.100.7'));
    assert.ok(serving.checkHost('node-1.example.test', { subject: 'never' }));
    assert.ok(serving.verify(new X509Certificate(first.ca.certPem).publicKey));
    assert.equal(await readFile(join(third.dir, 'apiserver.crt'), 'utf8'), third.apiserver.certPem);
    assert.equal(await mode(join(third.dir, 'apiserver.key')), 0o600);

    // The default hosts plus one of the extras: still covered, nothing re-issued.
    const fourth = await ensurePKI(dataDir, { hosts: ['node-1.example.test'] });
    assert.deepEqual(fourth, third);
  });

  it('re-issues leaf certificates that are corrupt, mismatched or from another CA', async () => {
    const dataDir = join(root, 'repair');
    const other = await ensurePKI(join(root, 'other'));
    const first = await ensurePKI(dataDir);
    await writeFile(join(first.dir, 'apiserver.crt'), 'garbage');
    await copyFile(join(other.dir, 'admin.crt'), join(first.dir, 'admin.crt'));
    await copyFile(join(other.dir, 'admin.key'), join(first.dir, 'admin.key'));
    const repaired = await ensurePKI(dataDir);
    assert.deepEqual(repaired.ca, first.ca);
    const ca = new X509Certificate(first.ca.certPem);
    for (const pair of [repaired.apiserver, repaired.admin]) {
      const cert = new X509Certificate(pair.certPem);
      assert.ok(cert.verify(ca.publicKey), 'signed by our CA');
    }
    assert.notEqual(repaired.admin.certPem, other.admin.certPem);

    // A key that does not belong to its certificate is replaced too.
    await copyFile(join(other.dir, 'admin.key'), join(first.dir, 'admin.key'));
    const rekeyed = await ensurePKI(dataDir);
    assert.notEqual(rekeyed.admin.keyPem, other.admin.keyPem);
    assert.ok(new X509Certificate(rekeyed.admin.certPem).checkPrivateKey(createPrivateKey(rekeyed.admin.keyPem)));
  });

  it('refuses to replace a CA whose key is missing, and rejects bad hosts before writing', async () => {
    const dataDir = join(root, 'nokey');
    const pki = await ensurePKI(dataDir);
    await unlink(join(pki.dir, 'ca.key'));
    await assert.rejects(ensurePKI(dataDir), /ca\.key is missing/);
    assert.equal(await readFile(join(pki.dir, 'ca.crt'), 'utf8'), pki.ca.certPem, 'CA left alone');

    await assert.rejects(ensurePKI(join(root, 'badhost'), { hosts: [''] }), /empty host/);
    await assert.rejects(ensurePKI(join(root, 'badhost'), { hosts: ['fe80::zz'] }), /invalid IP/);
  });
});

describe('issueClientCertificate', () => {
  let root: string;
  let pki: PKI;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'svcnet-pki-'));
    pki = await ensurePKI(root);
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('issues a clientAuth certificate for a node, signed by the CA', async () => {
    const pair = await issueClientCertificate(pki, { commonName: 'system:node:node-1', organizations: ['system:nodes'] });
    const cert = new X509Certificate(pair.certPem);
    assert.ok(cert.verify(new X509Certificate(pki.ca.certPem).publicKey));
    assert.deepEqual(cert.subject.split('\n').sort(), ['CN=system:node:node-1', 'O=system:nodes']);
    assert.deepEqual(cert.keyUsage, [clientAuth]);
    assert.ok(cert.checkPrivateKey(createPrivateKey(pair.keyPem)));
    assert.ok(validDays(cert) > 300 && validDays(cert) < 366);
  });

  it('puts every group in O and honours validityDays', async () => {
    const pair = await issueClientCertificate(pki, { commonName: 'ci', organizations: ['a', 'b'], validityDays: 2 });
    const cert = new X509Certificate(pair.certPem);
    assert.deepEqual(cert.subject.split('\n').sort(), ['CN=ci', 'O=a', 'O=b']);
    assert.ok(validDays(cert) > 1.9 && validDays(cert) <= 2);
    await assert.rejects(issueClientCertificate(pki, { commonName: '' }), /non-empty common name/);
  });
});
