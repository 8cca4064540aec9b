import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { eventually, freeTCPPort, freeUDPPort, startProgram, udpExchange, waitForIdle, waitForTCP } from '../testing.js';
import type { RunningProgram } from '../testing.js';

interface Netexec {
  readonly program: RunningProgram;
  readonly http: number;
  readonly udp: number;
  readonly base: string;
}

async function startNetexec(extra: readonly string[] = []): Promise<Netexec> {
  const http = await freeTCPPort();
  const udp = await freeUDPPort();
  const program = startProgram('agnhost', ['netexec', `--http-port=${http}`, `--udp-port=${udp}`, ...extra]);
  await waitForTCP(http, program);
  return { program, http, udp, base: `http://127.0.0.1:${http}` };
}

describe('agnhost netexec', () => {
  let a: Netexec;
  let b: Netexec;
  before(async () => {
    [a, b] = await Promise.all([startNetexec(), startNetexec()]);
  });
  after(async () => {
    await Promise.all([a?.program.kill(), b?.program.kill()]);
  });

  it('serves the hostname on /hostname and /hostName', async () => {
    for (const path of ['/hostname', '/hostName']) {
      const res = await fetch(a.base + path);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.equal(await res.text(), hostname());
    }
    assert.match(a.program.stderr(), /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d GET \/hostname$/m);
  });

  it('answers / with the time and /clientip with the caller ip:port', async () => {
    assert.match(await (await fetch(a.base + '/anything/else')).text(), /^NOW: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    const body = await (await fetch(a.base + '/clientip')).text();
    assert.match(body, /^127\.0\.0\.1:\d+$/);
  });

  it('echoes msg, with an optional status code, from the query or a form body', async () => {
    const res = await fetch(a.base + '/echo?msg=hello%20world&code=418');
    assert.equal(res.status, 418);
    assert.equal(await res.text(), 'hello world');
    const posted = await fetch(a.base + '/echo', { method: 'POST', body: new URLSearchParams({ msg: 'from-body' }) });
    assert.equal(await posted.text(), 'from-body');
    const bad = await fetch(a.base + '/echo?msg=x&code=abc');
    assert.equal(bad.status, 200);
    assert.equal(await bad.text(), `argument 'code' must be an integer or empty, got "abc"\n`);
  });

  it('accepts request URLs longer than Node’s default header limit', async () => {
    const msg = 'x'.repeat(40_000);
    assert.equal(await (await fetch(a.base + '/echo?msg=' + msg)).text(), msg);
  });

  it('reports request headers on /header', async () => {
    const one = await fetch(a.base + '/header?key=x-forwarded-for', { headers: { 'X-Forwarded-For': '203.0.113.7' } });
    assert.equal(await one.text(), '203.0.113.7');
    const all = JSON.parse(await (await fetch(a.base + '/header', { headers: { 'X-Test': 'v1' } })).text()) as Record<string, string[]>;
    assert.deepEqual(all['X-Test'], ['v1']);
    assert.equal(all.Host, undefined);
  });

  it('is healthy and ready once its UDP server is up', async () => {
    const health = await fetch(a.base + '/healthz');
    assert.equal(health.status, 200);
    assert.equal(await health.text(), '');
    const ready = await fetch(a.base + '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(await ready.text(), 'ok');
  });

  it('answers UDP hostname, echo (lower-cased, as upstream) and clientip', async () => {
    assert.equal((await udpExchange(a.udp, 'hostname'))?.reply, hostname());
    assert.equal((await udpExchange(a.udp, 'echo Hello There\n'))?.reply, 'hello there');
    const ip = await udpExchange(a.udp, 'clientip');
    assert.equal(ip?.reply, ip?.local);
    assert.equal(await udpExchange(a.udp, 'nonsense', 300), undefined);
  });

  it('dials another netexec over HTTP and UDP with /dial', async () => {
    const http = await fetch(`${a.base}/dial?request=hostname&protocol=http&host=127.0.0.1&port=${b.http}&tries=3`);
    assert.equal(http.status, 200);
    assert.deepEqual(JSON.parse(await http.text()), { responses: [hostname(), hostname(), hostname()] });
    const echo = await fetch(`${a.base}/dial?request=echo%3Fmsg%3Dvia-b&protocol=http&host=localhost&port=${b.http}`);
    assert.deepEqual(JSON.parse(await echo.text()), { responses: ['via-b'] });
    const clientIP = JSON.parse(await (await fetch(`${a.base}/dial?request=clientip&host=127.0.0.1&port=${b.http}`)).text()) as { responses: string[] };
    assert.match(clientIP.responses[0]!, /^127\.0\.0\.1:\d+$/);
    const udp = await fetch(`${a.base}/dial?request=hostname&protocol=udp&host=127.0.0.1&port=${b.udp}&tries=2`);
    assert.deepEqual(JSON.parse(await udp.text()), { responses: [hostname(), hostname()] });
    assert.match(b.program.stderr(), /GET \/hostname/);
  });

  it('reports failed dials in "errors" with Go’s messages', async () => {
    const closed = await freeTCPPort();
    const res = await fetch(`${a.base}/dial?request=hostname&protocol=http&host=127.0.0.1&port=${closed}`);
    assert.equal(res.status, 200);
    assert.equal(
      await res.text(),
      `{"errors":["Get \\"http://127.0.0.1:${closed}/hostname\\": dial tcp 127.0.0.1:${closed}: connect: connection refused"]}`,
    );
    const closedUDP = await freeUDPPort();
    const udp = JSON.parse(await (await fetch(`${a.base}/dial?request=hostname&protocol=udp&host=127.0.0.1&port=${closedUDP}`)).text()) as { errors: string[] };
    assert.match(udp.errors[0]!, new RegExp(`^reading from udp connection failed\\. err:'read udp 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:${closedUDP}: read: connection refused'$`));
  });

  it('rejects bad /dial parameters with 400', async () => {
    const noRequest = await fetch(`${a.base}/dial?host=127.0.0.1&port=1`);
    assert.equal(noRequest.status, 400);
    assert.equal(await noRequest.text(), 'request parameter not specified. <nil>\n');
    const proto = await fetch(`${a.base}/dial?request=x&protocol=icmp&host=127.0.0.1&port=1`);
    assert.equal(proto.status, 400);
    assert.equal(await proto.text(), 'unsupported protocol. icmp\n');
    const tries = await fetch(`${a.base}/dial?request=x&tries=many&host=127.0.0.1&port=1`);
    assert.equal(tries.status, 400);
    const dns = await fetch(`${a.base}/dial?request=x&host=no-such-host.invalid&port=1`);
    assert.equal(dns.status, 400);
    assert.match(await dns.text(), /^host and\/or port param are invalid\. lookup no-such-host\.invalid.*: no such host\n$/);
  });

  it('runs /shell commands and returns their combined output as JSON', async () => {
    const okRes = await fetch(`${a.base}/shell?shellCommand=${encodeURIComponent('echo out; echo err >&2')}`);
    assert.deepEqual(JSON.parse(await okRes.text()), { output: 'out\nerr\n' });
    const failRes = await fetch(`${a.base}/shell?cmd=${encodeURIComponent('exit 7')}`);
    assert.deepEqual(JSON.parse(await failRes.text()), { error: 'exit status 7' });
  });

  it('redirects on /redirect', async () => {
    const res = await fetch(`${a.base}/redirect?location=${encodeURIComponent('/echo?msg=foo')}&code=307`, { redirect: 'manual' });
    assert.equal(res.status, 307);
    assert.equal(res.headers.get('location'), '/echo?msg=foo');
  });
});

describe('agnhost netexec lifecycle', () => {
  it('is not healthy without a UDP server (--udp-port=-1), as upstream', async () => {
    const http = await freeTCPPort();
    const p = startProgram('agnhost', ['netexec', `--http-port=${http}`, '--udp-port=-1']);
    try {
      await waitForTCP(http, p);
      assert.equal((await fetch(`http://127.0.0.1:${http}/healthz`)).status, 412);
      assert.equal((await fetch(`http://127.0.0.1:${http}/hostname`)).status, 200);
    } finally {
      await p.kill();
    }
  });

  it('keeps serving after SIGTERM with --delay-shutdown, with /readyz 503, then exits 0', async () => {
    const n = await startNetexec(['--delay-shutdown=1']);
    await eventually(async () => assert.equal((await fetch(n.base + '/readyz')).status, 200));
    n.program.child.kill('SIGTERM');
    await eventually(async () => {
      const res = await fetch(n.base + '/readyz');
      assert.equal(res.status, 503);
      assert.equal(await res.text(), 'shutting down');
    });
    assert.equal((await fetch(n.base + '/healthz')).status, 200);
    assert.deepEqual(await n.program.exited, { code: 0, signal: null });
    assert.match(n.program.stderr(), /Sleeping 1 seconds before terminating\.\.\./);
  });

  it('exits promptly with 0 on SIGTERM by default', async () => {
    const n = await startNetexec();
    await waitForIdle(n.program);
    n.program.child.kill('SIGTERM');
    assert.deepEqual(await n.program.exited, { code: 0, signal: null });
  });

  it('exits with the requested code on /exit, immediately or after a graceful shutdown', async () => {
    const n = await startNetexec();
    await fetch(n.base + '/exit?code=3').catch(() => undefined);
    assert.equal((await n.program.exited).code, 3);

    const g = await startNetexec();
    const res = await fetch(g.base + '/exit?code=4&timeout=2s');
    assert.equal(res.status, 200);
    assert.equal((await g.program.exited).code, 4);
    assert.match(g.program.stderr(), /Will begin shutdown in 0s, allowing 2s for connections to close, then will exit with 4/);
    assert.match(g.program.stderr(), /Graceful shutdown completed with: <nil>/);
  });

  it('exits 0 on /shutdown', async () => {
    const n = await startNetexec();
    await fetch(n.base + '/shutdown').catch(() => undefined);
    assert.equal((await n.program.exited).code, 0);
  });

  it('serves the --http-override path whatever the request says', async () => {
    const n = await startNetexec(['--http-override=/echo?msg=overridden']);
    try {
      assert.equal(await (await fetch(n.base + '/hostname')).text(), 'overridden');
    } finally {
      await n.program.kill();
    }
  });

  it('fails like cobra on an unknown flag', async () => {
    const p = startProgram('agnhost', ['netexec', '--bogus=1']);
    assert.equal((await p.exited).code, 1);
    assert.match(p.stderr(), /^Error: unknown flag: --bogus\nUsage:\n {2}app netexec \[flags\]/);
  });

  it('refuses SCTP plainly instead of pretending', async () => {
    const http = await freeTCPPort();
    const p = startProgram('agnhost', ['netexec', `--http-port=${http}`, '--udp-port=-1', '--sctp-port=9999']);
    assert.equal((await p.exited).code, 1);
    assert.match(p.stderr(), /does not support SCTP/);
  });
});
