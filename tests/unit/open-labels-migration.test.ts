/** Migration 0012 (open label sets) only adds columns: runs stored before it read back with truth classes = labels and no abstain label. */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, dbBeforeMigration } from '../fixtures/temp-dirs';
import { migrate, schemaVersion } from '../../src/main/db/migrate';
import { MIGRATIONS } from '../../src/main/db/migrations';
import { migration0012 } from '../../src/main/db/migrations/0012-open-label-sets';
import { computeRunMetrics } from '../../src/main/evals/eval-metrics';
import { getEvalRun } from '../../src/main/evals/eval-store';

afterEach(cleanupTempDirs);

/** A database at the schema before 0012 holding one finished cat/dog run with its rows. */
function before0012(): Database.Database {
  const db = dbBeforeMigration(migration0012);
  db.exec(`
    INSERT INTO datasets (id, name) VALUES (1, 'pets');
    INSERT INTO classes (id, dataset_id, name, position) VALUES (1, 1, 'cat', 0), (2, 1, 'dog', 1);
    INSERT INTO images (hash, ext, format, width, height, bytes) VALUES ('aa11', 'jpg', 'jpeg', 10, 10, 100), ('bb22', 'png', 'png', 20, 20, 200);
    INSERT INTO samples (id, dataset_id, image_hash, original_path, class_id, split) VALUES
      (1, 1, 'aa11', 'cat/a.jpg', 1, 'test'), (2, 1, 'bb22', 'dog/b.png', 2, 'test');
    INSERT INTO dataset_versions (id, dataset_id, name, classes_json, sample_count) VALUES (1, 1, 'v1', '["cat","dog"]', 2);
    INSERT INTO version_samples VALUES (1, 1, 'aa11', 'cat/a.jpg', 'cat', 'test'), (1, 2, 'bb22', 'dog/b.png', 'dog', 'test');
    INSERT INTO eval_runs (id, name, dataset_id, version_id, split, mode, labels_json, seed, status, config_json)
      VALUES (1, 'old run', 1, 1, 'test', 'constrained', '["dog","cat"]', 0, 'done', '{}');
    INSERT INTO eval_samples (run_id, position, sample_id, image_hash, truth, prediction, done) VALUES
      (1, 0, 1, 'aa11', 'cat', 'dog', 1), (1, 1, 2, 'bb22', 'dog', 'dog', 1);`);
  return db;
}

describe('migration 0012 open-label-sets', () => {
  it('adds truth_labels_json and abstain_label and keeps every eval row as it was', () => {
    const db = before0012();
    const runBefore = db.prepare('SELECT * FROM eval_runs').all();
    const samplesBefore = db.prepare('SELECT * FROM eval_samples ORDER BY position').all();
    expect(migrate(db)).toBe(MIGRATIONS.length);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    const cols = (db.prepare('PRAGMA table_info(eval_runs)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual(expect.arrayContaining(['truth_labels_json', 'abstain_label']));
    // Later migrations only add columns: every old value is still there.
    expect(db.prepare('SELECT * FROM eval_samples ORDER BY position').all()).toMatchObject(samplesBefore);
    const after = db.prepare('SELECT * FROM eval_runs').all() as Record<string, unknown>[];
    expect(after.map(({ truth_labels_json: t, abstain_label: a, ...rest }) => [t, a, rest])).toMatchObject(
      (runBefore as Record<string, unknown>[]).map((r) => [null, null, r]),
    );
    db.close();
  });

  it('reads an old run as truth classes = its labels, no abstain label, and recomputes its old-shape metrics', () => {
    const db = before0012();
    migrate(db);
    const run = getEvalRun(db, 1);
    expect(run).toMatchObject({ labels: ['dog', 'cat'], truthLabels: ['dog', 'cat'], abstainLabel: null });
    const m = computeRunMetrics(db, 1);
    expect(m.confusion.columns).toEqual(['dog', 'cat', 'off-label']);
    expect(m.confusion.counts).toEqual([[1, 0, 0], [1, 0, 0]]);
    expect([m.accuracy, m.outsideTruthCount, m.abstain]).toEqual([0.5, 0, null]);
    db.close();
  });
});
