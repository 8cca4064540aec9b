// The sqlite schema and every statement the driver runs, kept apart from the logic the way
// kine keeps a Dialect's SQL apart from its generic driver.
//
//   log   one row per revision (kine's kine table): create/update/delete, the value (a delete
//         keeps the last value), create_revision, and prev_revision (the row it replaced).
//   kv    the current revision of each live key: current reads never scan history.
//   meta  the compacted revision (survives restarts; the current revision is max(log.revision),
//         which compaction never removes).
import type Database from 'better-sqlite3';

export const schemaSql = `
CREATE TABLE IF NOT EXISTS log (
  revision INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  type INTEGER NOT NULL,
  value TEXT NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS log_key_revision ON log (key, revision);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, revision INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

/** Log columns under the LogRow field names, so rows need no mapping. */
const cols = 'l.revision, l.key, l.type, l.value, l.create_revision AS createRevision, l.prev_revision AS prevRevision';

/**
 * Range scans bind :start/:end as the prefix range. An unbounded end is bound as a BLOB: SQLite
 * orders every TEXT value below every BLOB, so the index range still applies.
 * :after is the exclusive startAfter key (NULL for none).
 */
const inRange = (col: string) => `${col} >= :start AND ${col} < :end AND (:after IS NULL OR ${col} > :after)`;

export function prepareStatements(db: Database.Database) {
  return {
    current: db.prepare(`SELECT ${cols} FROM kv JOIN log l ON l.revision = kv.revision WHERE kv.key = ?`),
    byRevision: db.prepare(`SELECT ${cols} FROM log l WHERE l.revision = ?`),
    insertLog: db.prepare(
      'INSERT INTO log (revision, key, type, value, create_revision, prev_revision) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    upsertKv: db.prepare('INSERT INTO kv (key, revision) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET revision = excluded.revision'),
    deleteKv: db.prepare('DELETE FROM kv WHERE key = ?'),
    listCurrent: db.prepare(
      `SELECT ${cols} FROM kv JOIN log l ON l.revision = kv.revision WHERE ${inRange('kv.key')} ORDER BY kv.key LIMIT :limit`,
    ),
    countCurrent: db.prepare(`SELECT count(*) FROM kv WHERE ${inRange('kv.key')}`).pluck(),
    // Each key's latest row at :revision (SQLite's max() picks the row), minus deleted keys.
    listAt: db.prepare(
      `SELECT ${cols} FROM (SELECT max(revision) AS r FROM log WHERE ${inRange('key')} AND revision <= :revision GROUP BY key) m
       JOIN log l ON l.revision = m.r WHERE l.type != 2 ORDER BY l.key LIMIT :limit`,
    ),
    countAt: db.prepare(
      `SELECT count(*) FROM (SELECT max(revision) AS r FROM log WHERE ${inRange('key')} AND revision <= :revision GROUP BY key) m
       JOIN log l ON l.revision = m.r WHERE l.type != 2`,
    ).pluck(),
    eventsAfter: db.prepare(
      `SELECT ${cols} FROM log l WHERE l.revision > :after AND l.revision <= :upTo AND l.key >= :start AND l.key < :end
       ORDER BY l.revision LIMIT :limit`,
    ),
    maxRevision: db.prepare('SELECT max(revision) FROM log').pluck(),
    getMeta: db.prepare('SELECT value FROM meta WHERE name = ?').pluck(),
    setMeta: db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
    // Drop rows below :revision that a row at or below :revision replaced, and tombstones below
    // it. Rows at or below :old were dealt with by the previous compaction.
    compact: db.prepare(
      `DELETE FROM log WHERE revision < :revision AND (
         (type = 2 AND revision >= :old) OR
         revision IN (SELECT prev_revision FROM log WHERE revision > :old AND revision <= :revision AND prev_revision > 0))`,
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
