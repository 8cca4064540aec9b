// Periodic probes that would show a server damaged from the inside (e.g. Object.prototype
// polluted by a `__proto__` key): health endpoints, metrics rendering, discovery unchanged since
// the start of the run, and a ConfigMap that reads back exactly as written.
import { isDeepStrictEqual } from 'node:util';
import type { Transports } from './transport.js';

const NS = 'fuzz-canary';

async function get(t: Transports, path: string, accept = 'application/json'): Promise<{ status: number; text: string }> {
  const r = await t.send({ index: -1, transport: 'h2', method: 'GET', path, headers: { accept }, note: 'canary' }, 16 << 20);
  if (r.status === 0) throw new Error(`GET ${path}: ${r.error}`);
  return { status: r.status, text: r.body.toString('utf8') };
}

export class Canary {
  #discovery: unknown;
  #round = 0;

  async baseline(t: Transports): Promise<void> {
    this.#discovery = JSON.parse((await get(t, '/api/v1')).text);
    await t.send({ index: -1, transport: 'h2', method: 'POST', path: '/api/v1/namespaces', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })), note: 'canary' });
  }

  /** Problems found, as short messages; empty when everything looks right. */
  async probe(t: Transports): Promise<string[]> {
    const problems: string[] = [];
    const readyz = await get(t, '/readyz');
    if (readyz.status !== 200 || readyz.text.trim() !== 'ok') problems.push(`/readyz answered ${readyz.status} ${readyz.text.slice(0, 200)}`);
    const metrics = await get(t, '/metrics', 'text/plain');
    if (metrics.status !== 200 || !metrics.text.includes('apiserver_request_total')) problems.push(`/metrics answered ${metrics.status} ${metrics.text.slice(0, 200)}`);
    const disc = await get(t, '/api/v1');
    if (disc.status !== 200 || !isDeepStrictEqual(JSON.parse(disc.text), this.#discovery)) problems.push(`/api/v1 discovery changed: ${disc.text.slice(0, 300)}`);
    const name = `canary-${this.#round++}`;
    const data = { plain: 'value', empty: '', 'dotted.key': 'x' };
    const body = Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data }));
    const created = await t.send({ index: -1, transport: 'h2', method: 'POST', path: `/api/v1/namespaces/${NS}/configmaps`, headers: { 'content-type': 'application/json', accept: 'application/json' }, body, note: 'canary' });
    if (created.status !== 201) problems.push(`canary ConfigMap create answered ${created.status} ${created.body.subarray(0, 300).toString()}`);
    else {
      const back = await get(t, `/api/v1/namespaces/${NS}/configmaps/${name}`);
      const obj = JSON.parse(back.text) as { data?: unknown; metadata?: { labels?: unknown; annotations?: unknown } };
      if (!isDeepStrictEqual(obj.data, data) || obj.metadata?.labels !== undefined) problems.push(`canary ConfigMap read back differently: ${back.text.slice(0, 400)}`);
      await t.send({ index: -1, transport: 'h2', method: 'DELETE', path: `/api/v1/namespaces/${NS}/configmaps/${name}`, headers: { accept: 'application/json' }, note: 'canary' });
    }
    // An empty object literal on the server side must stay empty: a list with a selector that
    // matches nothing must return no items.
    const none = await get(t, `/api/v1/namespaces/${NS}/configmaps?labelSelector=fuzz-canary-never%3Dx`);
    const items = (JSON.parse(none.text) as { items?: unknown[] }).items;
    if (none.status !== 200 || !Array.isArray(items) || items.length !== 0) problems.push(`selector matching nothing returned ${none.status} ${none.text.slice(0, 300)}`);
    return problems;
  }
}
