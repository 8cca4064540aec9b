// EventRecorder: writes core/v1 Events as client-go's record package does. The first occurrence
// is created as `<object name>.<hex nanoseconds>` with count 1; the same event again (same
// involvedObject, type, reason and message) within the aggregation window PATCHes that Event's
// count, lastTimestamp and message instead of creating another, so a retry loop cannot flood etcd.
// Recording never throws: a lost Event must not fail the controller that reported it.
import { formatTime, type KubeObject } from '../api/meta.js';
import type { Logger } from '../util/logger.js';
import { isNotFound } from './api-error.js';
import { realClock, type Clock } from './clock.js';
import { resources } from './resource-path.js';
import type { RestClient } from './rest-client.js';

export type EventType = 'Normal' | 'Warning';

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EventRecorderOptions {
  /** `source.component` and `reportingComponent`, e.g. `endpoint-slice-controller`. */
  readonly component: string;
  /** `source.host` and `reportingInstance` (a node name), when there is one. */
  readonly host?: string;
  /** Repeats further apart than this start a new Event (default 10 minutes). */
  readonly aggregationWindowMs?: number;
  /** How many distinct events to remember (client-go's LRU holds 4096). */
  readonly maxCachedEvents?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

interface Observation {
  readonly name: string;
  readonly namespace: string;
  readonly count: number;
  readonly firstTimestamp: string;
  readonly lastSeenMs: number;
}

/** ref.GetReference for an object we hold (kind/apiVersion must be set on it). */
export function referenceTo(obj: KubeObject): ObjectReference {
  const m = obj.metadata;
  if (!m.name) throw new Error('cannot reference an object without metadata.name');
  const ref: ObjectReference = { kind: obj.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: obj.apiVersion, resourceVersion: m.resourceVersion };
  for (const k of Object.keys(ref) as (keyof ObjectReference)[]) if (ref[k] === undefined || ref[k] === '') delete ref[k];
  return ref;
}

export class EventRecorder {
  readonly #client: RestClient;
  readonly #opts: EventRecorderOptions;
  readonly #clock: Clock;
  readonly #cache = new Map<string, Observation>();
  // One write at a time per aggregation key, so two quick repeats cannot both create.
  readonly #inflight = new Map<string, Promise<void>>();
  #seq = 0;

  constructor(client: RestClient, opts: EventRecorderOptions) {
    this.#client = client;
    this.#opts = opts;
    this.#clock = opts.clock ?? realClock;
  }

  /** Records an event about `obj`; resolves once written (or given up on, logged). */
  event(obj: KubeObject | ObjectReference, type: EventType, reason: string, message: string): Promise<void> {
    const ref = 'metadata' in obj ? referenceTo(obj as KubeObject) : obj;
    const key = JSON.stringify([ref.kind, ref.namespace, ref.name, ref.fieldPath, ref.uid, ref.apiVersion, type, reason, message]);
    const prev = this.#inflight.get(key) ?? Promise.resolve();
    const next = prev.then(() => this.#record(key, ref, type, reason, message));
    this.#inflight.set(key, next);
    void next.finally(() => {
      if (this.#inflight.get(key) === next) this.#inflight.delete(key);
    });
    return next;
  }

  async #record(key: string, ref: ObjectReference, type: EventType, reason: string, message: string): Promise<void> {
    const nowMs = this.#clock.now();
    const now = formatTime(new Date(nowMs));
    const window = this.#opts.aggregationWindowMs ?? 10 * 60_000;
    const prev = this.#cache.get(key);
    try {
      if (prev && nowMs - prev.lastSeenMs <= window) {
        const count = prev.count + 1;
        const ev = await this.#patchOrRecreate(prev, ref, type, reason, message, count, now);
        this.#remember(key, ev, nowMs);
        return;
      }
      const namespace = ref.namespace || 'default';
      const body = this.#build(`${ref.name}.${this.#uniqueNanos(nowMs)}`, namespace, ref, type, reason, message, 1, now, now);
      const ev = await this.#client.create<KubeObject>({ ...resources.events, namespace }, body);
      this.#remember(key, ev, nowMs);
    } catch (err) {
      this.#opts.logger?.error('unable to write event', { reason, object: `${ref.namespace ?? ''}/${ref.name}`, err: String(err) });
    }
  }

  async #patchOrRecreate(prev: Observation, ref: ObjectReference, type: EventType, reason: string, message: string, count: number, now: string): Promise<KubeObject> {
    try {
      const patch = { count, lastTimestamp: now, message };
      return await this.#client.patch<KubeObject>({ ...resources.events, namespace: prev.namespace, name: prev.name }, patch, 'strategic');
    } catch (err) {
      // Someone deleted the Event (or it expired by TTL): write it again under the same name.
      if (!isNotFound(err)) throw err;
      const body = this.#build(prev.name, prev.namespace, ref, type, reason, message, count, prev.firstTimestamp, now);
      return await this.#client.create<KubeObject>({ ...resources.events, namespace: prev.namespace }, body);
    }
  }

  #build(name: string, namespace: string, ref: ObjectReference, type: EventType, reason: string, message: string, count: number, first: string, last: string): KubeObject {
    const source: Record<string, string> = { component: this.#opts.component };
    if (this.#opts.host) source.host = this.#opts.host;
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: ref,
      reason,
      message,
      source,
      firstTimestamp: first,
      lastTimestamp: last,
      count,
      type,
      eventTime: null,
      reportingComponent: this.#opts.component,
      reportingInstance: this.#opts.host ?? '',
    };
  }

  #remember(key: string, ev: KubeObject, nowMs: number): void {
    this.#cache.delete(key); // re-insert: Map order is our LRU order
    this.#cache.set(key, {
      name: ev.metadata.name!,
      namespace: ev.metadata.namespace!,
      count: typeof ev.count === 'number' ? ev.count : 1,
      firstTimestamp: typeof ev.firstTimestamp === 'string' ? ev.firstTimestamp : formatTime(new Date(nowMs)),
      lastSeenMs: nowMs,
    });
    const max = this.#opts.maxCachedEvents ?? 4096;
    while (this.#cache.size > max) this.#cache.delete(this.#cache.keys().next().value!);
  }

  // client-go names Events by UnixNano; with a millisecond clock, a counter fills the sub-ms
  // digits so two events about one object in the same millisecond still get distinct names.
  #uniqueNanos(ms: number): string {
    this.#seq = (this.#seq + 1) % 1_000_000;
    return (BigInt(ms) * 1_000_000n + BigInt(this.#seq)).toString(16);
  }
}
