import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import https from 'node:https';
import net from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTCPPort, freeUDPPort, startProgram, udpExchange, waitForIdle, waitForTCP } from '../testing.js';
import { resolvConfField } from './dns.js';
import { waitUntil } from '../../../../test/helpers/wait.js';

function readTCP(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    const s = net.connect(port, '127.0.0.1');
    s.on('data', (c) => (data += c.toString()));
    s.on('end', () => resolve(data));
    s.on('error', reject);
  });
}

describe('agnhost serve-hostname', () => {
  it('serves the hostname over HTTP on any path, and keeps serving after SIGTERM', async () => {
    const port = await freeTCPPort();
    const p = startProgram('agnhost', ['serve-hostname', `--port=${port}`, '--close']);
    try {
      await waitForTCP(port, p);
      const res = await fetch(`http://127.0.0.1:${port}/any/path`);
      assert.equal(await res.text(), hostname());
      assert.equal(res.headers.get('connection'), 'close');
      await waitForIdle(p);
      p.child.kill('SIGTERM');
      await waitUntil('the SIGTERM message', () => p.stderr().includes('Awaiting pod deletion.'));
      // Upstream lingers 60 s after SIGTERM ("Awaiting pod deletion."), still answering.
      assert.equal(await (await fetch(`http://127.0.0.1:${port}/`)).text(), hostname());
      assert.match(p.stderr(), /Shutting down after receiving signal: terminated\.\n.*Awaiting pod deletion\./);
      assert.equal(p.child.exitCode, null);
    } finally {
      await p.kill();
    }
  });

  it('serves raw TCP and UDP with --http=false', async () => {
    const port = await freeTCPPort();
    const p = startProgram('agnhost', ['serve-hostname', '--http=false', '--tcp', '--udp', `--port=${port}`]);
    try {
      await waitForTCP(port, p);
      assert.equal(await readTCP(port), hostname());
      assert.equal((await udpExchange(port, 'hostName'))?.reply, hostname());
      assert.match(p.stderr(), /UDP request from 127\.0\.0\.1:\d+/);
    } finally {
      await p.kill();
    }
  });

  it('refuses HTTP together with TCP/UDP, as upstream', async () => {
    const p = startProgram('agnhost', ['serve-hostname', '--tcp']);
    assert.equal((await p.exited).code, 1);
    assert.match(p.stderr(), /Can't server TCP\/UDP mode and HTTP mode at the same time/);
  });
});

describe('agnhost porter', () => {
  it('serves SERVE_PORT_, SERVE_UDP_PORT_ and SERVE_TLS_PORT_ values', async () => {
    const [tcp, tls, udp] = [await freeTCPPort(), await freeTCPPort(), await freeUDPPort()];
    const p = startProgram('agnhost', ['porter'], { [`SERVE_PORT_${tcp}`]: 'foo', [`SERVE_TLS_PORT_${tls}`]: 'tls baz', [`SERVE_UDP_PORT_${udp}`]: 'qux' });
    try {
      await waitForTCP(tcp, p);
      assert.equal(await (await fetch(`http://127.0.0.1:${tcp}/whatever`)).text(), 'foo');
      assert.equal((await udpExchange(udp, 'x'))?.reply, 'qux');
      await waitForTCP(tls, p);
      const body = await new Promise<string>((resolve, reject) => {
        https.get({ host: '127.0.0.1', port: tls, path: '/', rejectUnauthorized: false }, (res) => {
          let d = '';
          res.on('data', (c) => (d += c));
          res.on('end', () => resolve(d));
        }).on('error', reject);
      });
      assert.equal(body, 'tls baz');
    } finally {
      await p.kill();
    }
  });

  it('answers JSON with the method when --json-response is set', async () => {
    const port = await freeTCPPort();
    const p = startProgram('agnhost', ['porter', '--json-response'], { [`SERVE_PORT_${port}`]: 'bar' });
    try {
      await waitForTCP(port, p);
      const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'PUT' });
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.equal(await res.text(), '{"Method":"PUT","Body":"bar"}');
    } finally {
      await p.kill();
    }
  });
});

describe('agnhost pause', () => {
  it('prints Paused and exits 2 on SIGTERM, as upstream', async () => {
    const p = startProgram('agnhost', ['pause']);
    await waitForIdle(p);
    p.child.kill('SIGTERM');
    assert.deepEqual(await p.exited, { code: 2, signal: null });
    assert.equal(p.stdout(), 'Paused\n');
  });
});

