// URL generation: valid resource paths from the served table, then damaged ones (escapes,
// traversal, empty and huge segments, unicode) and bogus query parameters.
import { Rng } from './rng.js';
import { NAME_POOL, NAMESPACES, RESOURCES, type ResourceRef } from './seeds.js';

export function prefix(r: ResourceRef): string {
  return r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
}

export function collectionPath(r: ResourceRef, ns: string): string {
  return r.namespaced ? `${prefix(r)}/namespaces/${ns}/${r.resource}` : `${prefix(r)}/${r.resource}`;
}

export function itemPath(r: ResourceRef, ns: string, name: string, sub?: string): string {
  return `${collectionPath(r, ns)}/${name}${sub ? `/${sub}` : ''}`;
}

const NON_RESOURCE = ['/', '/api', '/apis', '/api/v1', '/apis/apps', '/apis/apps/v1', '/version', '/healthz', '/livez', '/readyz', '/readyz/ping', '/metrics', '/openapi/v2', '/openapi/v3', '/openapi/v3/api/v1', '/openapi/v3/apis/apps/v1', '/.well-known/openid-configuration', '/logs', '/debug/pprof/'];

const SEGMENT_DAMAGE = [
  '%ff',
  '%fe%ff',
  '%2e%2e',
  '..',
  '.',
  '',
  '%2F',
  '%00',
  '%',
  '%zz',
  '%c3%28',
  '%e2%98%83',
  'ü',
  '☃',
  'UPPER',
  'a'.repeat(253),
  'a'.repeat(254),
  'x'.repeat(5000),
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'namespaces',
  'status',
  '%20',
  '+',
  ';a=b',
  'a:b',
  '~',
];

/** Bogus and borderline values for every list/watch/write query parameter the API knows. */
const PARAMS: Readonly<Record<string, readonly string[]>> = {
  limit: ['-1', '0', '1', '500', 'abc', '1e3', '99999999999999999999', '', '1.5', '0x10'],
  resourceVersion: ['0', '', '-1', 'abc', '1', '99999999999999', '18446744073709551616', '1.0', ' 1', '%ff'],
  resourceVersionMatch: ['NotOlderThan', 'Exact', 'bogus', '', 'exact'],
  continue: ['', 'abc', 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiJhIn0', 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6LTEsInN0YXJ0IjoiLi4vIn0', 'eyJ2IjoieCJ9', 'bnVsbA', 'e30', '%%%', 'eyJfX3Byb3RvX18iOnsieCI6MX19'],
  watch: ['true', '1', 'false', 'yes', ''],
  allowWatchBookmarks: ['true', 'maybe'],
  sendInitialEvents: ['true', 'false', 'x'],
  fieldSelector: ['metadata.name=fz-0', 'metadata.name!=x', 'spec.nodeName=', 'bogus=1', '=', 'metadata.name==a,metadata.namespace=b', '\\', 'a=b=c', 'status.phase in (a)', 'metadata.name=%ff', '(', ','],
  labelSelector: ['app=web', 'app in (web,db)', 'app notin ()', '!app', 'app', 'app=', '=web', 'a in (', 'a==b', 'x,,y', 'a!=b,c>1', 'a' + '=b,'.repeat(500), 'app=web&', '__proto__=1', 'k'.repeat(70) + '=v'],
  timeoutSeconds: ['0', '1', '-1', 'abc', '99999999999', '1.5'],
  dryRun: ['All', 'all', 'bogus', '', 'All,All'],
  fieldManager: ['fuzz', '', 'x'.repeat(200), 'a\u0000b', '%ff', 'kubectl-client-side-apply'],
  fieldValidation: ['Strict', 'Warn', 'Ignore', 'strict', 'bogus', ''],
  force: ['true', 'false', 'x'],
  pretty: ['true', '1', 'x'],
  propagationPolicy: ['Foreground', 'Background', 'Orphan', 'x'],
  gracePeriodSeconds: ['0', '-1', 'x', '99999999999999999999'],
  orphanDependents: ['true', 'x'],
  includeObject: ['None', 'Metadata', 'Object', 'x'],
  container: ['c', '', 'x'],
  follow: ['true'],
  tailLines: ['-1', '1', 'x'],
  limitBytes: ['0', '-1', '1'],
  sinceSeconds: ['0', '-5', 'x'],
  command: ['true', ''],
  __proto__x: ['1'],
};
const PARAM_NAMES = [...Object.keys(PARAMS), '__proto__', 'constructor', 'toString', 'limit[]', 'watch%00'];

export function queryString(rng: Rng, forWatch = false): string {
  const parts: string[] = [];
  const n = rng.weighted<number>([[3, 0], [4, 1], [3, 2], [1, 4]]);
  for (let i = 0; i < n; i++) {
    const name = rng.pick(PARAM_NAMES);
    const values = Object.hasOwn(PARAMS, name) ? PARAMS[name]! : ['1', 'x', ''];
    const v = rng.pick(values);
    parts.push(`${name === '__proto__x' ? '__proto__' : name}=${rng.chance(0.8) ? encodeURIComponent(v) : v}`);
  }
  // Keep watches short so they do not tie up the concurrency slots.
  if (forWatch || parts.some((p) => p.startsWith('watch=t') || p.startsWith('watch=1') || p.startsWith('follow='))) parts.push('timeoutSeconds=1');
  return parts.length ? `?${parts.join('&')}` : '';
}

export function validPath(rng: Rng): { path: string; r: ResourceRef } {
  const r = rng.pick(RESOURCES);
  const ns = rng.pick(NAMESPACES);
  const name = rng.pick(NAME_POOL);
  const kind = rng.int(3);
  const sub = r.subresources.length && rng.chance(0.3) ? rng.pick(r.subresources) : undefined;
  return { path: kind === 0 ? collectionPath(r, ns) : itemPath(r, ns, name, sub), r };
}

/** A damaged path: starts from a valid or non-resource path and breaks 1–3 segments. */
export function damagedPath(rng: Rng): string {
  const base = rng.chance(0.8) ? validPath(rng).path : rng.pick(NON_RESOURCE);
  const segs = base.split('/');
  for (let i = 0, n = 1 + rng.int(3); i < n; i++) {
    const at = 1 + rng.int(Math.max(1, segs.length - 1));
    switch (rng.int(5)) {
      case 0:
        segs[at] = rng.pick(SEGMENT_DAMAGE);
        break;
      case 1:
        segs.splice(at, 0, rng.pick(SEGMENT_DAMAGE));
        break;
      case 2:
        segs.splice(at, 1);
        break;
      case 3:
        segs[at] = `${segs[at] ?? ''}${rng.pick(SEGMENT_DAMAGE)}`;
        break;
      default:
        segs.push(rng.pick(SEGMENT_DAMAGE), rng.pick(SEGMENT_DAMAGE));
    }
  }
  let p = segs.join('/');
  if (rng.chance(0.1)) p = p.replace('/', '//');
  if (rng.chance(0.05)) p += '/';
  if (rng.chance(0.05)) p += '#frag';
  return p.startsWith('/') ? p : `/${p}`;
}
