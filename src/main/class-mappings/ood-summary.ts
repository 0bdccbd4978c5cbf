/** Run-level out-of-distribution signal of a mapped classifier run, from the per-sample ood_mass / model_top1 columns. */
import { OOD_HIGH_THRESHOLD, type OodSummary } from '../../shared/class-mapping-types';
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import { notFound } from '../errors';

/** Mean OOD mass, the share of samples above OOD_HIGH_THRESHOLD, and which model classes those samples went to. */
export function oodSummary(db: Db, runId: number): OodSummary {
  if (stmt(db, 'SELECT 1 FROM eval_runs WHERE id = ?').get(runId) === undefined) throw notFound(`eval run ${runId}`);
  const agg = stmt(
    db,
    `SELECT COUNT(ood_mass) AS count, AVG(ood_mass) AS mean, SUM(CASE WHEN ood_mass > ? THEN 1 ELSE 0 END) AS high
     FROM eval_samples WHERE run_id = ? AND done = 1 AND ood_mass IS NOT NULL`,
  ).get(OOD_HIGH_THRESHOLD, runId) as { count: number; mean: number | null; high: number | null };
  const top = stmt(
    db,
    `SELECT model_top1 AS label, COUNT(*) AS count FROM eval_samples
     WHERE run_id = ? AND done = 1 AND ood_mass > ? AND model_top1 IS NOT NULL
     GROUP BY model_top1 ORDER BY count DESC, label LIMIT 5`,
  ).all(runId, OOD_HIGH_THRESHOLD) as { label: string; count: number }[];
  return {
    runId,
    count: agg.count,
    meanOodMass: agg.count > 0 ? agg.mean : null,
    shareAboveHalf: agg.count > 0 ? (agg.high ?? 0) / agg.count : null,
    topOutsideClasses: top,
  };
}

/** The CLI's lines for a mapped classifier run (none when the run carries no OOD mass). */
export function formatOodSummary(s: OodSummary): string[] {
  if (s.count === 0 || s.meanOodMass === null || s.shareAboveHalf === null) return [];
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const top = s.topOutsideClasses.map((c) => `${c.label} ×${c.count}`).join(', ');
  return [
    `OOD mass (outside every mapped class): mean ${pct(s.meanOodMass)}; ${pct(s.shareAboveHalf)} of samples above ${pct(OOD_HIGH_THRESHOLD)}${top ? ` (model said: ${top})` : ''}`,
    'Probabilities, confidence and calibration above are renormalised over the mapped classes.',
  ];
}
