/** The fine-tune state machine's phase stamps and its automatic evaluation row (migration 0009), read and written in one place. */
import type { FinetuneEvalState, FinetuneEvaluation, FinetunePhase, FinetunePhaseStamp } from '../../shared/finetune-types';
import type { Db } from '../db/open-database';

/** Stamps a phase once (the first entry wins, so a re-attach does not move its time). */
export function recordPhase(db: Db, jobId: string, phase: FinetunePhase, detail: string | null = null): void {
  db.prepare('INSERT OR IGNORE INTO finetune_phases (job_id, phase, detail) VALUES (?, ?, ?)').run(jobId, phase, detail);
}

export function listPhases(db: Db, jobId: string): FinetunePhaseStamp[] {
  return db.prepare('SELECT phase, at, detail FROM finetune_phases WHERE job_id = ? ORDER BY at, rowid').all(jobId) as FinetunePhaseStamp[];
}

export function getEvaluation(db: Db, jobId: string): FinetuneEvaluation | null {
  const row = db
    .prepare('SELECT state, baseline_run_id AS baselineRunId, finetuned_run_id AS finetunedRunId, error FROM finetune_evals WHERE job_id = ?')
    .get(jobId) as FinetuneEvaluation | undefined;
  return row ?? null;
}

/** Creates or updates the job's evaluation row; fields left out keep their value. */
export function saveEvaluation(db: Db, jobId: string, patch: { state: FinetuneEvalState } & Partial<Omit<FinetuneEvaluation, 'state'>>): FinetuneEvaluation {
  const now = getEvaluation(db, jobId) ?? { state: patch.state, baselineRunId: null, finetunedRunId: null, error: null };
  const next: FinetuneEvaluation = { ...now, ...patch };
  db.prepare(
    `INSERT INTO finetune_evals (job_id, state, baseline_run_id, finetuned_run_id, error) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (job_id) DO UPDATE SET state = excluded.state, baseline_run_id = excluded.baseline_run_id,
       finetuned_run_id = excluded.finetuned_run_id, error = excluded.error, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
  ).run(jobId, next.state, next.baselineRunId, next.finetunedRunId, next.error);
  return next;
}
