/** Eval engine over a local VLM: loads it once, then raw / constrained / scored decoding per image. */
import { assertNever } from '../../shared/assert-never';
import type { EvalRun } from '../../shared/eval-types';
import { isModelDtype } from '../../shared/model-types';
import { decodeConstrained, decodeRaw, decodeScored, loadVlm, type PromptSpec } from '../inference/vlm';
import { alignProbabilities, type EvalEngine, type SampleOutcome } from './eval-engine-types';

export async function loadVlmEngine(run: EvalRun, modelDir: string, mode: 'raw' | 'constrained' | 'scored'): Promise<EvalEngine> {
  const dtype = run.dtype;
  if (dtype === null || !isModelDtype(dtype)) throw new Error(`Eval ${run.id} has no valid dtype (${String(dtype)})`);
  const handle = await loadVlm({ modelDir, dtype, device: run.device });
  const prompt: PromptSpec = { system: run.systemPrompt, user: run.userPrompt, labels: run.labels };
  const predict = async (imagePath: string): Promise<SampleOutcome> => {
    switch (mode) {
      case 'raw': {
        const r = await decodeRaw(handle, imagePath, prompt);
        return { prediction: r.label, rawOutput: r.text, probabilities: null };
      }
      case 'constrained': {
        const r = await decodeConstrained(handle, imagePath, prompt);
        return { prediction: r.label, rawOutput: r.label, probabilities: null };
      }
      case 'scored': {
        const r = await decodeScored(handle, imagePath, prompt);
        const probabilities = alignProbabilities(
          r.scores.map((s) => s.label),
          r.scores.map((s) => s.prob),
          run.labels,
        );
        return { prediction: r.top.label, rawOutput: r.top.label, probabilities };
      }
      default:
        return assertNever(mode, 'VLM eval mode');
    }
  };
  return { predict, dispose: () => handle.dispose() };
}