describe('agnhost connect', () => {
  it('exits 0 when the TCP connection succeeds', async () => {
    const port = await freeTCPPort();
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    try {
      const p = startProgram('agnhost', ['connect', `127.0.0.1:${port}`, '--timeout=3s']);
      assert.equal((await p.exited).code, 0);
      assert.equal(p.stderr(), '');
    } finally {
      server.close();
    }
  });

  it('prints REFUSED, DNS and UNKNOWN like upstream', async () => {
    const closed = await freeTCPPort();
    const refused = startProgram('agnhost', ['connect', '--timeout=3s', `127.0.0.1:${closed}`]);
    assert.equal((await refused.exited).code, 1);
    assert.equal(refused.stderr(), 'REFUSED\n');
    const dns = startProgram('agnhost', ['connect', 'no-such-host.invalid:80']);
    assert.equal((await dns.exited).code, 1);
    assert.match(dns.stderr(), /^DNS: lookup no-such-host\.invalid.*: no such host\n$/);
    const unknown = startProgram('agnhost', ['connect', 'justahost']);
    assert.equal((await unknown.exited).code, 1);
    assert.equal(unknown.stderr(), 'UNKNOWN: address justahost: missing port in address\n');
    const noArgs = startProgram('agnhost', ['connect']);
    assert.equal((await noArgs.exited).code, 1);
    assert.match(noArgs.stderr(), /^Error: accepts 1 arg\(s\), received 0\n/);
  });

  it('reports UDP REFUSED and success', async () => {
    const closed = await freeUDPPort();
    const refused = startProgram('agnhost', ['connect', '--protocol=udp', '--timeout=2s', `127.0.0.1:${closed}`]);
    assert.equal((await refused.exited).code, 1);
    assert.match(refused.stderr(), new RegExp(`^REFUSED: read udp 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:${closed}: read: connection refused\\n$`));

    const port = await freeTCPPort();
    const server = startProgram('agnhost', ['serve-hostname', '--http=false', '--udp', `--port=${port}`]);
    try {
      await waitUntil('the UDP server to start', () => server.stderr().includes('Serving on port'));
      // The log line may precede the socket's bind by a moment: the first connect may be refused.
      await waitUntil('a successful UDP connect', async () => {
        const ok = startProgram('agnhost', ['connect', '--protocol=udp', '--timeout=2s', `127.0.0.1:${port}`]);
        return (await ok.exited).code === 0;
      }, 20_000, 50);
    } finally {
      await server.kill();
    }
  });
});

describe('agnhost test-webserver', () => {
  it('serves files from the file system root, and 404 otherwise', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'svcnet-webserver-'));
    const port = await freeTCPPort();
    const p = startProgram('agnhost', ['test-webserver', `--port=${port}`]);
    try {
      await writeFile(join(dir, 'result.txt'), 'OK');
      await waitForTCP(port, p);
      const res = await fetch(`http://127.0.0.1:${port}${dir}/result.txt`);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), 'OK');
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      const listing = await (await fetch(`http://127.0.0.1:${port}${dir}/`)).text();
      assert.match(listing, /<a href="result\.txt">result\.txt<\/a>/);
      const missing = await fetch(`http://127.0.0.1:${port}${dir}/nope`);
      assert.equal(missing.status, 404);
      assert.equal(await missing.text(), '404 page not found\n');
    } finally {
      await p.kill();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('agnhost dns-suffix, dns-server-list, etc-hosts', () => {
  it('parse resolv.conf as upstream does', () => {
    const conf = 'nameserver 10.96.0.10\nsearch ns.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n';
    assert.deepEqual(resolvConfField(conf, 'search'), ['ns.svc.cluster.local', 'svc.cluster.local', 'cluster.local']);
    assert.deepEqual(resolvConfField(conf, 'nameserver'), ['10.96.0.10']);
    assert.throws(() => resolvConfField('options ndots:5\n', 'search'), /Could not find DNS search list!/);
  });

  it('prints the host files', async () => {
    const p = startProgram('agnhost', ['etc-hosts']);
    assert.equal((await p.exited).code, 0);
    assert.equal(p.stdout(), (await readFile('/etc/hosts', 'utf8')) + '\n');
    const conf = await readFile('/etc/resolv.conf', 'utf8');
    const servers = startProgram('agnhost', ['dns-server-list']);
    assert.equal((await servers.exited).code, 0);
    assert.equal(servers.stdout(), resolvConfField(conf, 'nameserver').join(',') + '\n');
  });
});

describe('agnhost root command', () => {
  it('names subcommands svcnet does not build in, and unknown ones, and fails', async () => {
    const liveness = startProgram('agnhost', ['liveness']);
    assert.equal((await liveness.exited).code, 1);
    assert.match(liveness.stderr(), /does not implement the "liveness" subcommand/);
    const unknown = startProgram('agnhost', ['frobnicate']);
    assert.equal((await unknown.exited).code, 1);
    assert.match(unknown.stderr(), /^Error: unknown command "frobnicate" for "app"/);
  });

  it('accepts klog flags before and after the subcommand', async () => {
    const p = startProgram('agnhost', ['--v=2', 'connect', '--logtostderr', 'justahost']);
    assert.equal((await p.exited).code, 1);
    assert.match(p.stderr(), /^UNKNOWN: /);
  });
});
