/**
 * Confident learning (Northcutt, Jiang, Chuang, "Confident Learning: Estimating Uncertainty in Dataset Labels",
 * JAIR 70, 2021; the method cleanlab implements): finds likely label errors from out-of-sample class probabilities.
 * Pure numbers in, ranked issues out — no database, so it can be checked against a hand-worked example.
 */

/** One sample as the method sees it: its given label and the model's out-of-sample probability per class. */
export interface ClRow {
  /** Index of the given (possibly wrong) label in the class list. */
  label: number;
  /** One probability per class, summing to ≈ 1. */
  probs: readonly number[];
}

export interface ClIssue {
  /** Index of the row in the input. */
  index: number;
  /** p(given label): the ranking key, lowest first. */
  selfConfidence: number;
  /** The class the evidence points to: argmax among classes at or above their threshold (else the overall argmax). */
  suggested: number;
}

export interface ClResult {
  /** t_j = mean p_j over the rows labelled j (per-class thresholds). */
  thresholds: number[];
  /** Confident joint C[given][confident] counted from the rows (before calibration). */
  joint: number[][];
  /** The joint calibrated to the given-label counts and rounded preserving row totals: how many to prune per cell. */
  calibrated: number[][];
  /** Likely label errors, ranked by self-confidence (lowest first; ties by row index). */
  issues: ClIssue[];
}

/** cleanlab's tolerance: a probability equal to its class threshold counts as confident. */
const THRESHOLD_EPS = 1e-6;

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}

/** Rounds non-negative numbers to integers keeping their (rounded) sum: floor, then +1 to the largest remainders. */
export function roundPreservingSum(values: readonly number[]): number[] {
  const floors = values.map((v) => Math.floor(v + 1e-9));
  const target = Math.round(values.reduce((a, b) => a + b, 0));
  let missing = target - floors.reduce((a, b) => a + b, 0);
  const order = values.map((v, i) => ({ i, frac: v - floors[i] })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (missing <= 0) break;
    floors[i] += 1;
    missing -= 1;
  }
  return floors;
}

/** Per-class thresholds t_j = mean self-confidence of the rows labelled j (NaN-free: a class with no rows gets 1, never confident). */
export function perClassThresholds(rows: readonly ClRow[], classCount: number): number[] {
  const sums = new Array<number>(classCount).fill(0);
  const counts = new Array<number>(classCount).fill(0);
  for (const r of rows) {
    sums[r.label] += r.probs[r.label];
    counts[r.label] += 1;
  }
  return sums.map((s, j) => (counts[j] === 0 ? 1 : s / counts[j]));
}

/** The confident label of one row: argmax p_j among classes with p_j ≥ t_j, or null when no class reaches its threshold. */
export function confidentLabel(probs: readonly number[], thresholds: readonly number[]): number | null {
  let best: number | null = null;
  for (let j = 0; j < probs.length; j++) {
    if (probs[j] < thresholds[j] - THRESHOLD_EPS) continue;
    if (best === null || probs[j] > probs[best]) best = j;
  }
  return best;
}

/**
 * Runs the method: thresholds → confident joint → calibration (each row rescaled to its given-label count, then
 * rounded keeping row totals) → prune by noise rate: for given class i and each other class j, the C[i][j] rows
 * labelled i with the largest margin p_j − p_i are issues (at most n_i − 1 per class, so a class is never emptied)
 * → rows whose argmax is their given label are cleared (as cleanlab does) → rank by self-confidence, lowest first.
 */
export function findLabelIssues(rows: readonly ClRow[], classCount: number): ClResult {
  if (classCount < 2) throw new Error('confident learning needs at least 2 classes');
  for (const r of rows) {
    if (r.probs.length !== classCount || r.label < 0 || r.label >= classCount) {
      throw new Error(`a row has ${r.probs.length} probabilities and label ${r.label}; expected ${classCount} classes`);
    }
  }
  const thresholds = perClassThresholds(rows, classCount);
  const joint = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  const labelCounts = new Array<number>(classCount).fill(0);
  for (const r of rows) {
    labelCounts[r.label] += 1;
    const confident = confidentLabel(r.probs, thresholds);
    if (confident !== null) joint[r.label][confident] += 1;
  }
  const calibrated = joint.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? row.map((_, j) => (j === i ? labelCounts[i] : 0)) : roundPreservingSum(row.map((c) => (c * labelCounts[i]) / total));
  });

  const flagged = new Set<number>();
  for (let i = 0; i < classCount; i++) {
    const members = rows.map((r, index) => ({ r, index })).filter(({ r }) => r.label === i);
    let budget = Math.max(0, members.length - 1);
    // Biggest noise cells first, so the keep-one-per-class cap trims the smallest ones.
    const others = [...Array(classCount).keys()].filter((j) => j !== i).sort((a, b) => calibrated[i][b] - calibrated[i][a] || a - b);
    for (const j of others) {
      const count = Math.min(calibrated[i][j], budget);
      if (count <= 0) continue;
      const byMargin = [...members].sort((a, b) => b.r.probs[j] - b.r.probs[i] - (a.r.probs[j] - a.r.probs[i]) || a.index - b.index);
      for (const { index } of byMargin.slice(0, count)) flagged.add(index);
      budget -= count;
    }
  }

  const issues: ClIssue[] = [];
  for (const index of flagged) {
    const r = rows[index];
    if (argmax(r.probs) === r.label) continue;
    const suggested = confidentLabel(r.probs, thresholds);
    issues.push({
      index,
      selfConfidence: r.probs[r.label],
      suggested: suggested !== null && suggested !== r.label ? suggested : argmax(r.probs),
    });
  }
  issues.sort((a, b) => a.selfConfidence - b.selfConfidence || a.index - b.index);
  return { thresholds, joint, calibrated, issues };
}
