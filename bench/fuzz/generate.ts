// Turns (seed, index) into one request: what to send, over which transport. Pure: the same
// (seed, index) always yields the same bytes, so a failure is reproduced by its index alone.
import { Rng } from './rng.js';
import { deleteOptions, NAME_POOL, NAMESPACES, RESOURCES, seedObject, subresourceObject, type Json } from './seeds.js';
import { mutateText, mutateValue, serialize, yamlHazard, randomScalar } from './mutate.js';
import { protobufBody, type PbSeed } from './protobuf.js';
import { collectionPath, damagedPath, itemPath, queryString, validPath } from './urls.js';

export type Transport = 'h2' | 'h1' | 'raw';

export interface FuzzRequest {
  readonly index: number;
  readonly transport: Transport;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** For transport 'raw': the exact bytes written to the TLS socket. */
  readonly raw?: Buffer;
  /** What generated it, for grouping (e.g. "create/json/mutated"). */
  readonly note: string;
}

const CT = {
  json: 'application/json',
  yaml: 'application/yaml',
  pb: 'application/vnd.kubernetes.protobuf',
  merge: 'application/merge-patch+json',
  smp: 'application/strategic-merge-patch+json',
  jsonpatch: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

const BOGUS_CT = ['text/plain', 'application/json; charset=utf-16', 'application/json;;', '*/*', '', 'application/', 'application/cbor', 'application/apply-patch+yaml; charset=x', 'multipart/form-data; boundary=x', 'application/vnd.kubernetes.protobuf;stream=watch'];
const ACCEPTS = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf', 'application/json;as=Table;v=v1;g=meta.k8s.io', 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io', 'application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json', '*/*', 'text/html', 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch', ''];

function jsonPatchOps(rng: Rng): Json {
  const paths = ['/metadata/labels/x', '/metadata/__proto__/polluted', '/metadata/labels/__proto__', '/spec/ports/0/port', '/spec/ports/-', '/spec/replicas', '/metadata/name', '/metadata/resourceVersion', '/kind', '/data/a~1b', '/data/~2', '', '/', '/spec/template/spec/containers/99', '/metadata/constructor/prototype/x', '/status', '/spec/selector'];
  const ops: Json[] = [];
  for (let i = 0, n = 1 + rng.int(4); i < n; i++) {
    const op: { [k: string]: Json } = { op: rng.pick(['add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus', '']), path: rng.pick(paths) };
    if (rng.chance(0.8)) op.value = rng.chance(0.5) ? randomScalar(rng) : { polluted: 'yes' };
    if (rng.chance(0.3)) op.from = rng.pick(paths);
    ops.push(op);
  }
  return rng.chance(0.1) ? (ops[0] ?? null) : ops;
}

function strategicPatch(base: Json, rng: Rng): Json {
  const directives: Json[] = [
    { $patch: rng.pick(['replace', 'delete', 'merge', 'bogus']) },
    { metadata: { labels: { $patch: 'delete' } } },
    { spec: { ports: [{ $patch: 'delete', port: 80 }] } },
    { spec: { $retainKeys: ['ports', 1] } },
    { spec: { '$setElementOrder/ports': [{ port: 80 }, { port: 'x' }] } },
    { metadata: { '$deleteFromPrimitiveList/finalizers': ['kubernetes'] } },
    { spec: { template: { spec: { containers: [{ name: 'c', $patch: 'replace' }] } } } },
    { __proto__x: { polluted: 'yes' } },
  ];
  const p = rng.chance(0.5) ? structuredClone(rng.pick(directives)) : structuredClone(base);
  return rng.chance(0.7) ? mutateValue(p, rng) : p;
}

function encodeBody(value: Json, rng: Rng, yaml: boolean): Buffer {
  const text = serialize(value, yaml).replaceAll('__proto__x', '__proto__');
  return rng.chance(0.25) ? mutateText(text, rng) : Buffer.from(text, 'utf8');
}

interface Pick {
  method: string;
  path: string;
  contentType?: string;
  body?: Buffer;
  note: string;
}

function resourceRequest(rng: Rng, pb: readonly PbSeed[]): Pick {
  const r = rng.pick(RESOURCES);
  const ns = rng.pick(NAMESPACES);
  const name = rng.pick(NAME_POOL);
  const verb = rng.weighted<string>([[30, 'create'], [15, 'update'], [20, 'patch'], [8, 'get'], [8, 'list'], [4, 'watch'], [6, 'delete'], [2, 'deletecollection'], [7, 'subresource']]);
  const mutated = rng.chance(0.75);
  const seed = () => {
    const v = seedObject(r, name, ns, rng);
    return mutated ? mutateValue(v, rng) : v;
  };
  switch (verb) {
    case 'create':
    case 'update': {
      const path = verb === 'create' ? collectionPath(r, ns) : itemPath(r, ns, name);
      const method = verb === 'create' ? 'POST' : 'PUT';
      const enc = rng.weighted<string>([[6, 'json'], [2, 'yaml'], [3, 'pb'], [1, 'yamlhazard'], [1, 'random']]);
      if (enc === 'pb' && pb.length) {
        const b = protobufBody(pb, rng);
        return { method, path: path + queryString(rng), contentType: CT.pb, body: b.body, note: `${verb}/${b.note.split(' ').slice(0, 2).join(' ')}` };
      }
      if (enc === 'yamlhazard') return { method, path, contentType: CT.yaml, body: Buffer.from(yamlHazard(rng)), note: `${verb}/yaml-hazard` };
      if (enc === 'random') return { method, path, contentType: rng.pick([CT.json, CT.yaml, rng.pick(BOGUS_CT)]), body: rng.bytes(rng.int(300)), note: `${verb}/random-bytes` };
      const yaml = enc === 'yaml';
      return { method, path: path + queryString(rng), contentType: yaml ? CT.yaml : CT.json, body: encodeBody(seed(), rng, yaml), note: `${verb}/${enc}/${mutated ? 'mutated' : 'valid'}` };
    }
    case 'patch': {
      const kind = rng.pick(['merge', 'smp', 'jsonpatch', 'apply', 'apply-json'] as const);
      const path = itemPath(r, ns, name, r.subresources.includes('status') && rng.chance(0.2) ? 'status' : undefined);
      let q = queryString(rng);
      if (kind.startsWith('apply') && rng.chance(0.8)) q += `${q ? '&' : '?'}fieldManager=fuzz${rng.chance(0.3) ? '&force=true' : ''}`;
      let body: Buffer;
      if (kind === 'jsonpatch') body = encodeBody(jsonPatchOps(rng), rng, false);
      else if (kind === 'smp') body = encodeBody(strategicPatch(seedObject(r, name, ns, rng), rng), rng, false);
      else if (kind === 'merge') body = encodeBody(mutateValue({ metadata: { labels: { x: 'y' } }, ...(rng.chance(0.5) ? { __proto__x: { polluted: 'yes' } } : {}) }, rng), rng, false);
      else body = encodeBody(seed(), rng, kind === 'apply');
      return { method: 'PATCH', path: path + q, contentType: kind === 'apply-json' ? CT.apply : CT[kind], body, note: `patch/${kind}` };
    }
    case 'get':
      return { method: 'GET', path: itemPath(r, ns, name) + queryString(rng), note: 'get' };
    case 'list':
      return { method: 'GET', path: (rng.chance(0.3) && r.namespaced ? `${collectionPath(r, ns).replace(/\/namespaces\/[^/]+/, '')}` : collectionPath(r, ns)) + queryString(rng), note: 'list' };
    case 'watch':
      return { method: 'GET', path: collectionPath(r, ns) + queryString(rng, true).replace(/^\?/, '?watch=true&'), note: 'watch' };
    case 'delete':
      return {
        method: 'DELETE',
        path: itemPath(r, ns, name) + queryString(rng),
        ...(rng.chance(0.5) ? { contentType: CT.json, body: encodeBody(mutated ? mutateValue(deleteOptions(rng), rng) : deleteOptions(rng), rng, false) } : {}),
        note: 'delete',
      };
    case 'deletecollection':
      // Only our fuzz namespaces: wiping kube-system/default every time would starve the other verbs.
      return { method: 'DELETE', path: collectionPath(r, rng.pick(['fuzz-a', 'fuzz-b'])) + queryString(rng), note: 'deletecollection' };
    default: {
      const sub = r.subresources.length ? rng.pick(r.subresources) : 'status';
      const method = rng.pick(['GET', 'PUT', 'PATCH', 'POST']);
      const body = method === 'GET' ? undefined : encodeBody(mutateValue(subresourceObject(r, sub, name, ns, rng), rng), rng, false);
      const ct = method === 'PATCH' ? CT.merge : CT.json;
      const tail = sub === 'log' || sub === 'exec' || sub === 'portforward' ? (sub === 'log' ? '?timeoutSeconds=1' : '') : queryString(rng);
      return { method, path: itemPath(r, ns, name, sub) + tail, ...(body ? { contentType: ct, body } : {}), note: `subresource/${sub}` };
    }
  }
}

function urlRequest(rng: Rng): Pick {
  const method = rng.weighted<string>([[10, 'GET'], [3, 'POST'], [2, 'PUT'], [2, 'PATCH'], [2, 'DELETE'], [1, 'HEAD'], [1, 'OPTIONS'], [1, 'BOGUS'], [1, 'TRACE'], [1, 'CONNECT']]);
  const path = (rng.chance(0.85) ? damagedPath(rng) : validPath(rng).path) + queryString(rng);
  const body = method === 'GET' || method === 'HEAD' || method === 'CONNECT' ? undefined : Buffer.from(JSON.stringify(seedObject(rng.pick(RESOURCES), 'fz-0', 'default', rng)));
  return { method, path, ...(body ? { contentType: rng.pick([CT.json, CT.merge, CT.yaml, rng.pick(BOGUS_CT)]), body } : {}), note: `url/${method === 'GET' ? 'get' : 'other'}` };
}

/** Raw HTTP/1.1 bytes: request-line and header forms Node's clients would refuse to send. */
function rawBytes(p: Pick, rng: Rng): { raw: Buffer; note: string } {
  const body = p.body ?? Buffer.alloc(0);
  const target = rng.weighted<readonly [string, string]>([
    [4, [p.path, 'origin-form']],
    [3, [`https://127.0.0.1${p.path}`, 'absolute-form']],
    [1, [`http://[::1]:1${p.path}`, 'absolute-form-other-host']],
    [1, ['*', 'asterisk-form']],
    [1, ['127.0.0.1:443', 'authority-form']],
    [1, [p.path.replace(/\//g, '\\'), 'backslashes']],
    [1, [`${p.path}/ü☃\u0000`, 'raw-bytes-in-target']],
    [1, ['', 'empty-target']],
  ]);
  const version = rng.weighted<string>([[10, 'HTTP/1.1'], [1, 'HTTP/1.0'], [1, 'HTTP/2.0'], [1, 'HTTP/9.9'], [1, 'http/1.1']]);
  const headers = [`Host: ${rng.chance(0.9) ? '127.0.0.1' : rng.pick(['', 'a b', 'x'.repeat(9000)])}`, 'Connection: close'];
  let framing = 'content-length';
  if (p.contentType !== undefined) headers.push(`Content-Type: ${p.contentType}`);
  if (body.length || rng.chance(0.2)) {
    framing = rng.weighted<string>([[6, 'content-length'], [2, 'chunked'], [1, 'both'], [1, 'short-length'], [1, 'bad-chunk']]);
    if (framing === 'content-length' || framing === 'both') headers.push(`Content-Length: ${body.length}`);
    if (framing === 'short-length') headers.push(`Content-Length: ${Math.max(0, body.length - 5)}`);
    if (framing === 'chunked' || framing === 'both' || framing === 'bad-chunk') headers.push('Transfer-Encoding: chunked');
  }
  if (rng.chance(0.1)) headers.push(rng.pick(['X-Bad\u0000: 1', 'Content-Length: -1', 'Content-Length: 1, 2', 'Accept: ' + 'a,'.repeat(5000), 'Impersonate-User: system:admin', 'Authorization: Bearer x', 'Expect: 100-continue', ': empty-name']));
  let payload = body;
  if (framing === 'chunked' || framing === 'both') payload = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
  if (framing === 'bad-chunk') payload = Buffer.concat([Buffer.from(rng.pick(['zz\r\n', 'ffffffffffffffff\r\n', '-1\r\n', '1;ext="\r\n'])), body.subarray(0, 10), Buffer.from('\r\n0\r\n\r\n')]);
  const head = `${p.method} ${target[0]} ${version}\r\n${headers.join('\r\n')}\r\n\r\n`;
  return { raw: Buffer.concat([Buffer.from(head, 'latin1'), payload]), note: `raw/${target[1]}/${version}/${framing}` };
}

export function generate(seed: number, index: number, pb: readonly PbSeed[]): FuzzRequest {
  const rng = Rng.forRequest(seed, index);
  const p = rng.weighted<() => Pick>([
    [70, () => resourceRequest(rng, pb)],
    [30, () => urlRequest(rng)],
  ])();
  const transport = rng.weighted<Transport>([[78, 'h2'], [12, 'h1'], [10, 'raw']]);
  const headers: Record<string, string> = {};
  if (p.contentType !== undefined) headers['content-type'] = rng.chance(0.03) ? rng.pick(BOGUS_CT) : p.contentType;
  headers.accept = rng.chance(0.8) ? 'application/json' : rng.pick(ACCEPTS);
  if (rng.chance(0.03)) headers['content-encoding'] = rng.pick(['gzip', 'br', 'x']);
  if (transport === 'raw') {
    const { raw, note } = rawBytes(p, rng);
    return { index, transport, method: p.method, path: p.path, headers, ...(p.body ? { body: p.body } : {}), raw, note: `${p.note} ${note}` };
  }
  return { index, transport, method: p.method, path: p.path, headers, ...(p.body ? { body: p.body } : {}), note: p.note };
}
