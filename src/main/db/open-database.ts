/** Opens a workspace database with the pragmas every connection needs (WAL, FKs, busy timeout) and migrates it. */
import { closeSync, openSync, readSync } from 'node:fs';
import Database from 'better-sqlite3';
import { migrate, NewerSchemaError, schemaVersion } from './migrate';
import { LATEST_SCHEMA_VERSION } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** Workers open an already-migrated file and must not migrate concurrently. */
  skipMigrations?: boolean;
}

/** Electron loads an Electron-ABI build of better-sqlite3 (scripts/electron-native.mjs sets this). */
function nativeBinding(): string | undefined {
  return process.env.STUDIO_SQLITE_BINDING || undefined;
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/**
 * user_version read straight from the file header (bytes 60-63), without SQLite: a newer workspace
 * is refused before SQLite could create -wal/-shm files beside it. 0 when there is no database yet.
 */
export function peekSchemaVersion(file: string): number {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return 0;
  }
  try {
    const header = Buffer.alloc(100);
    if (readSync(fd, header, 0, 100, 0) < 100 || header.toString('latin1', 0, 16) !== SQLITE_MAGIC) return 0;
    return header.readInt32BE(60);
  } finally {
    closeSync(fd);
  }
}

/** Throws NewerSchemaError when the file on disk was written by a newer schema (checks the header only). */
export function refuseNewerSchema(file: string): void {
  const found = peekSchemaVersion(file);
  if (found > LATEST_SCHEMA_VERSION) throw new NewerSchemaError(found, LATEST_SCHEMA_VERSION);
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  refuseNewerSchema(file);
  const db = new Database(file, { readonly: options.readonly ?? false, nativeBinding: nativeBinding() });
  try {
    db.pragma('busy_timeout = 10000');
    // Refuse a newer schema before any pragma that writes the file (journal_mode rewrites the header).
    const found = schemaVersion(db);
    if (found > LATEST_SCHEMA_VERSION) throw new NewerSchemaError(found, LATEST_SCHEMA_VERSION);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -65536');
    if (!options.skipMigrations && !options.readonly) migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
