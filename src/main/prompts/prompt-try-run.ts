/** Runs a quick try in a job worker: loads the VLM once, answers each sample with the draft prompt, stops between samples on cancel. */
import type { PromptTryJobParams, PromptTryOutput, PromptTryResult } from '../../shared/prompt-try';
import { isModelDtype } from '../../shared/model-types';
import { decodeConstrained, decodeRaw, decodeScored, loadVlm, type PromptSpec, type VlmHandle } from '../inference/vlm';
import { imagePath, type Workspace } from '../workspace/workspace';

export interface PromptTryOptions {
  onProgress?: (value: number, message: string) => void;
  signal?: AbortSignal;
}

async function answer(handle: VlmHandle, mode: PromptTryJobParams['mode'], image: string, prompt: PromptSpec): Promise<Pick<PromptTryOutput, 'prediction' | 'rawOutput' | 'confidence'>> {
  if (mode === 'raw') {
    const r = await decodeRaw(handle, image, prompt);
    return { prediction: r.label, rawOutput: r.text, confidence: null };
  }
  if (mode === 'constrained') {
    const r = await decodeConstrained(handle, image, prompt);
    // The label sequence's probability is not a calibrated confidence (the eval stores none for this mode either).
    return { prediction: r.label, rawOutput: r.label, confidence: null };
  }
  const r = await decodeScored(handle, image, prompt);
  return { prediction: r.top.label, rawOutput: r.top.label, confidence: r.confidence };
}

/** One output per sample (an unreadable image or a failed decode is that sample's error, not the try's). */
export async function runPromptTry(ws: Pick<Workspace, 'imagesDir'>, params: PromptTryJobParams, opts: PromptTryOptions = {}): Promise<PromptTryResult> {
  if (!isModelDtype(params.dtype)) throw new Error(`Model "${params.modelName}" has no dtype "${params.dtype}"`);
  opts.onProgress?.(0, `Loading ${params.modelName}`);
  const t0 = performance.now();
  const handle = await loadVlm({ modelDir: params.modelDir, dtype: params.dtype, device: params.device });
  const loadMs = performance.now() - t0;
  const prompt: PromptSpec = { system: params.systemPrompt, user: params.userPrompt, labels: params.labels };
  const outputs: PromptTryOutput[] = [];
  try {
    for (const [i, s] of params.samples.entries()) {
      if (opts.signal?.aborted) return { outputs, loadMs, cancelled: true };
      const base = { sampleId: s.sampleId, imageHash: s.imageHash, originalPath: s.originalPath, truth: s.truth };
      const t = performance.now();
      try {
        const a = await answer(handle, params.mode, imagePath(ws, s.imageHash, s.ext), prompt);
        outputs.push({ ...base, ...a, latencyMs: performance.now() - t, error: null });
      } catch (err) {
        outputs.push({ ...base, prediction: null, rawOutput: null, confidence: null, latencyMs: null, error: err instanceof Error ? err.message : String(err) });
      }
      opts.onProgress?.((i + 1) / params.samples.length, `${i + 1}/${params.samples.length} answered`);
    }
  } finally {
    await handle.dispose();
  }
  return { outputs, loadMs, cancelled: false };
}
