/** The single place eval metrics are computed (accuracy, per-class P/R/F1, confusion, coverage, calibration, latency). */
import type { AbstainMetrics, AveragedMetrics, ClassMetrics, EvalMetrics, LatencyMetrics } from '../../shared/metrics-types';
import { OFF_LABEL_COLUMN } from '../../shared/metrics-types';
import { computeCalibration, type ScoredRow } from './metrics-calibration';
import { mean, percentileLinear } from './metrics-stats';

export interface MetricsRow {
  truth: string;
  /** A candidate from `labels`, or null for an off-label answer / failed inference. */
  prediction: string | null;
  /** Scored mode: probabilities aligned with `labels` (every candidate), summing to 1. */
  probabilities?: readonly number[];
  latencyMs?: number;
}

export interface MetricsInput {
  /** Ordered candidate list offered to the model; probabilities are aligned with it. */
  labels: readonly string[];
  /**
   * The truth classes (a subset of `labels`, in the order of per-class results and confusion rows); defaults to
   * `labels`. A prediction of a candidate outside them is always wrong and gets its own confusion column.
   */
  truthLabels?: readonly string[];
  /** A candidate outside the truth classes meaning "declined": reported as coverage and accuracy on the answered rows. */
  abstainLabel?: string | null;
  rows: readonly MetricsRow[];
  /** Wall-clock duration of the whole run, for throughput. */
  wallTimeMs?: number;
}

/** Tolerance on Σp = 1 for scored rows (float32 model outputs drift by ~1e-7). */
const PROBABILITY_SUM_TOLERANCE = 1e-3;

/**
 * Computes every eval metric from (truth, prediction) rows.
 * Off-label convention: a null prediction is wrong for accuracy and counts against its truth class's recall
 * (it stays in support), but it is nobody's predicted positive, so it never lowers any class's precision.
 * A prediction of a candidate outside the truth classes (open label sets, abstain included) is treated the same
 * way, but keeps its own confusion column. This equals sklearn with `labels=` the truth classes (off-label mapped
 * to a sentinel outside them). Precision/recall/F1 use sklearn's zero_division=0; macro averages cover every
 * truth class (including classes with no support), balanced accuracy averages recall over classes present in truth.
 * Calibration uses the probabilities over ALL candidates (the truth is always one of them): a row is correct when
 * its argmax candidate is the truth, Brier/log loss sum over every candidate.
 */
export function computeMetrics(input: MetricsInput): EvalMetrics {
  const { labels, rows } = input;
  const candidates = validateLabels(labels);
  const truthLabels = input.truthLabels ?? labels;
  const index = validateLabels(truthLabels);
  for (const t of truthLabels) if (!candidates.has(t)) throw new Error(`Truth class "${t}" is not one of the candidate labels`);
  const abstain = validateAbstain(input.abstainLabel ?? null, candidates, index);
  if (rows.length === 0) throw new Error('Cannot compute metrics: the eval has no rows');
  const k = truthLabels.length;
  const extras = labels.filter((l) => !index.has(l) && rows.some((r) => r.prediction === l));
  const columns = [...truthLabels, ...extras, OFF_LABEL_COLUMN];
  const column = new Map(columns.slice(0, -1).map((c, i) => [c, i]));
  const counts = truthLabels.map(() => new Array<number>(columns.length).fill(0));
  const scored: ScoredRow[] = [];
  const latencies: number[] = [];
  let correct = 0;
  let offLabelCount = 0;
  let abstained = 0;

  rows.forEach((row, r) => {
    const t = index.get(row.truth);
    if (t === undefined) throw new Error(`Row ${r}: truth "${row.truth}" is not one of the eval's truth classes`);
    let p = columns.length - 1;
    if (row.prediction === null) offLabelCount += 1;
    else {
      if (!candidates.has(row.prediction)) {
        throw new Error(`Row ${r}: prediction "${row.prediction}" is not one of the eval's labels (use null for off-label)`);
      }
      p = column.get(row.prediction) as number;
      if (p === t) correct += 1;
      if (row.prediction === abstain) abstained += 1;
    }
    counts[t][p] += 1;
    if (row.probabilities !== undefined) {
      validateProbabilities(row.probabilities, labels.length, r);
      scored.push({ truthIndex: candidates.get(row.truth) as number, probabilities: row.probabilities });
    }
    if (row.latencyMs !== undefined) {
      if (!Number.isFinite(row.latencyMs) || row.latencyMs < 0) throw new Error(`Row ${r}: latencyMs must be a finite number ≥ 0`);
      latencies.push(row.latencyMs);
    }
  });

  const n = rows.length;
  const perClass: ClassMetrics[] = truthLabels.map((label, i) => {
    const tp = counts[i][i];
    let predicted = 0;
    for (let t = 0; t < k; t++) predicted += counts[t][i];
    const support = counts[i].reduce((a, b) => a + b, 0);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support, predicted };
  });

  const present = perClass.filter((c) => c.support > 0);
  const wallTimeMs = validateWallTime(input.wallTimeMs);
  const outsideTruthCount = counts.reduce((sum, row) => sum + row.slice(k, -1).reduce((a, b) => a + b, 0), 0);
  return {
    n,
    correct,
    accuracy: correct / n,
    balancedAccuracy: mean(present.map((c) => c.recall)),
    offLabelCount,
    offLabelRate: offLabelCount / n,
    perClass,
    macro: average(perClass, () => 1),
    weighted: average(perClass, (c) => c.support),
    confusion: { rows: [...truthLabels], columns, counts },
    calibration: scored.length > 0 ? computeCalibration(scored) : null,
    latency: latencies.length > 0 ? latencyStats(latencies) : null,
    wallTimeMs,
    throughputPerSec: wallTimeMs !== null && wallTimeMs > 0 ? n / (wallTimeMs / 1000) : null,
    outsideTruthCount,
    abstain: abstain === null ? null : abstainStats(abstain, abstained, correct, n),
  };
}

