// kill -9 of the API server in the middle of a stream of creates: after a restart every
// acknowledged object is there, resourceVersions only increase, and a watch resumed from the
// last resourceVersion seen delivers exactly the missing events.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type ClientHttp2Session } from 'node:http2';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../../bin/svcnet.js', import.meta.url).pathname;

function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'apiserver', '--data-dir', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (https:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`apiserver exited ${code} before listening: ${out}`)));
  });
}

function session(dataDir: string, url: string): ClientHttp2Session {
  const pki = join(dataDir, 'pki');
  const s = connect(url, { ca: readFileSync(join(pki, 'ca.crt')), cert: readFileSync(join(pki, 'admin.crt')), key: readFileSync(join(pki, 'admin.key')) });
  // The first server dies mid-stream on purpose; its session's reset is expected.
  s.on('error', () => undefined);
  return s;
}

function post(s: ClientHttp2Session, path: string, body: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const st = s.request({ ':method': 'POST', ':path': path, 'content-type': 'application/json' });
    let text = '';
    let status = 0;
    st.setEncoding('utf8');
    st.on('response', (h) => (status = Number(h[':status'])));
    st.on('data', (c: string) => (text += c));
    st.on('end', () => {
      try {
        resolve({ status, body: JSON.parse(text) });
      } catch (e) {
        reject(e);
      }
    });
    st.on('error', reject);
    st.end(JSON.stringify(body));
  });
}

describe('crash safety', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'svcnet-crash-'));
  });
  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged create across kill -9', async () => {
    const first = await startServer(dataDir);
    child = first.child;
    const s1 = session(dataDir, first.url);
    const acked = new Map<string, number>();
    let killed = false;
    let n = 0;
    // 8 writers in flight; kill -9 once 300 creates are acknowledged.
    const writer = async () => {
      while (!killed) {
        const name = `cm-${n++}`;
        try {
          const r = await post(s1, '/api/v1/namespaces/default/configmaps', { metadata: { name }, data: { n: name } });
          if (r.status === 201) acked.set(name, Number(r.body.metadata.resourceVersion));
          if (acked.size >= 300 && !killed) {
            killed = true;
            child!.kill('SIGKILL');
          }
        } catch {
          return; // the connection died with the server
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, writer));
    await new Promise((r) => child!.once('exit', r));
    s1.destroy();
    const lastSeen = Math.max(...acked.values());

    const second = await startServer(dataDir);
    child = second.child;
    const s2 = session(dataDir, second.url);
    try {
      // Every acknowledged object is there with the resourceVersion it was acknowledged at.
      const list = await new Promise<any>((resolve, reject) => {
        const st = s2.request({ ':path': '/api/v1/namespaces/default/configmaps' });
        let t = '';
        st.setEncoding('utf8');
        st.on('data', (c: string) => (t += c));
        st.on('end', () => resolve(JSON.parse(t)));
        st.on('error', reject);
      });
      const stored = new Map<string, number>(list.items.map((i: any) => [i.metadata.name, Number(i.metadata.resourceVersion)]));
      for (const [name, rv] of acked) assert.equal(stored.get(name), rv, `acknowledged ${name} at ${rv}`);
      // The revision never goes backwards: the next write is newer than anything seen.
      const next = await post(s2, '/api/v1/namespaces/default/configmaps', { metadata: { name: 'after-restart' } });
      assert.equal(next.status, 201);
      assert.ok(Number(next.body.metadata.resourceVersion) > Math.max(...stored.values()));
      // A watch resumed from the last resourceVersion seen delivers exactly what came after it.
      const expected = [...stored.entries()].filter(([, rv]) => rv > lastSeen).sort((a, b) => a[1] - b[1]).map(([n]) => n);
      expected.push('after-restart');
      const got: string[] = [];
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve, reject) => {
        const st = s2.request({ ':path': `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${lastSeen}` });
        let buf = '';
        st.setEncoding('utf8');
        st.on('data', (c: string) => {
          buf += c;
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            const e = JSON.parse(buf.slice(0, i));
            buf = buf.slice(i + 1);
            assert.equal(e.type, 'ADDED');
            got.push(e.object.metadata.name);
            if (got.length === expected.length) {
              st.close();
              resolve();
            }
          }
        });
        st.on('error', reject);
        timer = setTimeout(() => reject(new Error(`watch delivered ${got.length}/${expected.length}`)), 5000);
      }).finally(() => clearTimeout(timer));
      assert.deepEqual(got, expected);
    } finally {
      s2.destroy();
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
  });
});
