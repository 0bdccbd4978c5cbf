/** Opens a workspace database with the pragmas every connection needs (WAL, FKs, busy timeout) and migrates it. */
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

export function openDatabase(file: string, options: OpenOptions = {}): Db {
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
