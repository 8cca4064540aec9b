// What every benchmarked system offers the measurement loops in measure.ts: the svcnet API server
// over HTTP/2, svcnet's sqlite driver in-process, and etcd over gRPC.
import type { ProcMemory } from './stats.js';

export const TARGET_NAMES = ['api', 'sqlite', 'etcd'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface ListOutcome {
  /** Request sent to last byte received (or the range call returned), in ms. */
  readonly ms: number;
  readonly count: number;
  readonly bytes: number;
  /** Time to response headers, when the target has them (the server has built the body by then). */
  readonly headersMs?: number;
}

export interface BenchTarget {
  readonly name: TargetName;
  /** Processes whose CPU time is charged to this target, by role ("server", "client", "etcd"). */
  readonly pids: Readonly<Record<string, number>>;
  /** The LIST shapes this target serves: "json" always, "table" for the API server. */
  readonly listVariants: readonly string[];
  /** Builds request bodies/values ahead of a timed section, so building them is not timed. */
  prepareCreates(namespace: string, from: number, count: number): Promise<void>;
  /** Creates Service number `i`; resolves once the write is acknowledged (durably). */
  create(namespace: string, i: number): Promise<void>;
  list(namespace: string, variant: string): Promise<ListOutcome>;
  /**
   * Opens `n` watches on Services; `onSeq(watcher, seq, receivedAtMs)` fires for every event
   * carrying a sequence stamp. Resolves once all are established.
   */
  openWatchers(namespace: string, n: number, onSeq: (watcher: number, seq: number, atMs: number) => void): Promise<{ close(): void }>;
  /**
   * Even `seq`: creates "watched-<seq>"; odd: updates "watched-<seq-1>" (whose create has been
   * acknowledged). Either way the object carries the stamp `seq`. Calls `stamp()` just before
   * the request leaves, after any preparation.
   */
  write(namespace: string, seq: number, stamp: () => void): Promise<void>;
  memory(): Record<string, ProcMemory | undefined>;
  close(): Promise<void>;
}

/** The annotation carrying a write's sequence number through to watchers. */
export const SEQ_ANNOTATION = 'svcnet.bench/seq';
export const SEQ_PATTERN = /"svcnet\.bench\/seq":"(\d+)"/;
