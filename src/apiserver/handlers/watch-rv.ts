// resourceVersion handling for WATCH, as kube-apiserver's watch cache does it
// (k8s.io/apiserver/pkg/storage/cacher/{cacher,watch_cache}.go, storage/errors.go).
//
// - The parameter is parsed with strconv.ParseUint(rv, 10, 64) (APIObjectVersioner); a parse
//   failure is a storage InvalidError that no layer converts, so the client gets a reason-less
//   500 whose message is the field error (kubernetes/kubernetes#113939 shows the exact text).
// - A plain watch ahead of the store is accepted at once and sees events once the store passes
//   its revision. Only a watch-list (sendInitialEvents=true) waits for the revision: up to 3 s
//   (blockTimeout), then fails with a 504 Timeout carrying a ResourceVersionTooLarge cause and
//   retryAfterSeconds 1, sent as the stream's ERROR event (Cacher.Watch returns newErrWatcher).
// Engineer h8c may add a shared src/apiserver/resource-version.ts for LIST; this file is the
// watch side only, to keep the branches independent.
import { StatusError } from '../../api/errors.js';
import type { RegistryStore } from '../registry/store.js';

/** watch_cache.go blockTimeout. */
export const FRESHNESS_TIMEOUT_MS = 3000;
/** watch_cache.go resourceVersionTooHighRetrySeconds. */
const TOO_LARGE_RETRY_SECONDS = 1;
const UINT64_MAX = (1n << 64n) - 1n;
const POLL_MS = 20;

export interface ParsedResourceVersion {
  /** 0 for "" and "0". */
  readonly value: bigint;
  /** The revision to hand the store: the value, clamped to what a JS number holds exactly. */
  readonly revision: number;
}

/** Parses a watch resourceVersion; throws upstream's reason-less 500 for anything ParseUint rejects. */
export function parseWatchResourceVersion(rv: string): ParsedResourceVersion {
  if (rv === '' || rv === '0') return { value: 0n, revision: 0 };
  if (!/^[0-9]+$/.test(rv)) throw invalidResourceVersion(rv, 'invalid syntax');
  const value = BigInt(rv);
  if (value > UINT64_MAX) throw invalidResourceVersion(rv, 'value out of range');
  // Revisions beyond 2^53 are valid uint64s but can never be reached by this store; watching
  // from MAX_SAFE_INTEGER keeps them "in the future" for ever, which is what upstream does.
  const revision = value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
  return { value, revision };
}

function invalidResourceVersion(rv: string, why: string): StatusError {
  const q = JSON.stringify(rv);
  return new StatusError(500, '', `resourceVersion: Invalid value: ${q}: strconv.ParseUint: parsing ${q}: ${why}`);
}

/** storage.NewTooLargeResourceVersionError(minimum, current, 1). */
export function tooLargeResourceVersion(minimum: bigint, current: number): StatusError {
  return new StatusError(504, 'Timeout', `Timeout: Too large resource version: ${minimum}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: TOO_LARGE_RETRY_SECONDS,
  });
}

/**
 * Waits until the store's revision reaches `minimum` (waitUntilFreshAndBlock), for at most
 * FRESHNESS_TIMEOUT_MS or until `cancelled()` says the client went away. Returns the revision
 * reached, or throws the 504.
 */
export async function waitUntilFresh(store: RegistryStore, minimum: bigint, cancelled: () => boolean): Promise<number> {
  const deadline = Date.now() + FRESHNESS_TIMEOUT_MS;
  for (;;) {
    const current = await store.currentRevision();
    if (BigInt(current) >= minimum || cancelled()) return current;
    if (Date.now() >= deadline) throw tooLargeResourceVersion(minimum, current);
    // The revision is global across resources, so polling it is simpler than subscribing to
    // every prefix; 20 ms is far below the 3 s budget and costs one cheap read per tick.
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
