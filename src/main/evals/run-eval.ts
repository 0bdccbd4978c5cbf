/**
 * Runs (or resumes) one eval: loads the model once, evaluates the not-yet-done planned rows in position order,
 * commits each row as it finishes (a kill -9 loses at most the sample in flight), then stores the metrics; the run is
 * claimed by this process meanwhile (eval-claim.ts).
 */
import { existsSync } from 'node:fs';
import type { EvalRun } from '../../shared/eval-types';
import type { Db } from '../db/open-database';
import { nowIso, stmt } from '../db/statement-cache';
import { StudioError } from '../errors';
import { getModel } from '../models/model-registry';
import { imagePath, type Workspace } from '../workspace/workspace';
import { loadEvalEngine, type EngineOptions, type SampleOutcome } from './eval-engine';
import { storeRunMetrics } from './eval-metrics';
import { claimRun, releaseRun } from './eval-claim';
import { getEvalRun, runClassMapping } from './eval-store';
import { runStoredCascade } from './cascade-plan';

export interface RunEvalOptions extends EngineOptions {
  onProgress?: (value: number, message: string) => void;
  /** Abort = stop after the sample in flight; the run becomes 'cancelled' and can be resumed. */
  signal?: AbortSignal;
}

export type EvalWorkspace = Pick<Workspace, 'db' | 'imagesDir'>;

interface PendingRow {
  position: number;
  sampleId: number;
  imageHash: string;
  ext: string | null;
}

function setStatus(db: Db, runId: number, status: EvalRun['status'], error: string | null = null): void {
  const finished = status === 'running' ? null : nowIso();
  stmt(
    db,
    `UPDATE eval_runs SET status = ?, error = ?, finished_at = ?,
       started_at = CASE WHEN ? = 'running' THEN COALESCE(started_at, ?) ELSE started_at END WHERE id = ?`,
  ).run(status, error, finished, status, nowIso(), runId);
}

/** Keeps an engine's answer inside the run's label set; a malformed probability vector becomes an error row. */
function checkOutcome(outcome: SampleOutcome, labels: readonly string[]): { outcome: SampleOutcome; error: string | null } {
  const prediction = outcome.prediction !== null && labels.includes(outcome.prediction) ? outcome.prediction : null;
  const p = outcome.probabilities;
  if (p !== null) {
    const sum = p.reduce((a, b) => a + b, 0);
    if (p.length !== labels.length || p.some((x) => !Number.isFinite(x) || x < 0) || Math.abs(sum - 1) > 1e-3) {
      return { outcome: { ...outcome, prediction: null, probabilities: null }, error: `invalid probabilities [${p.join(', ')}]` };
    }
  }
  return { outcome: { ...outcome, prediction }, error: null };
}

export async function runEval(ws: EvalWorkspace, runId: number, opts: RunEvalOptions = {}): Promise<EvalRun> {
  const db = ws.db;
  const first = getEvalRun(db, runId);
  if (first.status === 'done') return first;
  // Refused (conflict) while a live process, this one included, computes the run; a dead claimant's claim is taken over.
  claimRun(db, runId);
  try {
    return await drive(ws, getEvalRun(db, runId), opts);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (db.open) setStatus(db, runId, 'failed', message);
    throw err;
  } finally {
    if (db.open) releaseRun(db, runId);
  }
}

async function drive(ws: EvalWorkspace, run: EvalRun, opts: RunEvalOptions): Promise<EvalRun> {
  const { db } = ws;
  const report = progressReporter(opts.onProgress);
  if (run.modelId === null) {
    throw new StudioError('conflict', `The model of eval "${run.name}" (${run.config.modelName}) was removed from the registry; it cannot be resumed`);
  }
  const model = getModel(db, run.modelId);
  if (!existsSync(model.path)) throw new StudioError('not-found', `The folder of model "${model.name}" is gone: ${model.path}`);
  setStatus(db, run.id, 'running');
  const total = run.plannedCount;
  let done = run.doneCount;
  if (opts.signal?.aborted) return cancel(db, run.id);

  report(done / total, `Loading ${model.name}`);
  const engine = await loadEvalEngine(run, model, runClassMapping(db, run.id), opts, runStoredCascade(db, run.id));
  try {
    const pending = stmt(
      db,
      `SELECT e.position, e.sample_id AS sampleId, e.image_hash AS imageHash, i.ext
       FROM eval_samples e LEFT JOIN images i ON i.hash = e.image_hash
       WHERE e.run_id = ? AND e.done = 0 ORDER BY e.position`,
    ).all(run.id) as PendingRow[];
    const write = db.transaction((row: PendingRow, outcome: SampleOutcome | null, error: string | null, ms: number) => {
      stmt(
        db,
        `UPDATE eval_samples SET prediction = ?, raw_output = ?, probabilities_json = ?, latency_ms = ?, error = ?, done = 1
         WHERE run_id = ? AND sample_id = ? AND done = 0`,
      ).run(
        outcome?.prediction ?? null,
        outcome?.rawOutput ?? null,
        outcome?.probabilities ? JSON.stringify(outcome.probabilities) : null,
        ms,
        error,
        run.id,
        row.sampleId,
      );
      if (outcome?.oodMass != null || outcome?.modelTop1 != null) {
        stmt(db, 'UPDATE eval_samples SET ood_mass = ?, model_top1 = ? WHERE run_id = ? AND sample_id = ?').run(
          outcome.oodMass ?? null,
          outcome.modelTop1 ?? null,
          run.id,
          row.sampleId,
        );
      }
      stmt(db, 'UPDATE eval_runs SET elapsed_ms = elapsed_ms + ? WHERE id = ?').run(ms, run.id);
      if (outcome?.stage1) {
        stmt(db, 'UPDATE eval_samples SET stage1_json = ?, stage1_latency_ms = ? WHERE run_id = ? AND sample_id = ?').run(
          JSON.stringify(outcome.stage1),
          outcome.stage1Ms ?? null,
          run.id,
          row.sampleId,
        );
      }
    });
    for (const row of pending) {
      if (opts.signal?.aborted) break;
      const t0 = performance.now();
      let outcome: SampleOutcome | null = null;
      let error: string | null = null;
      const file = row.ext === null ? null : imagePath(ws, row.imageHash, row.ext);
      if (file === null || !existsSync(file)) {
        error = `image ${row.imageHash.slice(0, 12)}… is missing from the workspace store`;
      } else {
        try {
          const checked = checkOutcome(await engine.predict(file), run.labels);
          outcome = checked.outcome;
          error = checked.error;
        } catch (err) {
          error = err instanceof Error ? err.message : String(err);
        }
      }
      write.immediate(row, outcome, error, performance.now() - t0);
      done += 1;
      report(done / total, `Evaluated ${done} of ${total} samples`);
    }
  } finally {
    await engine.dispose();
  }
  if (opts.signal?.aborted) return cancel(db, run.id);
  report(1, 'Computing metrics');
  storeRunMetrics(db, run.id);
  return getEvalRun(db, run.id);
}

function cancel(db: Db, runId: number): EvalRun {
  setStatus(db, runId, 'cancelled');
  return getEvalRun(db, runId);
}

function progressReporter(onProgress: RunEvalOptions['onProgress']): (value: number, message: string) => void {
  let last = -1;
  return (value, message) => {
    if (!onProgress) return;
    if (value < 1 && value - last < 0.005) return;
    last = value;
    onProgress(Math.min(1, Math.max(0, value)), message);
  };
}
