/** The contract between the eval run loop and a loaded model: per-image predict() and probability alignment. */
import type { CascadeStage1 } from '../../shared/cascade-types';

/** What one image produced; `error` rows carry a null prediction (counted as off-label in metrics). */
export interface SampleOutcome {
  /** One of the run's labels, or null for an off-label answer. */
  prediction: string | null;
  rawOutput: string | null;
  /** Aligned with the run's labels, summing to 1 (scored and classifier modes). */
  probabilities: number[] | null;
  /** Classifier runs: model probability mass outside every explicitly mapped class (the probabilities above are renormalised). */
  oodMass?: number | null;
  /** Classifier runs: the model's own most probable class name (e.g. "triceratops"). */
  modelTop1?: string | null;
  /** Cascade runs: the classifier's k proposals and the time stage 1 took (part of the sample's latency). */
  stage1?: CascadeStage1;
  stage1Ms?: number;
}

export interface EvalEngine {
  /** Throws when the image cannot be read or inference fails; the run loop turns that into an error row. */
  predict(imagePath: string): Promise<SampleOutcome>;
  dispose(): Promise<void>;
}

export interface EngineOptions {
  /** onnxruntime intra-op threads for classifier sessions. */
  intraOpNumThreads?: number;
}

/** Re-orders a probability vector given in `from` order into `to` order (same label set). */
export function alignProbabilities(from: readonly string[], probs: readonly number[], to: readonly string[]): number[] {
  const index = new Map(from.map((l, i) => [l, i]));
  return to.map((label) => {
    const i = index.get(label);
    if (i === undefined) throw new Error(`model output has no probability for label "${label}"`);
    return probs[i];
  });
}
