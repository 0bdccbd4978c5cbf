/** Migration 0007 (finetune lineage) upgrades a database with registered models: they keep their rows, gain null base/job links, and a second fine-tune of one job is refused by the unique index. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/main/db/migrate';
import { MIGRATIONS } from '../../src/main/db/migrations';
import { migration0007 } from '../../src/main/db/migrations/0007-finetune-lineage';

const dir = mkdtempSync(join(tmpdir(), 'vcs-ftmig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 0007 finetune-lineage', () => {
  it('keeps existing models, links a fine-tune to its base (SET NULL when the base goes) and registers one model per job', () => {
    const db = new Database(join(dir, 'studio.db'));
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(migration0007)));
    db.exec(`INSERT INTO models (id, name, kind, path) VALUES (1, 'base', 'vlm', '/models/base')`);
    migrate(db);
    expect(db.prepare('SELECT id, name, base_model_id, finetune_job_id FROM models').all()).toEqual([{ id: 1, name: 'base', base_model_id: null, finetune_job_id: null }]);
    db.exec(`INSERT INTO models (id, name, kind, path, base_model_id, finetune_job_id) VALUES (2, 'ft', 'vlm', '/models/ft', 1, 'job-1')`);
    expect(() => db.exec(`INSERT INTO models (name, kind, path, base_model_id, finetune_job_id) VALUES ('ft2', 'vlm', '/models/ft2', 1, 'job-1')`)).toThrow(/UNIQUE/);
    expect(db.prepare('EXPLAIN QUERY PLAN SELECT id FROM models WHERE base_model_id = 1').all().map((r) => (r as { detail: string }).detail).join(' ')).toContain('models_by_base');
    db.exec('DELETE FROM models WHERE id = 1');
    expect(db.prepare('SELECT base_model_id FROM models WHERE id = 2').pluck(true).get()).toBeNull();
    db.close();
  });
});
