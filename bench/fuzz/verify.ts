// The end-of-run check: every stored object of every kind must be readable by the real kubectl
// (`get -A -o yaml`, the default table, and `describe`). When a whole-kind command fails, each
// object is tried alone so the report names the objects kubectl cannot decode.
import { Kubectl } from '../../test/helpers/kubectl.js';
import { RESOURCES, type ResourceRef } from './seeds.js';
import type { Transports } from './transport.js';
import { collectionPath } from './urls.js';

export interface DecodeFailure {
  readonly resource: string;
  readonly command: string;
  readonly stderr: string;
  /** The object as the server returns it as JSON, when it could be singled out. */
  readonly object?: string;
}

const YAML_PRINTER_LIMIT = /yaml: control characters are not allowed/;
/** Objects tried one by one after a whole-kind command fails. */
const MAX_SINGLED_OUT = 40;

function qualified(r: ResourceRef): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

async function listItems(t: Transports, r: ResourceRef): Promise<{ namespace?: string; name: string; json: string }[]> {
  const path = collectionPath(r, '').replace('/namespaces//', '/');
  const res = await t.send({ index: -1, transport: 'h2', method: 'GET', path, headers: { accept: 'application/json' }, note: 'verify' }, 1 << 30);
  if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${res.error ?? res.body.subarray(0, 300).toString()}`);
  const items = (JSON.parse(res.body.toString('utf8')) as { items?: { metadata?: { name?: string; namespace?: string } }[] }).items ?? [];
  return items.map((o) => ({ name: String(o.metadata?.name), ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}), json: JSON.stringify(o) }));
}

export async function verifyWithKubectl(kubeconfig: string, t: Transports, log: (l: string) => void): Promise<{ failures: DecodeFailure[]; objects: number }> {
  const kubectl = new Kubectl(kubeconfig);
  const failures: DecodeFailure[] = [];
  let objects = 0;
  try {
    for (const r of RESOURCES) {
      let items: Awaited<ReturnType<typeof listItems>> = [];
      try {
        items = await listItems(t, r);
      } catch (err) {
        failures.push({ resource: qualified(r), command: 'list (JSON)', stderr: (err as Error).message });
      }
      objects += items.length;
      const commands: string[][] = [
        ['get', qualified(r), '-A', '-o', 'yaml'],
        ['get', qualified(r), '-A'],
        ['describe', qualified(r), '-A'],
      ];
      for (const args of commands) {
        if (!r.namespaced) args.splice(args.indexOf('-A'), 1);
        const res = await kubectl.run(args, { timeoutMs: 120_000 });
        if (res.code === 0) continue;
        log(`  kubectl ${args.join(' ')} failed: ${res.stderr.trim().split('\n')[0]}`);
        if (YAML_PRINTER_LIMIT.test(res.stderr) && args.includes('yaml')) {
          // kubectl's YAML printer re-reads the JSON it just wrote with a YAML parser that
          // refuses U+007F-U+009F; Go's encoding/json (and so kube-apiserver) sends those raw
          // too, so kubectl fails the same way on a real cluster. Decoding is what we check.
          const asJSON = await kubectl.run(args.map((a) => (a === 'yaml' ? 'json' : a)), { timeoutMs: 120_000 });
          if (asJSON.code === 0) {
            log('    (-o json decodes every object: the YAML printer limit kubectl has upstream too)');
            continue;
          }
        }
        let singled = false;
        let tried = 0;
        for (const it of items) {
          // Each kubectl run costs ~0.3 s; a few thousand fuzzed objects would take longer than the run.
          if (tried++ >= MAX_SINGLED_OUT) break;
          const one = [args[0]!, qualified(r), it.name, ...(it.namespace ? ['-n', it.namespace] : []), ...args.slice(args.indexOf(qualified(r)) + 1).filter((a) => a !== '-A')];
          const r1 = await kubectl.run(one, { timeoutMs: 60_000 });
          if (r1.code !== 0) {
            singled = true;
            failures.push({ resource: qualified(r), command: `kubectl ${one.join(' ')}`, stderr: r1.stderr.trim().slice(0, 1000), object: it.json.slice(0, 4000) });
          }
        }
        if (!singled) failures.push({ resource: qualified(r), command: `kubectl ${args.join(' ')}`, stderr: res.stderr.trim().slice(0, 1000) });
      }
    }
  } finally {
    kubectl.cleanup();
  }
  return { failures, objects };
}
