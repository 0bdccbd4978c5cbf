/**
 * The PREVIOUS scored-mode approach, kept only so `npm run bench:inference` (and the trie-vs-rows test) can compare
 * it with the label-trie scorer in src/main/inference/vlm/decode-scored.ts: one image+prompt prefill, then every
 * label continuation as its own batch row (chunks of `batchSize`) on a tiled copy of the prompt's KV cache.
 * Not used by the app.
 */
import { DynamicCache, Tensor } from '@huggingface/transformers';
import { buildVlmInputs, type VlmImage } from '../src/main/inference/vlm/build-prompt';
import { cacheFromOutputs, gatherCacheRows } from '../src/main/inference/vlm/kv-cache';
import { labelTokenSequences } from '../src/main/inference/vlm/label-tokens';
import { rowLogProb } from '../src/main/inference/vlm/log-probs';
import { rankLabels } from '../src/main/inference/vlm/decode-scored';
import type { PromptSpec, ScoredResult, VlmHandle } from '../src/main/inference/vlm/types';

type Forward = (inputs: Record<string, unknown>) => Promise<Record<string, Tensor>>;

/** Previous approach: per-label log-probs of `label tokens + end-of-turn`, one batch row per label. */
export async function scoreLabelTokensRows(handle: VlmHandle, inputs: Record<string, Tensor>, sequences: number[][], batchSize = 8): Promise<number[][]> {
  const forward = handle.model.forward.bind(handle.model) as Forward;
  const prefill = await forward({ ...inputs });
  const P = inputs.input_ids.dims[1];
  const promptCache = cacheFromOutputs(prefill);
  const first = prefill.logits;
  const out: number[][] = [];
  const tiled = new Map<number, DynamicCache>();
  for (let start = 0; start < sequences.length; start += batchSize) {
    const chunk = sequences.slice(start, start + batchSize);
    const B = chunk.length;
    const L = Math.max(...chunk.map((s) => s.length));
    const ids = new BigInt64Array(B * L).fill(BigInt(handle.endOfTurnId));
    const mask = new BigInt64Array(B * (P + L));
    chunk.forEach((seq, b) => {
      seq.forEach((id, k) => (ids[b * L + k] = BigInt(id)));
      mask.fill(1n, b * (P + L), b * (P + L) + P + seq.length);
    });
    let cache = tiled.get(B);
    if (!cache) {
      cache = gatherCacheRows(Array.from({ length: B }, () => ({ cache: promptCache, row: 0 }))); // the prompt cache tiled B times
      tiled.set(B, cache);
    }
    const res = await forward({
      input_ids: new Tensor('int64', ids, [B, L]),
      attention_mask: new Tensor('int64', mask, [B, P + L]),
      past_key_values: cache,
    });
    chunk.forEach((seq, b) => {
      const lps = [rowLogProb(first, 0, P - 1, seq[0])];
      for (let k = 1; k < seq.length; k++) lps.push(rowLogProb(res.logits, b, k - 1, seq[k]));
      lps.push(rowLogProb(res.logits, b, seq.length - 1, handle.endOfTurnId));
      out.push(lps);
    });
  }
  return out;
}

/** Previous decodeScored (rows on a tiled cache), same result shape as the current one. */
export async function decodeScoredRows(handle: VlmHandle, image: VlmImage, prompt: PromptSpec, batchSize = 8): Promise<ScoredResult> {
  const t0 = performance.now();
  const sequences = labelTokenSequences(handle, prompt.labels);
  const { inputs } = await buildVlmInputs(handle, image, prompt);
  const scores = rankLabels(prompt.labels, await scoreLabelTokensRows(handle, inputs, sequences, batchSize));
  return { scores, top: scores[0], topK: scores.slice(0, 5), confidence: scores[0].prob, ms: performance.now() - t0 };
}
