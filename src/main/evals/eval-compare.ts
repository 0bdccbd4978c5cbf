/** Side-by-side comparison of two eval runs over the samples both finished (e.g. base model vs LoRA fine-tune). */
import type { Db } from '../db/open-database';
import { StudioError } from '../errors';
import type { EvalComparison, EvalComparisonRow } from '../../shared/eval-views';
import { evalSampleRows, getEvalRun } from './eval-store';
import { pairedBootstrapCi } from './paired-bootstrap';

/** Exact two-sided McNemar test: binomial(n = b + c, p = 0.5) on the discordant pairs. */
export function mcnemarExactP(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  let logC = 0; // log C(n, 0)
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

/** Fixed so a comparison shows the same CI every time it is opened. */
export const BOOTSTRAP_RESAMPLES = 10_000;
export const BOOTSTRAP_SEED = 20_240_601;

export function compareRuns(db: Db, aId: number, bId: number): EvalComparison {
  if (aId === bId) throw new StudioError('invalid-args', 'pick two different runs to compare');
  const a = getEvalRun(db, aId);
  const b = getEvalRun(db, bId);
  if (a.datasetId !== b.datasetId) throw new StudioError('invalid-args', 'the two runs evaluate different datasets');
  const bRows = new Map(evalSampleRows(db, bId).filter((r) => r.done).map((r) => [r.sampleId, r]));
  let shared = 0;
  let bothCorrect = 0;
  let onlyA = 0;
  let onlyB = 0;
  let bothWrong = 0;
  const oneRight: EvalComparisonRow[] = [];
  const bothWrongDiffer: EvalComparisonRow[] = [];
  const okAs: boolean[] = [];
  const okBs: boolean[] = [];
  for (const ra of evalSampleRows(db, aId)) {
    const rb = bRows.get(ra.sampleId);
    if (!ra.done || !rb) continue;
    shared++;
    const okA = !ra.error && ra.prediction === ra.truth;
    const okB = !rb.error && rb.prediction === rb.truth;
    okAs.push(okA);
    okBs.push(okB);
    const row = { sampleId: ra.sampleId, originalPath: ra.originalPath, truth: ra.truth, a: ra.prediction, b: rb.prediction };
    if (okA && okB) bothCorrect++;
    else if (okA || okB) {
      if (okA) onlyA++;
      else onlyB++;
      oneRight.push(row);
    } else {
      bothWrong++;
      if (ra.prediction !== rb.prediction) bothWrongDiffer.push(row);
    }
  }
  return {
    aId,
    bId,
    shared,
    bothCorrect,
    onlyA,
    onlyB,
    bothWrong,
    mcnemarP: mcnemarExactP(onlyA, onlyB),
    accuracyDiffCi: pairedBootstrapCi(okAs, okBs, { resamples: BOOTSTRAP_RESAMPLES, seed: BOOTSTRAP_SEED }),
    disagreements: [...oneRight, ...bothWrongDiffer],
    sameVersion: a.versionId === b.versionId,
  };
}
