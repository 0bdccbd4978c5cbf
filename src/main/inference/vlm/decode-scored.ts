/** Scored mode: one image+prompt prefill, then every label scored from copies of the KV cache. */
import { Tensor } from '@huggingface/transformers';
import { buildVlmInputs, type VlmImage } from './build-prompt';
import { cacheFromOutputs, tileCache } from './kv-cache';
import { labelTokenSequences } from './label-tokens';
import { logSumExp, softmax } from './log-probs';
import type { LabelScore, PromptSpec, ScoredResult, VlmHandle } from './types';

export interface ScoredOptions {
  topK?: number;
  /** Labels scored per decoder call (the prompt cache is tiled to this batch). Default 8. */
  batchSize?: number;
}

type Forward = (inputs: Record<string, unknown>) => Promise<Record<string, Tensor>>;

/** log p(target | row) for row `row` of a [B, S, V] logits tensor, position `pos`. */
function rowLogProb(logits: Tensor, row: number, pos: number, target: number): number {
  const [, S, V] = logits.dims;
  const off = (row * S + pos) * V;
  const data = logits.data as Float32Array;
  return data[off + target] - logSumExp(data, off, V);
}

/**
 * Per-label log-probs of `label tokens + end-of-turn` given the prompt. The end token is included so a
 * label that is a prefix of another ("Ford" / "Ford Motor") is scored as a finished answer, and the
 * scores are probabilities of complete answers. Exposed for tests: equals full-pass scoring.
 */
export async function scoreLabelTokens(handle: VlmHandle, inputs: Record<string, Tensor>, sequences: number[][], batchSize = 8): Promise<number[][]> {
  const forward = handle.model.forward.bind(handle.model) as Forward;
  const prefill = await forward({ ...inputs });
  const P = inputs.input_ids.dims[1];
  const promptCache = cacheFromOutputs(prefill);
  const first = prefill.logits;
  const out: number[][] = [];
  // forward() only reads past_key_values, so one tiled copy per distinct batch width serves every chunk
  // (49 labels in chunks of 8: 2 copies instead of 7).
  const tiled = new Map<number, ReturnType<typeof tileCache>>();
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
      cache = tileCache(promptCache, B);
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

/** Turns per-label token log-probs into sorted LabelScores (softmax over labels). */
export function rankLabels(labels: readonly string[], tokenLogProbs: number[][]): LabelScore[] {
  const logProbs = tokenLogProbs.map((lps) => lps.reduce((a, b) => a + b, 0));
  const probs = softmax(logProbs);
  return labels
    .map((label, i) => ({ label, logProb: logProbs[i], tokenLogProbs: tokenLogProbs[i], prob: probs[i] }))
    .sort((a, b) => b.prob - a.prob);
}

export async function decodeScored(handle: VlmHandle, image: VlmImage, prompt: PromptSpec, opts: ScoredOptions = {}): Promise<ScoredResult> {
  const t0 = performance.now();
  const sequences = labelTokenSequences(handle, prompt.labels);
  const { inputs } = await buildVlmInputs(handle, image, prompt);
  const tokenLogProbs = await scoreLabelTokens(handle, inputs, sequences, opts.batchSize ?? 8);
  const scores = rankLabels(prompt.labels, tokenLogProbs);
  const topK = scores.slice(0, Math.max(1, opts.topK ?? 5));
  return { scores, top: scores[0], topK, confidence: scores[0].prob, ms: performance.now() - t0 };
}

/**
 * Reference scorer for tests and debugging: one full forward pass (image included) per label over
 * prompt + label tokens, no cache reuse. Same numbers as scoreLabelTokens up to float error.
 */
export async function scoreLabelTokensFullPass(handle: VlmHandle, inputs: Record<string, Tensor>, sequences: number[][]): Promise<number[][]> {
  const forward = handle.model.forward.bind(handle.model) as Forward;
  const prompt = inputs.input_ids.data as BigInt64Array;
  const P = prompt.length;
  const out: number[][] = [];
  for (const seq of sequences) {
    const ids = new BigInt64Array(P + seq.length);
    ids.set(prompt);
    seq.forEach((id, k) => (ids[P + k] = BigInt(id)));
    const res = await forward({
      ...inputs,
      input_ids: new Tensor('int64', ids, [1, ids.length]),
      attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
    });
    const lps: number[] = [];
    for (let k = 0; k < seq.length; k++) lps.push(rowLogProb(res.logits, 0, P - 1 + k, seq[k]));
    lps.push(rowLogProb(res.logits, 0, P - 1 + seq.length, handle.endOfTurnId));
    out.push(lps);
  }
  return out;
}
