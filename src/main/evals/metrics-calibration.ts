/** Calibration metrics (ECE + reliability bins, Brier, log loss) for evals that return class probabilities. */
import type { CalibrationMetrics, ReliabilityBin } from '../../shared/metrics-types';
import { argmax } from './metrics-stats';

export const CALIBRATION_BINS = 10;
/** float64 machine epsilon: the clip sklearn's log_loss applies to float64 probabilities. */
export const LOG_LOSS_EPS = 2.220446049250313e-16;

export interface ScoredRow {
  truthIndex: number;
  /** Aligned with the eval's label list; already validated (finite, ≥ 0, sums to ≈ 1). */
  probabilities: readonly number[];
}

/** Bin of a top-1 confidence: ⌊c·10⌋, with c = 1.0 folded into the last bin, so bins are [i/10, (i+1)/10). */
export function confidenceBin(confidence: number): number {
  return Math.min(Math.floor(confidence * CALIBRATION_BINS), CALIBRATION_BINS - 1);
}

/**
 * Top-1 confidence = max probability; a row is "correct" when its argmax class (first on ties) is the truth.
 * ECE = Σ_bins (count/n)·|accuracy − meanConfidence|. Brier is the multi-class form mean Σ_k (p_k − y_k)²
 * (twice sklearn's binary brier_score_loss when there are two classes). Log loss follows sklearn's log_loss:
 * clip each probability to [ε, 1−ε], renormalise the row, take −log of the truth column, average.
 */
export function computeCalibration(rows: readonly ScoredRow[]): CalibrationMetrics {
  if (rows.length === 0) throw new Error('calibration needs at least one scored row');
  const counts = new Array<number>(CALIBRATION_BINS).fill(0);
  const confSums = new Array<number>(CALIBRATION_BINS).fill(0);
  const correctCounts = new Array<number>(CALIBRATION_BINS).fill(0);
  let brierSum = 0;
  let logLossSum = 0;
  for (const row of rows) {
    const top = argmax(row.probabilities);
    const confidence = row.probabilities[top];
    const bin = confidenceBin(confidence);
    counts[bin] += 1;
    confSums[bin] += confidence;
    if (top === row.truthIndex) correctCounts[bin] += 1;

    let sq = 0;
    let clippedSum = 0;
    for (let k = 0; k < row.probabilities.length; k++) {
      const p = row.probabilities[k];
      const y = k === row.truthIndex ? 1 : 0;
      sq += (p - y) * (p - y);
      clippedSum += clip(p);
    }
    brierSum += sq;
    logLossSum += -Math.log(clip(row.probabilities[row.truthIndex]) / clippedSum);
  }
  const n = rows.length;
  const bins: ReliabilityBin[] = counts.map((count, i) => ({
    lower: i / CALIBRATION_BINS,
    upper: (i + 1) / CALIBRATION_BINS,
    count,
    meanConfidence: count > 0 ? confSums[i] / count : null,
    accuracy: count > 0 ? correctCounts[i] / count : null,
  }));
  let ece = 0;
  for (const b of bins) {
    if (b.count === 0 || b.meanConfidence === null || b.accuracy === null) continue;
    ece += (b.count / n) * Math.abs(b.accuracy - b.meanConfidence);
  }
  return { n, ece, brier: brierSum / n, logLoss: logLossSum / n, bins };
}

function clip(p: number): number {
  return Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
}
