/** Migration 0004 (models + evals) upgrades a database holding real 0001–0003 data without touching it. */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, dbBeforeMigration } from '../fixtures/temp-dirs';
import { migrate, schemaVersion } from '../../src/main/db/migrate';
import { MIGRATIONS } from '../../src/main/db/migrations';
import { migration0004 } from '../../src/main/db/migrations/0004-models-and-evals';

afterEach(cleanupTempDirs);

function olderDb(): Database.Database {
  const db = dbBeforeMigration(migration0004);
  db.exec(`
    INSERT INTO datasets (id, name) VALUES (1, 'pets');
    INSERT INTO classes (id, dataset_id, name, position) VALUES (1, 1, 'cat', 0), (2, 1, 'dog', 1);
    INSERT INTO images (hash, ext, format, width, height, bytes) VALUES ('aa11', 'jpg', 'jpeg', 10, 10, 100), ('bb22', 'png', 'png', 20, 20, 200);
    INSERT INTO samples (id, dataset_id, image_hash, original_path, class_id, split) VALUES
      (1, 1, 'aa11', 'cat/a.jpg', 1, 'test'), (2, 1, 'bb22', 'dog/b.png', 2, 'test');
    INSERT INTO dataset_versions (id, dataset_id, name, classes_json, sample_count) VALUES (1, 1, 'v1', '["cat","dog"]', 2);
    INSERT INTO version_samples VALUES (1, 1, 'aa11', 'cat/a.jpg', 'cat', 'test'), (1, 2, 'bb22', 'dog/b.png', 'dog', 'test');
    INSERT INTO version_seals VALUES (1, 1);`);
  return db;
}

const dump = (db: Database.Database, table: string): unknown[] => db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all();

describe('migration 0004 models-and-evals', () => {
  it('is the next migration after 0003 and keeps every existing row intact', () => {
    expect(MIGRATIONS.indexOf(migration0004)).toBe(3);
    expect(migration0004.version).toBe(4);
    const db = olderDb();
    const tables = ['datasets', 'classes', 'images', 'samples', 'dataset_versions', 'version_samples', 'version_seals'];
    const before = Object.fromEntries(tables.map((t) => [t, dump(db, t)]));
    expect(migrate(db)).toBe(MIGRATIONS.length);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    for (const t of tables) expect(dump(db, t)).toEqual(before[t]);
    // Version immutability from 0001/0002 still holds.
    expect(() => db.prepare(`UPDATE version_samples SET label = 'dog' WHERE sample_id = 1`).run()).toThrow(/immutable/);
    db.close();
  });

  it('creates models, eval_runs and eval_samples with their constraints and cascades', () => {
    const db = olderDb();
    // Up to 0004 itself: 0006 rebuilds eval_runs with the status checked in code (it gained 'interrupted').
    migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(migration0004) + 1));
    db.prepare(`INSERT INTO models (id, name, kind, path) VALUES (1, 'm', 'onnx-classifier', '/models/m')`).run();
    expect(() => db.prepare(`INSERT INTO models (name, kind, path) VALUES ('M', 'vlm', '/x')`).run()).toThrow(/UNIQUE/);
    expect(() => db.prepare(`INSERT INTO models (name, kind, path) VALUES ('z', 'gguf', '/y')`).run()).toThrow(/CHECK/);
    const insRun = db.prepare(
      `INSERT INTO eval_runs (id, name, dataset_id, version_id, split, model_id, mode, labels_json, seed, status)
       VALUES (?, 'r', 1, 1, ?, 1, ?, '["cat","dog"]', 23, ?)`,
    );
    insRun.run(1, 'test', 'classifier', 'queued');
    expect(() => insRun.run(2, 'holdout', 'classifier', 'queued')).toThrow(/CHECK/);
    expect(() => insRun.run(3, 'test', 'beam', 'queued')).toThrow(/CHECK/);
    expect(() => insRun.run(4, 'test', 'raw', 'paused')).toThrow(/CHECK/);
    const insSample = db.prepare(`INSERT INTO eval_samples (run_id, position, sample_id, image_hash, truth) VALUES (1, ?, ?, 'aa11', 'cat')`);
    insSample.run(0, 1);
    insSample.run(1, 2);
    expect(() => insSample.run(2, 1)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insSample.run(1, 3)).toThrow(/UNIQUE/);
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM eval_samples WHERE run_id = 1 AND done = 0 ORDER BY position`).all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX eval_samples_pending/);
    // Removing the model keeps the run (history) with a null model; deleting the run removes its rows.
    db.prepare('DELETE FROM models WHERE id = 1').run();
    expect(db.prepare('SELECT model_id FROM eval_runs WHERE id = 1').pluck().get()).toBeNull();
    db.prepare('DELETE FROM eval_runs WHERE id = 1').run();
    expect(db.prepare('SELECT COUNT(*) FROM eval_samples').pluck().get()).toBe(0);
    db.close();
  });

  it('deleting a dataset cascades to its eval runs and their rows', () => {
    const db = olderDb();
    migrate(db);
    db.exec(`INSERT INTO eval_runs (id, name, dataset_id, version_id, split, mode, labels_json, seed) VALUES (1, 'r', 1, 1, 'all', 'raw', '[]', 0);
      INSERT INTO eval_samples (run_id, position, sample_id, image_hash, truth) VALUES (1, 0, 1, 'aa11', 'cat');`);
    db.prepare('DELETE FROM datasets WHERE id = 1').run();
    expect(db.prepare('SELECT COUNT(*) FROM eval_runs').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM eval_samples').pluck().get()).toBe(0);
    db.close();
  });
});
