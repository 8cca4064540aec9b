import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { createCertificateAuthority, normalizeHost, signCertificate } from './index.js';

describe('normalizeHost', () => {
  it('canonicalizes IPs with the one IP library and lower-cases DNS names', () => {
    assert.deepEqual(normalizeHost('::0:1'), { type: 'ip', value: '::1' });
    assert.deepEqual(normalizeHost('[FD00::0:1]'), { type: 'ip', value: 'fd00::1' });
    assert.deepEqual(normalizeHost(' 10.0.0.1 '), { type: 'ip', value: '10.0.0.1' });
    assert.deepEqual(normalizeHost('::ffff:10.0.0.1'), { type: 'ip', value: '10.0.0.1' });
    assert.deepEqual(normalizeHost('Kubernetes.Default'), { type: 'dns', value: 'kubernetes.default' });
  });

  it('refuses texts that mean to be IPs but are not', () => {
    for (const bad of ['1.2.3.4::', '256.1.1.1', '010.1.1.1', 'fe80::1::2', ':::']) {
      assert.throws(() => normalizeHost(bad), new RegExp(`invalid IP address for serving certificate: ${bad.replace(/[.]/g, '\\.')}$`), bad);
    }
    assert.throws(() => normalizeHost('  '), /empty host name/);
  });
});

describe('certificate authority', () => {
  it('signs a serving certificate that verifies against the CA and carries the SANs', async () => {
    const ca = await createCertificateAuthority('svcnet test');
    const leaf = await signCertificate(ca, { subject: { commonName: 'localhost' }, usage: 'server', hosts: ['localhost', '127.0.0.1', '::1'], validityDays: 1 });
    const caCert = new X509Certificate(ca.certPem);
    const cert = new X509Certificate(leaf.certPem);
    assert.equal(caCert.ca, true);
    assert.equal(cert.verify(caCert.publicKey), true);
    assert.equal(cert.checkIssued(caCert), true);
    assert.match(cert.subjectAltName ?? '', /DNS:localhost/);
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.match(cert.subjectAltName ?? '', /IP Address:0:0:0:0:0:0:0:1|IP Address:::1/);
  });
});
