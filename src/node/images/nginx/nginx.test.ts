import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, freeTCPPort, startProgram, waitForIdle, waitForTCP } from '../testing.js';
import type { RunningProgram } from '../testing.js';
import { nginxPortEnv } from './server.js';
import { nginxVersion, welcomePage } from './pages.js';

describe('nginx look-alike', () => {
  let p: RunningProgram;
  let base: string;
  before(async () => {
    const port = await freeTCPPort();
    p = startProgram('nginx', ['-g', 'daemon off;'], { [nginxPortEnv]: String(port) });
    await waitForTCP(port, p);
    base = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await p?.kill();
  });

  it('serves the default welcome page with nginx headers', async () => {
    const res = await fetch(base + '/', { headers: { 'User-Agent': 'curl/8.5.0' } });
    assert.equal(res.status, 200);
    const body = await res.text();
    assert.equal(body, welcomePage);
    assert.match(body, /<title>Welcome to nginx!<\/title>/);
    assert.equal(res.headers.get('server'), `nginx/${nginxVersion}`);
    assert.equal(res.headers.get('content-type'), 'text/html');
    assert.equal(res.headers.get('content-length'), '615');
    assert.match(res.headers.get('etag') ?? '', /^"[0-9a-f]+-267"$/);
    assert.equal(await (await fetch(base + '/index.html')).text(), welcomePage);
  });

  it('logs access lines in the image’s main format on stdout', async () => {
    await fetch(base + '/?q=1', { headers: { 'User-Agent': 'test-agent', Referer: 'http://r/' } });
    await eventually(() =>
      assert.match(p.stdout(), /^127\.0\.0\.1 - - \[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "GET \/\?q=1 HTTP\/1\.1" 200 615 "http:\/\/r\/" "test-agent" "-"$/m),
    );
    assert.match(p.stdout(), /^\/docker-entrypoint\.sh: Configuration complete; ready for start up$/m);
  });

  it('answers 404 with nginx’s error page and logs the error', async () => {
    const res = await fetch(base + '/missing');
    assert.equal(res.status, 404);
    assert.equal(
      await res.text(),
      `<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/${nginxVersion}</center>\r\n</body>\r\n</html>\r\n`,
    );
    await eventually(() => assert.match(p.stderr(), /\[error\] \d+#\d+: \*\d+ open\(\) "\/usr\/share\/nginx\/html\/missing" failed \(2: No such file or directory\)/));
  });

  it('refuses other methods with 405 and answers HEAD without a body', async () => {
    assert.equal((await fetch(base + '/', { method: 'DELETE' })).status, 405);
    assert.equal((await fetch(base + '/', { method: 'POST', body: 'x' })).status, 405);
    const head = await fetch(base + '/', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '615');
    assert.equal(await head.text(), '');
  });

  it('exits 0 on SIGTERM', async () => {
    const port = await freeTCPPort();
    const q = startProgram('nginx', [], { [nginxPortEnv]: String(port) });
    await waitForTCP(port, q);
    await waitForIdle(q);
    q.child.kill('SIGTERM');
    assert.deepEqual(await q.exited, { code: 0, signal: null });
    assert.match(q.stderr(), /\[notice\] \d+#\d+: signal 15 \(SIGTERM\) received, exiting/);
  });
});

describe('registry.k8s.io/pause look-alike', () => {
  it('waits until SIGTERM, then says so and exits 0', async () => {
    const q = startProgram('pause', []);
    await waitForIdle(q);
    assert.equal(q.child.exitCode, null);
    q.child.kill('SIGTERM');
    assert.deepEqual(await q.exited, { code: 0, signal: null });
    assert.equal(q.stderr(), 'Shutting down, got signal: Terminated\n');
  });
});
