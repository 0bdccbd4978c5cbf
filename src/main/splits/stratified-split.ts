/** Stratified train/val/test assignment: a pure seeded computation plus the one-undoable-change DB step. */
import type { Split, SplitRequest, SplitResult } from '../../shared/domain';
import { SPLITS } from '../../shared/domain';
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import { StudioError } from '../errors';
import { recordChange, type FieldChange } from '../datasets/change-log';
import { requireDataset } from '../datasets/dataset-service';
import { deriveSeed, mulberry32, shuffleInPlace } from './seeded-rng';

export type SplitRatios = SplitRequest['ratios'];

export function validateRatios(ratios: SplitRatios): void {
  for (const s of SPLITS) {
    const r = ratios?.[s];
    if (typeof r !== 'number' || !Number.isFinite(r) || r < 0 || r > 1) {
      throw new StudioError('invalid-args', `split ratio "${s}" must be a number between 0 and 1`);
    }
  }
  const sum = ratios.train + ratios.val + ratios.test;
  if (Math.abs(sum - 1) > 1e-6) throw new StudioError('invalid-args', `split ratios must sum to 1 (got ${sum})`);
}

/** Per-split counts for n items: floors of n·ratio, remainder to the largest fractional parts (ties: train, val, test). */
export function allocateCounts(n: number, ratios: SplitRatios): Record<Split, number> {
  const exact = SPLITS.map((s) => n * ratios[s]);
  const counts = exact.map((x) => Math.floor(x + 1e-9));
  let left = n - counts.reduce((a, b) => a + b, 0);
  const order = SPLITS.map((_, i) => i).sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b);
  for (const i of order) {
    if (left <= 0) break;
    if (exact[i] - counts[i] <= 1e-9) continue;
    counts[i]++;
    left--;
  }
  // Only reachable through float noise: give any leftover to the largest ratio.
  if (left > 0) counts[exact.indexOf(Math.max(...exact))] += left;
  return { train: counts[0], val: counts[1], test: counts[2] };
}

/**
 * Assigns each item a split so every class follows the ratios as closely as possible.
 * Deterministic for the same set of items and seed, whatever their input order.
 */
export function computeStratifiedSplit(
  items: readonly { id: number; label: string }[],
  ratios: SplitRatios,
  seed: number,
): Map<number, Split> {
  validateRatios(ratios);
  if (!Number.isFinite(seed)) throw new StudioError('invalid-args', 'seed must be a number');
  const byLabel = new Map<string, number[]>();
  for (const item of [...items].sort((a, b) => a.id - b.id)) {
    const ids = byLabel.get(item.label) ?? [];
    ids.push(item.id);
    byLabel.set(item.label, ids);
  }
  const result = new Map<number, Split>();
  for (const [label, ids] of byLabel) {
    // Each class gets its own stream, so adding a class does not reshuffle the others.
    shuffleInPlace(ids, mulberry32(deriveSeed(seed, label)));
    const counts = allocateCounts(ids.length, ratios);
    let k = 0;
    for (const split of SPLITS) for (let c = 0; c < counts[split]; c++) result.set(ids[k++], split);
  }
  return result;
}

/** Assigns splits to every active labelled sample of the dataset as one undoable change (action 'split'). */
export function assignSplits(db: Db, req: SplitRequest, actor = 'user'): SplitResult {
  validateRatios(req.ratios);
  return db.transaction((): SplitResult => {
    requireDataset(db, req.datasetId);
    const rows = stmt(
      db,
      `SELECT s.id, c.name AS label, s.split FROM samples s JOIN classes c ON c.id = s.class_id
       WHERE s.dataset_id = ? AND s.status = 'active' ORDER BY s.id`,
    ).all(req.datasetId) as { id: number; label: string; split: string | null }[];
    if (rows.length === 0) throw new StudioError('invalid-args', 'the dataset has no active labelled samples to split');
    const assigned = computeStratifiedSplit(rows, req.ratios, req.seed);
    const counts: SplitResult['counts'] = {};
    const entries: FieldChange[] = [];
    for (const r of rows) {
      const split = assigned.get(r.id);
      if (!split) throw new StudioError('failed', `sample ${r.id} got no split`);
      counts[r.label] ??= { train: 0, val: 0, test: 0 };
      counts[r.label][split]++;
      entries.push({ sampleId: r.id, field: 'split', before: r.split, after: split });
    }
    const pct = (x: number) => Math.round(x * 100);
    const summary = `Assign splits ${pct(req.ratios.train)}/${pct(req.ratios.val)}/${pct(req.ratios.test)} (seed ${req.seed}) to ${rows.length} samples`;
    const change = recordChange(db, req.datasetId, { action: 'split', summary, actor }, entries);
    return { counts, change };
  }).immediate();
}
