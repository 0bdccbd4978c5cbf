/** Migration 0016 (prompt versions) upgrades a 0015 database: existing runs are linked to versions by exact prompt text, nothing else moves. */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, dbBeforeMigration } from '../fixtures/temp-dirs';
import { migrate } from '../../src/main/db/migrate';
import { MIGRATIONS } from '../../src/main/db/migrations';
import { migration0016 } from '../../src/main/db/migrations/0016-prompt-versions';

afterEach(cleanupTempDirs);

/** A 0011 database with four runs: two share prompt A, one uses prompt B, one is a classifier run (empty prompts). */
function olderDb(runs = true): Database.Database {
  const db = dbBeforeMigration(migration0016);
  db.exec(`
    INSERT INTO datasets (id, name) VALUES (1, 'pets');
    INSERT INTO classes (id, dataset_id, name, position) VALUES (1, 1, 'cat', 0), (2, 1, 'dog', 1);
    INSERT INTO dataset_versions (id, dataset_id, name, classes_json, sample_count) VALUES (1, 1, 'v1', '["cat","dog"]', 0);
    INSERT INTO models (id, name, kind, path) VALUES (1, 'vlm', 'vlm', '/m/vlm'), (2, 'cls', 'onnx-classifier', '/m/cls');`);
  if (runs) {
    const ins = db.prepare(
      `INSERT INTO eval_runs (id, name, dataset_id, version_id, split, model_id, mode, system_prompt, user_prompt, labels_json, seed, status, created_at)
       VALUES (?, ?, 1, 1, 'test', ?, ?, ?, ?, '["cat","dog"]', 23, 'done', ?)`,
    );
    ins.run(1, 'a1', 1, 'raw', 'sys A', 'Which?\n{{labels}}', '2026-01-01T00:00:00.000Z');
    ins.run(2, 'b1', 1, 'scored', 'sys B', 'Pick one:\n{{labels}}', '2026-01-02T00:00:00.000Z');
    ins.run(3, 'a2', 1, 'constrained', 'sys A', 'Which?\n{{labels}}', '2026-01-03T00:00:00.000Z');
    ins.run(4, 'c', 2, 'classifier', '', '', '2026-01-04T00:00:00.000Z');
  }
  return db;
}

describe('migration 0016 prompt-versions', () => {
  it('is the migration after 0011', () => {
    expect(MIGRATIONS.indexOf(migration0016)).toBe(15);
    expect(migration0016.version).toBe(16);
  });

  it('backfills one "unsaved" version per distinct prompt text and links every VLM run to it; classifier runs stay unlinked', () => {
    const db = olderDb();
    const before = db.prepare('SELECT id, name, system_prompt, user_prompt, status FROM eval_runs ORDER BY id').all();
    migrate(db);
    expect(db.prepare('SELECT id, name, system_prompt, user_prompt, status FROM eval_runs ORDER BY id').all()).toEqual(before);
    expect(db.prepare('SELECT name, ad_hoc AS adHoc FROM prompts').all()).toEqual([{ name: 'unsaved', adHoc: 1 }]);
    const versions = db.prepare('SELECT id, number, system_prompt AS s, user_prompt AS u, expanded_user_prompt AS e, created_at AS c FROM prompt_versions ORDER BY number').all() as {
      id: number;
      number: number;
      s: string;
      u: string;
      e: string;
      c: string;
    }[];
    // Numbered by first use: A (run 1) is v1, B (run 2) is v2; created_at is the first run's.
    expect(versions.map((v) => [v.number, v.s, v.u, v.e, v.c])).toEqual([
      [1, 'sys A', 'Which?\n{{labels}}', 'Which?\n{{labels}}', '2026-01-01T00:00:00.000Z'],
      [2, 'sys B', 'Pick one:\n{{labels}}', 'Pick one:\n{{labels}}', '2026-01-02T00:00:00.000Z'],
    ]);
    const links = db.prepare('SELECT id, prompt_version_id AS v FROM eval_runs ORDER BY id').all();
    expect(links).toEqual([
      { id: 1, v: versions[0].id },
      { id: 2, v: versions[1].id },
      { id: 3, v: versions[0].id },
      { id: 4, v: null },
    ]);
    db.close();
  });

  it('creates no ad-hoc prompt in a workspace without VLM runs, and versions are immutable and unique per prompt', () => {
    const db = olderDb(false);
    migrate(db);
    expect(db.prepare('SELECT COUNT(*) FROM prompts').pluck().get()).toBe(0);
    db.prepare(`INSERT INTO prompts (id, name) VALUES (1, 'cats')`).run();
    db.prepare(`INSERT INTO prompt_versions (prompt_id, number, system_prompt, user_prompt, expanded_user_prompt) VALUES (1, 1, 's', 'u', 'u')`).run();
    expect(() => db.prepare(`INSERT INTO prompt_versions (prompt_id, number, system_prompt, user_prompt, expanded_user_prompt) VALUES (1, 1, 's', 'x', 'x')`).run()).toThrow(/UNIQUE/);
    expect(() => db.prepare(`UPDATE prompt_versions SET user_prompt = 'changed'`).run()).toThrow(/immutable/);
    expect(() => db.prepare(`INSERT INTO prompts (name) VALUES ('CATS')`).run()).toThrow(/UNIQUE/);
    expect(() => db.prepare(`INSERT INTO prompts (name, ad_hoc) VALUES ('a', 1), ('b', 1)`).run()).toThrow(/UNIQUE/);
    // Deleting a prompt unlinks its runs instead of deleting them.
    db.prepare(
      `INSERT INTO eval_runs (id, name, dataset_id, version_id, split, model_id, mode, labels_json, seed, status, prompt_version_id)
       VALUES (9, 'r', 1, 1, 'test', 1, 'raw', '[]', 1, 'done', 1)`,
    ).run();
    db.prepare('DELETE FROM prompts WHERE id = 1').run();
    expect(db.prepare('SELECT prompt_version_id FROM eval_runs WHERE id = 9').pluck().get()).toBeNull();
    // Form settings go with their dataset.
    db.prepare(`INSERT INTO datasets (id, name) VALUES (2, 'cars')`).run();
    db.prepare(`INSERT INTO eval_form_settings (dataset_id, settings_json) VALUES (1, '{}'), (2, '{}')`).run();
    db.prepare('DELETE FROM datasets WHERE id = 2').run();
    expect(db.prepare('SELECT dataset_id FROM eval_form_settings').pluck().all()).toEqual([1]);
    db.close();
  });
});
