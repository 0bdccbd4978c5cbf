/** Filtered, sorted pages of an eval run's per-sample rows (misclassified, off-label, least confident …). */
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import type { EvalRun, EvalSampleRow } from '../../shared/eval-types';
import type { EvalOutcome, EvalSamplePage, EvalSampleView } from '../../shared/eval-views';
import { evalSampleRows, getEvalRun } from './eval-store';

export interface EvalSampleFilter {
  outcome: EvalOutcome | 'all';
  truth?: string;
  prediction?: string;
  sort: 'position' | 'confidence-asc' | 'confidence-desc' | 'latency-desc';
}

export function outcomeOf(row: EvalSampleRow): EvalOutcome {
  if (!row.done) return 'pending';
  if (row.error) return 'error';
  if (row.prediction === null) return 'off-label';
  return row.prediction === row.truth ? 'correct' : 'wrong';
}

function confidenceOf(run: EvalRun, row: EvalSampleRow): number | null {
  if (!row.probabilities || row.prediction === null) return null;
  const i = run.labels.indexOf(row.prediction);
  return i >= 0 ? row.probabilities[i] : null;
}

export function toSampleViews(db: Db, run: EvalRun, rows: EvalSampleRow[]): EvalSampleView[] {
  const exists = stmt(db, 'SELECT 1 FROM samples WHERE id = ? AND dataset_id = ?');
  return rows.map((row) => ({
    ...row,
    outcome: outcomeOf(row),
    confidence: confidenceOf(run, row),
    datasetSampleExists: exists.get(row.sampleId, run.datasetId) !== undefined,
  }));
}

export function pageEvalSamples(db: Db, runId: number, filter: EvalSampleFilter, offset: number, limit: number): EvalSamplePage {
  const run = getEvalRun(db, runId);
  const all = evalSampleRows(db, runId);
  const outcomeCounts: Record<EvalOutcome, number> = { correct: 0, wrong: 0, 'off-label': 0, error: 0, pending: 0 };
  for (const r of all) outcomeCounts[outcomeOf(r)]++;
  let rows = all.filter(
    (r) =>
      (filter.outcome === 'all' || outcomeOf(r) === filter.outcome) &&
      (filter.truth === undefined || r.truth === filter.truth) &&
      (filter.prediction === undefined || (filter.prediction === '' ? r.prediction === null : r.prediction === filter.prediction)),
  );
  if (filter.sort !== 'position') {
    const key = (r: EvalSampleRow): number =>
      filter.sort === 'latency-desc' ? -(r.latencyMs ?? -Infinity) : (confidenceOf(run, r) ?? (filter.sort === 'confidence-asc' ? Infinity : -Infinity));
    const dir = filter.sort === 'confidence-desc' ? -1 : 1;
    rows = [...rows].sort((a, b) => dir * (key(a) - key(b)) || a.position - b.position);
  }
  return { total: rows.length, offset, rows: toSampleViews(db, run, rows.slice(offset, offset + limit)), outcomeCounts };
}
