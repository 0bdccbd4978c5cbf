/** Prepares each SQL text once per connection (WeakMap keyed by db) so hot paths skip re-parsing. */
import type Database from 'better-sqlite3';
import type { Db } from './open-database';

const MAX_PER_DB = 500;
const caches = new WeakMap<Db, Map<string, Database.Statement>>();

/** Returns the prepared statement for this SQL text on this connection, preparing it on first use. */
export function stmt(db: Db, sql: string): Database.Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (!prepared) {
    // Dynamic filters produce a bounded but open set of texts; start over rather than grow forever.
    if (cache.size >= MAX_PER_DB) cache.clear();
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}

/** Current time in the same ISO-8601 form the schema's defaults write. */
export function nowIso(): string {
  return new Date().toISOString();
}
