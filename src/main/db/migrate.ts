/** Runs pending migrations in one transaction, tracked in PRAGMA user_version (Signal-Desktop style). */
import type Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';
import type { Migration } from './migrations/types';

export class NewerSchemaError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `This workspace was written by a newer version of the studio (schema ${found}, this app supports up to ${supported}). ` +
        'Update the app; the database was not modified.',
    );
    this.name = 'NewerSchemaError';
  }
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = schemaVersion(db);
  const latest = migrations.length;
  if (current > latest) throw new NewerSchemaError(current, latest);
  if (current === latest) return current;
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  const run = db.transaction(() => {
    for (const m of migrations.slice(current)) {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
  });
  run.immediate();
  return latest;
}
