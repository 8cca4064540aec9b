// Endpoint identity and comparison (k8s.io/endpointslice/util endpointset.go and
// controller_utils.go): an endpoint is "the same" across syncs when its sorted addresses,
// hostname and target Pod are; other fields (conditions, node, zone) are what an update changes.
import type { ObjectReference } from '../../api/types/core/index.js';
import type { Endpoint, EndpointPort } from '../../api/types/discovery/index.js';

/** hashEndpoint: the identity of an endpoint across syncs. */
export function endpointKey(ep: Endpoint): string {
  return JSON.stringify([[...ep.addresses].sort(), ep.hostname ?? '', ep.targetRef?.namespace ?? '', ep.targetRef?.name ?? '']);
}

/** A set of endpoints keyed by identity, iterated (and popped) in insertion order. */
export class EndpointSet {
  readonly #items = new Map<string, Endpoint>();

  constructor(endpoints: Iterable<Endpoint> = []) {
    for (const ep of endpoints) this.insert(ep);
  }

  insert(ep: Endpoint): void {
    this.#items.set(endpointKey(ep), ep);
  }

  get(ep: Endpoint): Endpoint | undefined {
    return this.#items.get(endpointKey(ep));
  }

  delete(ep: Endpoint): void {
    this.#items.delete(endpointKey(ep));
  }

  /** Removes and returns one endpoint (the oldest inserted). */
  pop(): Endpoint | undefined {
    const first = this.#items.entries().next();
    if (first.done) return undefined;
    this.#items.delete(first.value[0]);
    return first.value[1];
  }

  get size(): number {
    return this.#items.size;
  }

  values(): Endpoint[] {
    return [...this.#items.values()];
  }
}

function refsEqualIgnoringResourceVersion(a: ObjectReference | undefined, b: ObjectReference | undefined): boolean {
  if (!a || !b) return !a && !b;
  const fields = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'fieldPath'] as const;
  return fields.every((f) => (a[f] ?? '') === (b[f] ?? ''));
}

/**
 * EndpointsEqualBeyondHash: equal in everything the identity does not cover, ignoring the target
 * Pod's resourceVersion (a Pod annotation change must not rewrite slices). Hints are not
 * compared: they are reconciled separately.
 */
export function endpointsEqualBeyondHash(a: Endpoint, b: Endpoint): boolean {
  return (
    a.nodeName === b.nodeName &&
    a.zone === b.zone &&
    a.conditions?.ready === b.conditions?.ready &&
    a.conditions?.serving === b.conditions?.serving &&
    a.conditions?.terminating === b.conditions?.terminating &&
    refsEqualIgnoringResourceVersion(a.targetRef, b.targetRef)
  );
}

/** Normalises a port as the API server stores it (name "" and protocol TCP by default). */
function normalisePort(p: EndpointPort): EndpointPort {
  const out: EndpointPort = { name: p.name ?? '', protocol: p.protocol ?? 'TCP' };
  if (p.port !== undefined && p.port !== null) out.port = p.port;
  if (p.appProtocol) out.appProtocol = p.appProtocol;
  return out;
}

/** NewPortMapKey: identifies a set of ports regardless of order; nil and [] are the same. */
export function portMapKey(ports: readonly EndpointPort[] | null | undefined): string {
  const parts = (ports ?? []).map((p) => {
    const n = normalisePort(p);
    return JSON.stringify([n.name, n.protocol, n.port ?? null, n.appProtocol ?? null]);
  });
  return `[${parts.sort().join(',')}]`;
}
