/** Result shape of one evaluation's metrics, shared by the eval engine (main) and the report views (renderer). */

/** Column name used for off-label (unparseable / errored) predictions in the confusion matrix. */
export const OFF_LABEL_COLUMN = 'off-label';

export interface ClassMetrics {
  label: string;
  /** TP / predicted-positive; 0 when the class was never predicted (sklearn zero_division=0). */
  precision: number;
  /** TP / support; off-label predictions count as misses. 0 when support is 0. */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
  /** Number of rows whose truth is this class. */
  support: number;
  /** Number of rows predicted as this class (off-label rows excluded). */
  predicted: number;
}

export interface AveragedMetrics {
  precision: number;
  recall: number;
  f1: number;
}

export interface ConfusionMatrix {
  /** Row order: truth classes, in the eval's label order. */
  rows: string[];
  /**
   * Column order: the same classes, then the predicted candidates outside them that occurred (open label sets, in
   * candidate order; always wrong), then OFF_LABEL_COLUMN (an answer that is no candidate at all).
   */
  columns: string[];
  /** counts[truthIndex][predictionIndex]; the last column counts off-label predictions. */
  counts: number[][];
}

/** Coverage report of a run with an abstain candidate ("unknown"): how often the model answered, and how well. */
export interface AbstainMetrics {
  /** The abstain candidate. */
  label: string;
  /** Rows that answered the abstain label. */
  abstained: number;
  /** Rows that did not abstain (off-label answers count as answered, and wrong). */
  answered: number;
  /** answered / n. */
  coverage: number;
  /** Correct / answered; null when every row abstained. Plain `accuracy` counts abstentions as wrong. */
  accuracyOnAnswered: number | null;
}

export interface ReliabilityBin {
  /** Inclusive lower edge of the confidence bin. */
  lower: number;
  /** Upper edge (exclusive, except the last bin which includes 1.0). */
  upper: number;
  count: number;
  /** Mean top-1 confidence of rows in the bin; null when empty. */
  meanConfidence: number | null;
  /** Fraction of rows in the bin whose top-1 class is the truth; null when empty. */
  accuracy: number | null;
}

/**
 * Computed from the probabilities over EVERY candidate label (open label sets included: the truth is always a
 * candidate); a row is correct when its argmax candidate is the truth, so an argmax outside the classes is wrong.
 */
export interface CalibrationMetrics {
  /** Rows that carried probabilities (calibration is computed over these only). */
  n: number;
  /** Expected calibration error: sum over bins of (count/n)·|accuracy − meanConfidence|. */
  ece: number;
  /** Multi-class Brier score: mean over rows of sum_k (p_k − onehot_k)²; range [0, 2]. */
  brier: number;
  /** Mean negative log-likelihood of the truth class after clipping to [ε, 1−ε] and renormalising. */
  logLoss: number;
  bins: ReliabilityBin[];
}

export interface LatencyMetrics {
  /** Rows that carried a latency. */
  n: number;
  meanMs: number;
  /** Percentiles use linear interpolation between order statistics (numpy.percentile default). */
  p50Ms: number;
  p95Ms: number;
}

export interface EvalMetrics {
  n: number;
  correct: number;
  accuracy: number;
  /** Mean recall over classes present in truth (sklearn balanced_accuracy_score). */
  balancedAccuracy: number;
  offLabelCount: number;
  offLabelRate: number;
  perClass: ClassMetrics[];
  /** Unweighted mean over every truth class (sklearn average='macro' with labels=the truth classes). */
  macro: AveragedMetrics;
  /** Support-weighted mean over the label list (sklearn average='weighted'). */
  weighted: AveragedMetrics;
  confusion: ConfusionMatrix;
  /** Null when no row carried probabilities. */
  calibration: CalibrationMetrics | null;
  /** Null when no row carried a latency. */
  latency: LatencyMetrics | null;
  wallTimeMs: number | null;
  /** Samples per second over wall time; null without a positive wall time. */
  throughputPerSec: number | null;
  /** Rows predicted as a candidate outside the truth classes (abstentions included); absent on runs before open label sets. */
  outsideTruthCount?: number;
  /** Set when the run has an abstain candidate; absent/null otherwise. */
  abstain?: AbstainMetrics | null;
  /** Set when the run did not finish: these metrics cover only `done` of the `planned` samples. */
  partial?: { done: number; planned: number };
}
