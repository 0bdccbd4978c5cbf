/** Eval engine of a cascade run: the ONNX classifier proposes its top-k labels, the VLM decodes (constrained/scored) over those k only. */
import type { EvalRun } from '../../shared/eval-types';
import { isModelDtype } from '../../shared/model-types';
import { classifyImages } from '../inference/classifier/classify';
import { loadOnnxClassifier } from '../inference/classifier/load-onnx-classifier';
import { decodeConstrained, decodeScored, loadVlm, type PromptSpec } from '../inference/vlm';
import { candidatesInRunOrder, scatterProbabilities, selectTopK } from './cascade-topk';
import type { StoredCascade } from './cascade-stored';
import type { EngineOptions, EvalEngine, SampleOutcome } from './eval-engine-types';

/** Loads both models once; predict() runs stage 1 then stage 2 and reports stage 1's proposals and time with the outcome. */
export async function loadCascadeEngine(run: EvalRun, vlmDir: string, cascade: StoredCascade, opts: EngineOptions): Promise<EvalEngine> {
  const mode = run.mode;
  if (mode !== 'constrained' && mode !== 'scored') throw new Error(`A cascade run decodes constrained or scored, not "${mode}"`);
  const dtype = run.dtype;
  if (dtype === null || !isModelDtype(dtype)) throw new Error(`Eval ${run.id} has no valid dtype (${String(dtype)})`);
  const classifier = await loadOnnxClassifier(cascade.classifierPath, { intraOpNumThreads: opts.intraOpNumThreads });
  let handle: Awaited<ReturnType<typeof loadVlm>>;
  try {
    handle = await loadVlm({ modelDir: vlmDir, dtype, device: run.device });
  } catch (err) {
    await classifier.session.release();
    throw err;
  }
  const predict = async (imagePath: string): Promise<SampleOutcome> => {
    const t0 = performance.now();
    const { labels: mapped, results } = await classifyImages(classifier, [imagePath], cascade.mapping, { batchSize: 1, topK: 5 });
    const r = results[0];
    if (!r.ok) throw new Error(`stage 1 (classifier): ${r.error}`);
    if (r.probabilities === null) throw new Error('stage 1 (classifier): no probability mass on the mapped classes');
    const stage1 = selectTopK(mapped, r.probabilities, cascade.k, r.unmappedMass);
    const stage1Ms = performance.now() - t0;
    const candidates = candidatesInRunOrder(run.labels, stage1.labels);
    const prompt: PromptSpec = { system: run.systemPrompt, user: run.userPrompt, labels: candidates };
    if (candidates.length === 1) {
      // One proposal (k = 1): nothing to choose; the VLM is not asked.
      const probabilities = mode === 'scored' ? scatterProbabilities(run.labels, candidates, [1]) : null;
      return { prediction: candidates[0], rawOutput: candidates[0], probabilities, stage1, stage1Ms };
    }
    if (mode === 'constrained') {
      const c = await decodeConstrained(handle, imagePath, prompt);
      return { prediction: c.label, rawOutput: c.label, probabilities: null, stage1, stage1Ms };
    }
    const s = await decodeScored(handle, imagePath, prompt);
    const probabilities = scatterProbabilities(
      run.labels,
      s.scores.map((x) => x.label),
      s.scores.map((x) => x.prob),
    );
    return { prediction: s.top.label, rawOutput: s.top.label, probabilities, stage1, stage1Ms };
  };
  return {
    predict,
    dispose: async () => {
      await handle.dispose();
      await classifier.session.release();
    },
  };
}
