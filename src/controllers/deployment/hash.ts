// pod-template-hash: controller.ComputeHash (pkg/controller/controller_utils.go) is
//   fnv32a(DeepHashObject(template) ++ little-endian collisionCount as 8 bytes)
// rendered as the decimal string of the sum, each character mapped through
// rand.SafeEncodeString's alphabet (no vowels, no look-alikes).
//
// DeepHashObject prints the typed Go struct with go-spew; svcnet has no Go structs, so it hashes
// a canonical rendering of the JSON template instead (keys sorted, empty values dropped). The
// hash is therefore stable and collision-handled the same way, but not bit-identical to the one
// kube-controller-manager would compute for the same template. Nothing depends on equality with
// upstream's value: the controller finds a Deployment's new ReplicaSet by comparing templates
// (EqualIgnoreHash), as upstream does, never by recomputing hashes of existing ReplicaSets.

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** hash/fnv New32a over bytes, continuing from `h`. */
export function fnv32a(bytes: Uint8Array, h = FNV32_OFFSET): number {
  let hash = h >>> 0;
  for (const b of bytes) {
    hash ^= b;
    hash = Math.imul(hash, FNV32_PRIME) >>> 0;
  }
  return hash;
}

/** rand.SafeEncodeString: each byte picks alphanums[b % 27]. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += SAFE_ALPHABET[b % SAFE_ALPHABET.length];
  return out;
}

/** A deterministic rendering: sorted keys, null/empty values dropped (Semantic.DeepEqual's view). */
export function canonicalJSON(v: unknown): string {
  const norm = normalizeForHash(v);
  return norm === undefined ? '' : JSON.stringify(norm);
}

function normalizeForHash(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    return v.map((x) => normalizeForHash(x) ?? null);
  }
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const n = normalizeForHash((v as Record<string, unknown>)[k]);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}

/** controller.ComputeHash(template, collisionCount). */
export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(Buffer.from(canonicalJSON(template), 'utf8'));
  if (collisionCount !== undefined && collisionCount !== null) {
    const buf = Buffer.alloc(8);
    buf.writeUInt32LE(collisionCount >>> 0, 0);
    h = fnv32a(buf, h);
  }
  return safeEncodeString(String(h));
}
