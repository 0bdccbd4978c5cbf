/** Cascade bookkeeping kept pure for tests: stage 1's top-k choice and scattering the VLM's k probabilities over all labels. */
import type { CascadeStage1 } from '../../shared/cascade-types';

/** The k most probable labels, best first (ties keep the mapping's label order). */
export function selectTopK(labels: readonly string[], probabilities: readonly number[], k: number, unmappedMass = 0): CascadeStage1 {
  if (labels.length !== probabilities.length) throw new Error(`top-k: ${labels.length} labels but ${probabilities.length} probabilities`);
  const order = labels.map((_, i) => i).sort((a, b) => probabilities[b] - probabilities[a] || a - b);
  const top = order.slice(0, Math.min(k, labels.length));
  return { labels: top.map((i) => labels[i]), probabilities: top.map((i) => probabilities[i]), unmappedMass };
}

/** The proposals in the run's label order: the VLM sees them as the run would list them, not ranked by the classifier. */
export function candidatesInRunOrder(runLabels: readonly string[], proposed: readonly string[]): string[] {
  return runLabels.filter((l) => proposed.includes(l));
}

/** A probability vector over the run's full label list: the VLM's k probabilities in place, zeros elsewhere. */
export function scatterProbabilities(runLabels: readonly string[], subset: readonly string[], probs: readonly number[]): number[] {
  const at = new Map(subset.map((l, i) => [l, probs[i]]));
  for (const l of subset) if (!runLabels.includes(l)) throw new Error(`label "${l}" is not one of the run's labels`);
  return runLabels.map((l) => at.get(l) ?? 0);
}