/** Coverage = share of rows that did not abstain; accuracy on answered = correct / answered (null if none answered). */
function abstainStats(label: string, abstained: number, correct: number, n: number): AbstainMetrics {
  const answered = n - abstained;
  return { label, abstained, answered, coverage: answered / n, accuracyOnAnswered: answered > 0 ? correct / answered : null };
}

function validateAbstain(abstain: string | null, candidates: Map<string, number>, truth: Map<string, number>): string | null {
  if (abstain === null) return null;
  if (!candidates.has(abstain)) throw new Error(`Abstain label "${abstain}" is not one of the candidate labels`);
  if (truth.has(abstain)) throw new Error(`Abstain label "${abstain}" is a truth class; it must be a candidate outside them`);
  return abstain;
}

function average(perClass: readonly ClassMetrics[], weight: (c: ClassMetrics) => number): AveragedMetrics {
  let w = 0;
  const sum = { precision: 0, recall: 0, f1: 0 };
  for (const c of perClass) {
    const cw = weight(c);
    w += cw;
    sum.precision += cw * c.precision;
    sum.recall += cw * c.recall;
    sum.f1 += cw * c.f1;
  }
  return { precision: sum.precision / w, recall: sum.recall / w, f1: sum.f1 / w };
}

function latencyStats(latencies: readonly number[]): LatencyMetrics {
  return {
    n: latencies.length,
    meanMs: mean(latencies),
    p50Ms: percentileLinear(latencies, 50),
    p95Ms: percentileLinear(latencies, 95),
  };
}

function validateLabels(labels: readonly string[]): Map<string, number> {
  if (labels.length === 0) throw new Error('Cannot compute metrics: the label list is empty');
  const index = new Map<string, number>();
  labels.forEach((label, i) => {
    if (label.length === 0) throw new Error(`Label ${i} is an empty string`);
    if (index.has(label)) throw new Error(`Label "${label}" appears twice in the label list`);
    index.set(label, i);
  });
  return index;
}

function validateProbabilities(probs: readonly number[], k: number, r: number): void {
  if (probs.length !== k) throw new Error(`Row ${r}: ${probs.length} probabilities for ${k} labels`);
  let sum = 0;
  for (const p of probs) {
    if (!Number.isFinite(p) || p < 0) throw new Error(`Row ${r}: probabilities must be finite and ≥ 0`);
    sum += p;
  }
  if (Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE) throw new Error(`Row ${r}: probabilities sum to ${sum}, not 1`);
}

function validateWallTime(wallTimeMs: number | undefined): number | null {
  if (wallTimeMs === undefined) return null;
  if (!Number.isFinite(wallTimeMs) || wallTimeMs < 0) throw new Error('wallTimeMs must be a finite number ≥ 0');
  return wallTimeMs;
}
