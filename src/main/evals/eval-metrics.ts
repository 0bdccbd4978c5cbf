/** Turns a finished run's stored rows into computeMetrics input and records the result on the run. */
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
  const input: MetricsRow[] = rows.map((r) => {
    const row: MetricsRow = { truth: r.truth, prediction: r.error === null ? r.prediction : null };
    if (r.error === null && r.probabilities !== null) row.probabilities = r.probabilities;
    if (r.error === null && r.latencyMs !== null) row.latencyMs = r.latencyMs;
    return row;
  });
  const elapsed = stmt(db, 'SELECT elapsed_ms FROM eval_runs WHERE id = ?').pluck(true).get(runId) as number;
  return computeMetrics({ labels: run.labels, rows: input, wallTimeMs: elapsed });
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
