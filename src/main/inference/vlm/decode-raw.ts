/** Raw mode: free greedy generation, then a best-effort mapping of the text onto the label set. */
import type { Tensor } from '@huggingface/transformers';
import { buildVlmInputs, type VlmImage } from './build-prompt';
import { greedyConfig } from './greedy-options';
import { mapToLabel } from './label-match';
import type { PromptSpec, RawResult, VlmHandle } from './types';

export interface RawOptions {
  maxNewTokens?: number;
  /** Forbid the end tokens for this many steps (tests use it to get a fixed length). */
  minNewTokens?: number;
}

export async function decodeRaw(handle: VlmHandle, image: VlmImage, prompt: PromptSpec, opts: RawOptions = {}): Promise<RawResult> {
  const t0 = performance.now();
  const { inputs, promptLength } = await buildVlmInputs(handle, image, prompt);
  const out = (await handle.model.generate({
    ...inputs,
    ...greedyConfig(handle, opts.maxNewTokens ?? 16, opts.minNewTokens ?? 0),
  })) as Tensor;
  const all = (out.tolist() as bigint[][])[0].map((x) => Number(x));
  const tokenIds = all.slice(promptLength);
  const text = handle.tokenizer.decode(tokenIds, { skip_special_tokens: true }).trim();
  return { text, label: mapToLabel(text, prompt.labels), tokenIds, ms: performance.now() - t0 };
}
