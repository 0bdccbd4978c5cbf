/** Scored mode: one image+prompt prefill, then one batched decoder step per depth of the label trie. */
import { DynamicCache, Tensor } from '@huggingface/transformers';
import { buildVlmInputs, type VlmImage } from './build-prompt';
import { cacheFromOutputs, gatherCacheRows } from './kv-cache';
import { labelTokenSequences } from './label-tokens';
import { trieLevels } from './label-trie-levels';
import { logSumExp, softmax } from './log-probs';
import type { LabelScore, PromptSpec, ScoredResult, VlmHandle } from './types';

export interface ScoredOptions {
  topK?: number;
  /** Distinct label prefixes per decoder call (a trie depth wider than this is split). Default 64. */
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
 * scores are probabilities of complete answers. Walks the label trie: one prefill, then at each depth one
 * batched single-token step over the distinct prefixes of that length, each row continuing its parent's
 * cache — every prefix is computed once, and the number of decoder calls is the longest label's length.
 * Exposed for tests: equals full-pass scoring.
 */
export async function scoreLabelTokens(handle: VlmHandle, inputs: Record<string, Tensor>, sequences: number[][], batchSize = 64): Promise<number[][]> {
  const forward = handle.model.forward.bind(handle.model) as Forward;
  const { levels, paths } = trieLevels(sequences);
  const prefill = await forward({ ...inputs });
  const P = inputs.input_ids.dims[1];
  // tokenLp[d][i]: log p(token of levels[d][i] | its parent prefix); endLp[d][i]: log p(end | that prefix).
  const tokenLp = levels.map((level) => new Float64Array(level.length));
  const endLp = levels.map((level) => new Float64Array(level.length));
  levels[0].forEach((node, i) => (tokenLp[0][i] = rowLogProb(prefill.logits, 0, P - 1, node.token)));
  // The previous depth's output caches, one per decoder call of batchSize rows (depth 0: the prompt's, 1 row).
  let parents: DynamicCache[] = [cacheFromOutputs(prefill)];
  const parentRow = (parent: number) => {
    const at = Math.max(parent, 0);
    return { cache: parents[Math.floor(at / batchSize)], row: at % batchSize };
  };
  for (let d = 0; d < levels.length; d++) {
    const level = levels[d];
    const next = levels[d + 1] ?? [];
    const childrenOf = new Map<number, number[]>();
    next.forEach((child, j) => childrenOf.set(child.parent, [...(childrenOf.get(child.parent) ?? []), j]));
    const chunks: DynamicCache[] = [];
    for (let first = 0; first < level.length; first += batchSize) {
      const nodes = level.slice(first, first + batchSize);
      const B = nodes.length;
      const res = await forward({
        input_ids: new Tensor('int64', BigInt64Array.from(nodes, (n) => BigInt(n.token)), [B, 1]),
        attention_mask: new Tensor('int64', new BigInt64Array(B * (P + d + 1)).fill(1n), [B, P + d + 1]),
        past_key_values: gatherCacheRows(nodes.map((n) => parentRow(n.parent))),
      });
      nodes.forEach((node, b) => {
        const i = first + b;
        if (node.ends.length > 0) endLp[d][i] = rowLogProb(res.logits, b, 0, handle.endOfTurnId);
        for (const j of childrenOf.get(i) ?? []) tokenLp[d + 1][j] = rowLogProb(res.logits, b, 0, next[j].token);
      });
      // Only prefixes with children need their cache at the next depth.
      if (next.length > 0) chunks.push(cacheFromOutputs(res));
    }
    parents = chunks;
  }
  return paths.map((path) => [...path.map((i, d) => tokenLp[d][i]), endLp[path.length - 1][path.at(-1)!]]);
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
  const tokenLogProbs = await scoreLabelTokens(handle, inputs, sequences, opts.batchSize);
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
