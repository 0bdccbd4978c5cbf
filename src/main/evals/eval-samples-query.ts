/** Filtered, sorted pages of an eval run's per-sample rows (misclassified, off-label, least confident …) for the list and the results grid. */
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import type { EvalRun, EvalSampleRow } from '../../shared/eval-types';
import type { EvalOutcome, EvalSamplePage, EvalSampleView } from '../../shared/eval-views';
import { evalSampleRows, getEvalRun } from './eval-store';

export interface EvalSampleFilter {
  outcome: EvalOutcome | 'all';
  truth?: string;
  /** A label, or '' for off-label answers. */
  prediction?: string;
  sort: 'position' | 'confidence-asc' | 'confidence-desc' | 'latency-desc';
  /** Inclusive confidence range; a row without a confidence never matches when either bound is set. */
  minConfidence?: number;
  maxConfidence?: number;
}

export function outcomeOf(row: EvalSampleRow): EvalOutcome {
  if (!row.done) return 'pending';
  if (row.error) return 'error';
  if (row.prediction === null) return 'off-label';
  return row.prediction === row.truth ? 'correct' : 'wrong';
}

/** Probability of the predicted label among the run's labels (scored/classifier runs), else null. */
export function confidenceOf(labels: string[], row: EvalSampleRow): number | null {
  if (!row.probabilities || row.prediction === null) return null;
  const i = labels.indexOf(row.prediction);
  return i >= 0 ? (row.probabilities[i] ?? null) : null;
}

/** The rows a filter keeps, in its sort order (ties and "position" keep run order); pure, so the grid's query is unit-tested. */
export function filterEvalRows(labels: string[], all: EvalSampleRow[], filter: EvalSampleFilter): EvalSampleRow[] {
  const ranged = filter.minConfidence !== undefined || filter.maxConfidence !== undefined;
  const lo = filter.minConfidence ?? 0;
  const hi = filter.maxConfidence ?? 1;
  let rows = all.filter((r) => {
    if (filter.outcome !== 'all' && outcomeOf(r) !== filter.outcome) return false;
    if (filter.truth !== undefined && r.truth !== filter.truth) return false;
    if (filter.prediction !== undefined && (filter.prediction === '' ? r.prediction !== null : r.prediction !== filter.prediction)) return false;
    if (ranged) {
      const c = confidenceOf(labels, r);
      // A small tolerance so a slider at 0.9 keeps a 0.9 stored as 0.89999997 (float32 probabilities).
      if (c === null || c < lo - 1e-6 || c > hi + 1e-6) return false;
    }
    return true;
  });
  if (filter.sort !== 'position') {
    const key = (r: EvalSampleRow): number =>
      filter.sort === 'latency-desc' ? -(r.latencyMs ?? -Infinity) : (confidenceOf(labels, r) ?? (filter.sort === 'confidence-asc' ? Infinity : -Infinity));
    const dir = filter.sort === 'confidence-desc' ? -1 : 1;
    rows = [...rows].sort((a, b) => dir * (key(a) - key(b)) || a.position - b.position);
  }
  return rows;
}

export function toSampleViews(db: Db, run: EvalRun, rows: EvalSampleRow[]): EvalSampleView[] {
  const current = stmt(
    db,
    'SELECT s.status AS status, c.name AS label FROM samples s LEFT JOIN classes c ON c.id = s.class_id WHERE s.id = ? AND s.dataset_id = ?',
  );
  return rows.map((row) => {
    const now = current.get(row.sampleId, run.datasetId) as { status: 'active' | 'dropped'; label: string | null } | undefined;
    return {
      ...row,
      outcome: outcomeOf(row),
      confidence: confidenceOf(run.labels, row),
      datasetSampleExists: now !== undefined,
      currentLabel: now?.label ?? null,
      currentStatus: now?.status ?? null,
    };
  });
}

export function pageEvalSamples(db: Db, runId: number, filter: EvalSampleFilter, offset: number, limit: number): EvalSamplePage {
  const run = getEvalRun(db, runId);
  const all = evalSampleRows(db, runId);
  const outcomeCounts: Record<EvalOutcome, number> = { correct: 0, wrong: 0, 'off-label': 0, error: 0, pending: 0 };
  for (const r of all) outcomeCounts[outcomeOf(r)]++;
  const rows = filterEvalRows(run.labels, all, filter);
  return { total: rows.length, offset, rows: toSampleViews(db, run, rows.slice(offset, offset + limit)), outcomeCounts };
}
