// The history record both built-in drivers keep, shaped like kine's log table: one row per
// revision, naming the key, what happened, and the row it replaced (prevRevision), so a watch
// replay can rebuild prevKv and a list can be answered at any revision not yet compacted.
import type { KeyValue, WatchEvent } from './types.js';

export const LogType = { create: 0, update: 1, delete: 2 } as const;
export type LogType = (typeof LogType)[keyof typeof LogType];

export interface LogRow {
  readonly revision: number;
  readonly key: string;
  readonly type: LogType;
  /** The new value; for a delete, the last value the key had (so DELETE events carry it). */
  readonly value: string;
  readonly createRevision: number;
  /** Revision of the row this one replaced (0 for a create). */
  readonly prevRevision: number;
}

export function rowToKeyValue(row: LogRow): KeyValue {
  return { key: row.key, value: row.value, createRevision: row.createRevision, modRevision: row.revision };
}

/**
 * The watch event for a row. `prev` is the row at row.prevRevision (needed for updates only: a
 * delete row already holds the last value).
 */
export function rowToEvent(row: LogRow, prev: LogRow | undefined): WatchEvent {
  const kv = rowToKeyValue(row);
  switch (row.type) {
    case LogType.create:
      return { type: 'PUT', kv, revision: row.revision };
    case LogType.update:
      return { type: 'PUT', kv, prevKv: prev && rowToKeyValue(prev), revision: row.revision };
    case LogType.delete:
      return {
        type: 'DELETE',
        kv,
        prevKv: { key: row.key, value: row.value, createRevision: row.createRevision, modRevision: row.prevRevision },
        revision: row.revision,
      };
  }
}
