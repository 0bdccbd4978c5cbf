/** Migration 0009: existing SSH hosts gain python3, phases are stamped once per job and phase, evaluation rows upsert and go with their job. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/main/db/migrate';
import { MIGRATIONS } from '../../src/main/db/migrations';
import { migration0009 } from '../../src/main/db/migrations/0009-finetune-phases-evals';
import { getEvaluation, listPhases, recordPhase, saveEvaluation } from '../../src/main/finetunes/finetune-state-store';

const dir = mkdtempSync(join(tmpdir(), 'vcs-ftstate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 0009 finetune-phases-evals', () => {
  it('upgrades hosts, stamps phases once and upserts the evaluation, all cascading with the job', () => {
    const db = new Database(join(dir, 'studio.db'));
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(migration0009)));
    db.exec(`INSERT INTO ssh_hosts (name, host, port, username, key_path, work_dir) VALUES ('gpu', 'h', 22, 'u', '/k', '~/w')`);
    migrate(db);
    expect(db.prepare('SELECT python FROM ssh_hosts').pluck(true).get()).toBe('python3');
    db.exec(`INSERT INTO jobs (id, kind, status, params_json) VALUES ('j1', 'finetune', 'running', '{}')`);
    recordPhase(db, 'j1', 'queued');
    recordPhase(db, 'j1', 'running', 'step 1');
    recordPhase(db, 'j1', 'running', 'again');
    expect(listPhases(db, 'j1').map((p) => [p.phase, p.detail])).toEqual([['queued', null], ['running', 'step 1']]);
    expect(getEvaluation(db, 'j1')).toBeNull();
    saveEvaluation(db, 'j1', { state: 'baseline' });
    expect(saveEvaluation(db, 'j1', { state: 'failed', error: 'boom' })).toEqual({ state: 'failed', baselineRunId: null, finetunedRunId: null, error: 'boom' });
    db.exec(`DELETE FROM jobs WHERE id = 'j1'`);
    expect(listPhases(db, 'j1')).toEqual([]);
    expect(getEvaluation(db, 'j1')).toBeNull();
    db.close();
  });
});
