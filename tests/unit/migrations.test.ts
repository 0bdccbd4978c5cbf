/** Schema migrations: fresh DB, atomic failure, newer-schema refusal, index use of the hot sample queries. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, NewerSchemaError, schemaVersion } from '../../src/main/db/migrate';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/main/db/migrations';
import { openDatabase } from '../../src/main/db/open-database';
import { filterSql, fromSql, sortSql } from '../../src/main/datasets/sample-filter-sql';
import type { SampleFilter, SortKey } from '../../src/shared/domain';
import { insertSyntheticSamples, makeTempWorkspace, type TempWorkspace } from './helpers/temp-workspace';

const dirs: string[] = [];
const tempFile = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'vcs-mig-'));
  dirs.push(dir);
  return join(dir, 'studio.db');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tableNames = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );

describe('migrate', () => {
  it('brings a fresh database to the latest version with every table', () => {
    const db = openDatabase(tempFile());
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(tableNames(db)).toEqual(
      expect.arrayContaining([
        'datasets', 'classes', 'images', 'samples', 'dataset_versions', 'version_samples', 'version_seals',
        'changes', 'change_entries', 'import_reports', 'import_issues', 'jobs',
      ]),
    );
    expect(migrate(db)).toBe(LATEST_SCHEMA_VERSION); // idempotent
    db.close();
  });

  it('runs all pending migrations in one transaction: a failing one leaves version and tables unchanged', () => {
    const db = new Database(tempFile());
    const broken = [
      ...MIGRATIONS,
      { version: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE extra (x); SELECT * FROM no_such_table;' },
    ];
    expect(() => migrate(db, broken)).toThrow(/no_such_table/);
    expect(schemaVersion(db)).toBe(0);
    expect(tableNames(db)).toEqual([]);

    migrate(db);
    const before = tableNames(db);
    expect(() => migrate(db, broken)).toThrow(/no_such_table/);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(tableNames(db)).toEqual(before);
    expect(before).not.toContain('extra');
    db.close();
  });

  it('upgrades an existing database step by step, backfilling change sample counts', () => {
    const db = new Database(tempFile());
    migrate(db, MIGRATIONS.slice(0, 2));
    expect(schemaVersion(db)).toBe(2);
    db.exec(`INSERT INTO datasets (id, name) VALUES (1, 'd');
      INSERT INTO changes (id, dataset_id, actor, action, summary) VALUES (1, 1, 'user', 'drop', 'Drop 2 samples (x)');
      INSERT INTO change_entries VALUES (1, 10, 'status', 'active', 'dropped'), (1, 10, 'drop_reason', NULL, 'x'),
        (1, 11, 'status', 'active', 'dropped');`);
    expect(migrate(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare('SELECT sample_count FROM changes WHERE id = 1').pluck().get()).toBe(2);
    db.close();
  });

  it('refuses a database written by a newer schema and does not modify the file', () => {
    const file = tempFile();
    const raw = new Database(file);
    raw.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    const digest = () => createHash('sha256').update(readFileSync(file)).digest('hex');
    const before = digest();
    expect(() => openDatabase(file)).toThrow(NewerSchemaError);
    expect(digest()).toBe(before);
    const check = new Database(file, { readonly: true });
    expect(schemaVersion(check)).toBe(LATEST_SCHEMA_VERSION + 5);
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });
});

describe('query plans of the hot sample queries (100k synthetic samples)', () => {
  let t: TempWorkspace;
  afterEach(() => t?.cleanup());

  const plan = (filter: SampleFilter, key: SortKey): string => {
    const f = filterSql(filter);
    const s = sortSql({ key, desc: false });
    const sql = `SELECT s.id FROM ${fromSql(f.needsClasses || s.needsClasses, s.needsImages)}
      WHERE ${f.where} ORDER BY ${s.orderBy} LIMIT 200 OFFSET 0`;
    return (t.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...f.params) as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');
  };

  it('filters by dataset + label / split / status and pages by id through indexes, never scanning samples', () => {
    t = makeTempWorkspace();
    const d = insertSyntheticSamples(t.db, { count: 100_000, classes: ['cat', 'dog', 'bird'], droppedEvery: 20 });
    t.db.exec('ANALYZE');
    const cat = d.classIds.get('cat') as number;
    const ds = d.datasetId;
    const cases: [SampleFilter, SortKey, RegExp][] = [
      [{ datasetId: ds, classIds: [cat] }, 'id', /SEARCH s USING COVERING INDEX samples_by_status_class/],
      [{ datasetId: ds, classIds: [cat], status: 'all' }, 'id', /SEARCH s USING COVERING INDEX samples_by_class/],
      [{ datasetId: ds, splits: ['train'], status: 'all' }, 'id', /SEARCH s USING COVERING INDEX samples_by_split/],
      [{ datasetId: ds, status: 'dropped' }, 'id', /SEARCH s USING COVERING INDEX samples_by_status/],
      [{ datasetId: ds }, 'id', /SEARCH s USING COVERING INDEX samples_by_status/],
      [{ datasetId: ds, status: 'all' }, 'id', /SEARCH s USING COVERING INDEX samples_by_dataset/],
      [{ datasetId: ds, classIds: [cat] }, 'path', /SEARCH s USING (COVERING )?INDEX samples_by_status_class/],
    ];
    for (const [filter, key, expected] of cases) {
      const text = plan(filter, key);
      expect(text, JSON.stringify(filter)).toMatch(expected);
      expect(text, JSON.stringify(filter)).not.toMatch(/SCAN s\b/);
      // Paging by id walks the index in order: no sort pass at all.
      if (key === 'id') expect(text, JSON.stringify(filter)).not.toMatch(/TEMP B-TREE/);
    }
  });
});

describe('native binding override', () => {
  it('opens the database through the binding named by STUDIO_SQLITE_BINDING (how Electron gets its own ABI build)', async () => {
    const { createRequire } = await import('node:module');
    const { dirname: dir, join: pjoin } = await import('node:path');
    const { mkdtempSync: mk, rmSync: rm } = await import('node:fs');
    const { tmpdir: tmp } = await import('node:os');
    const { openDatabase: open } = await import('../../src/main/db/open-database');
    const moduleDir = dir(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));
    const folder = mk(pjoin(tmp(), 'vcs-binding-'));
    const previous = process.env.STUDIO_SQLITE_BINDING;
    try {
      process.env.STUDIO_SQLITE_BINDING = pjoin(folder, 'missing.node');
      expect(() => open(pjoin(folder, 'a.db'))).toThrow(/missing\.node/);
      process.env.STUDIO_SQLITE_BINDING = pjoin(moduleDir, 'build', 'Release', 'better_sqlite3.node');
      const db = open(pjoin(folder, 'b.db'));
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    } finally {
      if (previous === undefined) delete process.env.STUDIO_SQLITE_BINDING;
      else process.env.STUDIO_SQLITE_BINDING = previous;
      rm(folder, { recursive: true, force: true });
    }
  });
});
