/** Eval engine over a plain ONNX classifier (loadOnnxClassifier + classifyImages, one image per call). */
import type { ClassMapping } from '../inference/classifier/class-mapping';
import { classifyImages } from '../inference/classifier/classify';
import { loadOnnxClassifier } from '../inference/classifier/load-onnx-classifier';
import { alignProbabilities, type EngineOptions, type EvalEngine } from './eval-engine-types';

export async function loadClassifierEngine(
  modelDir: string,
  labels: readonly string[],
  mapping: ClassMapping | null,
  opts: EngineOptions,
): Promise<EvalEngine> {
  const model = await loadOnnxClassifier(modelDir, { intraOpNumThreads: opts.intraOpNumThreads });
  return {
    async predict(imagePath) {
      const { labels: outLabels, results } = await classifyImages(model, [imagePath], mapping, { batchSize: 1, topK: 3 });
      const r = results[0];
      if (!r.ok) throw new Error(r.error);
      const top = r.top5.map((s) => `${s.label} ${s.probability.toFixed(4)}`).join('; ');
      const ood = { oodMass: r.oodMass, modelTop1: r.top5[0]?.label ?? null };
      if (r.probabilities === null) {
        return { prediction: null, rawOutput: `no probability mass on the mapped classes (top: ${top})`, probabilities: null, ...ood };
      }
      // An identity mapping only keeps dataset labels; anything else the model says is off-label.
      const prediction = r.prediction !== null && labels.includes(r.prediction) ? r.prediction : null;
      return { prediction, rawOutput: top, probabilities: alignProbabilities(outLabels, r.probabilities, labels), ...ood };
    },
    dispose: () => model.session.release(),
  };
}
