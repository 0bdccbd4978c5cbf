/** Turns a run's stored rows into computeMetrics input: final metrics recorded on a finished run, partial ones for the rest. */
import type { EvalRun, EvalSampleRow } from '../../shared/eval-types';
import type { EvalMetrics } from '../../shared/metrics-types';
import type { Db } from '../db/open-database';
import { nowIso, stmt } from '../db/statement-cache';
import { StudioError } from '../errors';
import { computeMetrics, type MetricsRow } from './metrics';
import { evalSampleRows, getEvalRun } from './eval-store';

/**
 * Metrics over every planned row, in position order. Error rows count as off-label (null prediction) and carry
 * neither probabilities nor a latency; wall time is the run's accumulated processing time across resumes.
 */
export function computeRunMetrics(db: Db, runId: number): EvalMetrics {
  const run = getEvalRun(db, runId);
  const rows = evalSampleRows(db, runId);
  const pending = rows.filter((r) => !r.done).length;
  if (pending > 0) throw new StudioError('conflict', `Eval ${runId} still has ${pending} unfinished samples`);
  return computeMetrics({ ...labelSets(run), rows: rows.map(toMetricsRow), wallTimeMs: elapsedMs(db, runId) });
}

/**
 * Metrics over the finished rows only of a run that has not finished (cancelled, failed, interrupted or still
 * running), flagged partial with done / planned; null when no row has finished yet.
 */
export function computePartialMetrics(db: Db, run: EvalRun): EvalMetrics | null {
  const done = evalSampleRows(db, run.id).filter((r) => r.done);
  if (done.length === 0) return null;
  const metrics = computeMetrics({ ...labelSets(run), rows: done.map(toMetricsRow), wallTimeMs: elapsedMs(db, run.id) });
  return { ...metrics, partial: { done: done.length, planned: run.plannedCount } };
}

/** A run as the UI reads it: unfinished runs with finished rows carry partial metrics. */
export function withPartialMetrics(db: Db, run: EvalRun): EvalRun {
  if (run.status === 'done' || run.metrics !== null || run.doneCount === 0) return run;
  return { ...run, metrics: computePartialMetrics(db, run) };
}

/** Candidates, truth classes and abstain label of a run, as computeMetrics takes them. */
function labelSets(run: EvalRun): { labels: string[]; truthLabels: string[]; abstainLabel: string | null } {
  return { labels: run.labels, truthLabels: run.truthLabels, abstainLabel: run.abstainLabel };
}

function toMetricsRow(r: EvalSampleRow): MetricsRow {
  const row: MetricsRow = { truth: r.truth, prediction: r.error === null ? r.prediction : null };
  if (r.error === null && r.probabilities !== null) row.probabilities = r.probabilities;
  if (r.error === null && r.latencyMs !== null) row.latencyMs = r.latencyMs;
  return row;
}

function elapsedMs(db: Db, runId: number): number {
  return stmt(db, 'SELECT elapsed_ms FROM eval_runs WHERE id = ?').pluck(true).get(runId) as number;
}

/** Computes and stores the metrics and marks the run done, in one transaction. */
export function storeRunMetrics(db: Db, runId: number): EvalMetrics {
  return db
    .transaction((): EvalMetrics => {
      const metrics = computeRunMetrics(db, runId);
      stmt(db, `UPDATE eval_runs SET metrics_json = ?, status = 'done', error = NULL, finished_at = ? WHERE id = ?`).run(
        JSON.stringify(metrics),
        nowIso(),
        runId,
      );
      return metrics;
    })
    .immediate();
}
