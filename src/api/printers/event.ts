// printEvent from pkg/printers/internalversion/printers.go (core/v1 Events).
import * as d from './descriptions.js';
import { parseTimestamp, translateTimestampSince } from './duration.js';
import { column, type Printer } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

/** formatEventSource: component (or reportingComponent) plus ", host" (or reportingInstance). */
export function formatEventSource(ev: Obj): string {
  const component: string = ev?.source?.component || ev?.reportingComponent || '';
  const instance: string = ev?.source?.host || ev?.reportingInstance || '';
  return instance.length === 0 ? component : `${component}, ${instance}`;
}

export const eventPrinter: Printer = {
  columns: [
    column('Last Seen', 'string', d.eventLastTimestamp),
    column('Type', 'string', d.eventType),
    column('Reason', 'string', d.eventReason),
    column('Object', 'string', d.eventInvolvedObject),
    column('Subobject', 'string', d.objectReferenceFieldPath, { priority: 1 }),
    column('Source', 'string', d.eventSource, { priority: 1 }),
    column('Message', 'string', d.eventMessage),
    column('First Seen', 'string', d.eventFirstTimestamp, { priority: 1 }),
    column('Count', 'string', d.eventCount, { priority: 1 }),
    column('Name', 'string', d.metaName, { format: 'name', priority: 1 }),
  ],
  cells(ev: Obj, now: Date): unknown[] {
    // events.k8s.io-style events carry only eventTime/series; fall back like upstream does.
    let firstSeen = translateTimestampSince(ev?.firstTimestamp, now);
    if (parseTimestamp(ev?.firstTimestamp) === undefined) firstSeen = translateTimestampSince(ev?.eventTime, now);
    let lastSeen = translateTimestampSince(ev?.lastTimestamp, now);
    if (parseTimestamp(ev?.lastTimestamp) === undefined) lastSeen = firstSeen;

    let count: number = ev?.count ?? 0;
    if (ev?.series != null) {
      lastSeen = translateTimestampSince(ev.series.lastObservedTime, now);
      count = ev.series.count ?? 0;
    } else if (count === 0) {
      // Singleton events don't have a count set in the new API.
      count = 1;
    }

    const kind = String(ev?.involvedObject?.kind ?? '').toLowerCase();
    const name: string = ev?.involvedObject?.name ?? '';
    const target = name.length > 0 ? `${kind}/${name}` : kind;
    return [
      lastSeen,
      ev?.type ?? '',
      ev?.reason ?? '',
      target,
      ev?.involvedObject?.fieldPath ?? '',
      formatEventSource(ev),
      String(ev?.message ?? '').trim(),
      firstSeen,
      count,
      ev?.metadata?.name ?? '',
    ];
  },
};
