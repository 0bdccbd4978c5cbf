/** Migration 0006 (jobs outlive the app) upgrades a database holding real 0005 data: jobs gain backend/ref/owner, eval rows survive the rebuild. */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, dbBeforeMigration } from '../fixtures/temp-dirs';
import { migrate, schemaVersion } from '../../src/main/db/migrate';
import { MIGRATIONS } from '../../src/main/db/migrations';
import { migration0006 } from '../../src/main/db/migrations/0006-jobs-outlive-the-app';

afterEach(cleanupTempDirs);

function db0005(): Database.Database {
  const db = dbBeforeMigration(migration0006);
  db.exec(`
    INSERT INTO datasets (id, name) VALUES (1, 'pets');
    INSERT INTO images (hash, ext, format, width, height, bytes) VALUES ('aa11', 'jpg', 'jpeg', 10, 10, 100), ('bb22', 'png', 'png', 20, 20, 200);
    INSERT INTO dataset_versions (id, dataset_id, name, classes_json, sample_count) VALUES (1, 1, 'v1', '["cat","dog"]', 2);
    INSERT INTO models (id, name, kind, path) VALUES (1, 'm', 'onnx-classifier', '/models/m');
    INSERT INTO eval_runs (id, name, dataset_id, version_id, split, model_id, mode, labels_json, seed, status, elapsed_ms, started_at)
      VALUES (7, 'r', 1, 1, 'test', 1, 'classifier', '["cat","dog"]', 23, 'running', 12.5, '2026-01-01T00:00:00.000Z'),
             (8, 's', 1, 1, 'all', NULL, 'raw', '["cat","dog"]', 5, 'done', 3, NULL);
    INSERT INTO eval_samples (run_id, position, sample_id, image_hash, truth, prediction, probabilities_json, latency_ms, done)
      VALUES (7, 0, 1, 'aa11', 'cat', 'cat', '[0.9,0.1]', 4.5, 1), (7, 1, 2, 'bb22', 'dog', NULL, NULL, NULL, 0), (8, 0, 2, 'bb22', 'dog', 'dog', NULL, 1, 1);
    INSERT INTO jobs (id, kind, status, params_json) VALUES ('e', 'eval', 'running', '{"runId":7}'), ('i', 'import', 'done', '{"source":"/x"}'),
      ('bad', 'eval', 'failed', 'not json');`);
  return db;
}

const dump = (db: Database.Database, sql: string): unknown[] => db.prepare(sql).all();
const RUN_COLS = 'id, name, dataset_id, version_id, split, model_id, mode, labels_json, seed, status, elapsed_ms, started_at, created_at';

describe('migration 0006 jobs-outlive-the-app', () => {
  it('is the sixth migration and keeps every eval run, eval sample and job row', () => {
    expect(MIGRATIONS.indexOf(migration0006)).toBe(5);
    expect(migration0006.version).toBe(6);
    const db = db0005();
    const runs = dump(db, `SELECT ${RUN_COLS} FROM eval_runs ORDER BY id`);
    const samples = dump(db, 'SELECT * FROM eval_samples ORDER BY run_id, position');
    const jobs = dump(db, 'SELECT id, kind, status, params_json, created_at FROM jobs ORDER BY id');
    expect(migrate(db)).toBe(MIGRATIONS.length);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(dump(db, `SELECT ${RUN_COLS} FROM eval_runs ORDER BY id`)).toEqual(runs);
    // Later migrations only add columns: every old value is still there.
    expect(dump(db, 'SELECT * FROM eval_samples ORDER BY run_id, position')).toMatchObject(samples);
    expect(dump(db, 'SELECT id, kind, status, params_json, created_at FROM jobs ORDER BY id')).toEqual(jobs);
    expect(dump(db, 'PRAGMA foreign_key_check')).toEqual([]);
    db.close();
  });

  it('links existing eval jobs to their run and defaults every job to the thread backend with no external reference or host', () => {
    const db = db0005();
    migrate(db);
    expect(dump(db, 'SELECT id, backend, external_ref, log_offset, owner_kind, owner_id, host_pid, host_started FROM jobs ORDER BY id')).toEqual([
      { id: 'bad', backend: 'thread', external_ref: null, log_offset: 0, owner_kind: null, owner_id: null, host_pid: null, host_started: null },
      { id: 'e', backend: 'thread', external_ref: null, log_offset: 0, owner_kind: 'eval-run', owner_id: 7, host_pid: null, host_started: null },
      { id: 'i', backend: 'thread', external_ref: null, log_offset: 0, owner_kind: null, owner_id: null, host_pid: null, host_started: null },
    ]);
    const plan = dump(db, `EXPLAIN QUERY PLAN SELECT id FROM jobs WHERE owner_kind = 'eval-run' AND owner_id = 7 AND status IN ('queued','running')`);
    expect(JSON.stringify(plan)).toMatch(/USING (COVERING )?INDEX jobs_by_owner/);
    db.close();
  });

  it('rebuilt eval tables: interrupted is storable, claims exist, the sample cascade and indexes are back', () => {
    const db = db0005();
    expect(() => db.prepare(`UPDATE eval_runs SET status = 'interrupted' WHERE id = 7`).run()).toThrow(/CHECK/);
    migrate(db);
    db.prepare(`UPDATE eval_runs SET status = 'interrupted', claim_pid = 42, claim_started = 'x' WHERE id = 7`).run();
    expect(db.prepare('SELECT status, claim_pid FROM eval_runs WHERE id = 7').get()).toEqual({ status: 'interrupted', claim_pid: 42 });
    const fks = db.prepare('PRAGMA foreign_key_list(eval_samples)').all() as { table: string; on_delete: string }[];
    expect(fks.map((f) => [f.table, f.on_delete])).toEqual([['eval_runs', 'CASCADE']]);
    const indexes = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('eval_runs','eval_samples') AND sql IS NOT NULL ORDER BY name`).pluck().all() as string[]);
    expect(indexes).toEqual(expect.arrayContaining(['eval_runs_by_dataset', 'eval_runs_by_model', 'eval_runs_by_version', 'eval_runs_claimed', 'eval_samples_by_position', 'eval_samples_pending']));
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name LIKE '%_new'`).all()).toEqual([]);
    db.prepare('DELETE FROM eval_runs WHERE id = 7').run();
    expect(dump(db, 'SELECT run_id FROM eval_samples')).toEqual([{ run_id: 8 }]);
    db.prepare('DELETE FROM models WHERE id = 1').run();
    expect(dump(db, 'SELECT model_id FROM eval_runs')).toEqual([{ model_id: null }]);
    db.close();
  });
});
