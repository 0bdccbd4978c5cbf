/** Scored mode: one image+prompt prefill, then a few batched decoder calls over the label tokens (grouped or along the trie). */
import { DynamicCache, Tensor } from '@huggingface/transformers';
import { buildVlmInputs, type VlmImage } from './build-prompt';
import { cacheFromOutputs, gatherCacheRows, repeatedRows } from './kv-cache';
import { labelTokenSequences } from './label-tokens';
import { planScoredCalls, type PlanCall } from './label-trie-plan';
import { canRunDecoderDirectly, runDecoder } from './decoder-run';
import { rowLogProb, softmax } from './log-probs';
import type { LabelScore, PromptSpec, ScoredResult, VlmHandle } from './types';

export interface ScoredOptions {
  topK?: number;
  /** Label-prefix rows per decoder call (wider calls are split). Default: 64, fewer when a row's cache exceeds 16 MiB. */
  batchSize?: number;
}

/** How scoreLabelTokens lays out its decoder calls; tests pin each layout and the model.forward fallback. */
export interface ScoreTokensOptions {
  batchSize?: number;
  /** Call planner (default planScoredCalls: the cheaper of planLengthGroups and planTrieCalls). */
  plan?: (sequences: readonly (readonly number[])[], promptLength: number) => PlanCall[];
  /** Run label calls through model.forward (every output fetched) instead of runDecoder. */
  viaForward?: boolean;
}

type Forward = (inputs: Record<string, unknown>) => Promise<Record<string, Tensor>>;

/**
 * Per-label log-probs of `label tokens + end-of-turn` given the prompt. The end token is included so a
 * label that is a prefix of another ("Ford" / "Ford Motor") is scored as a finished answer, and the
 * scores are probabilities of complete answers. One prefill, then a few batched decoder calls planned by
 * planScoredCalls: whole labels grouped by length, or a walk along the label trie where each row feeds one distinct
 * prefix segment on top of its parent row's exact cache, whichever the cost model finds cheaper. Calls whose rows
 * nobody continues fetch logits only. `batchSize` caps the rows per decoder call; only the caches of rows the next
 * call continues are kept, compacted. Exposed for tests: equals full-pass scoring.
 */
export async function scoreLabelTokens(handle: VlmHandle, inputs: Record<string, Tensor>, sequences: number[][], opts: ScoreTokensOptions = {}): Promise<number[][]> {
  const forward = handle.model.forward.bind(handle.model) as Forward;
  const P = inputs.input_ids.dims[1];
  const calls = (opts.plan ?? planScoredCalls)(sequences, P);
  const prefill = await forward({ ...inputs });
  const promptCache = cacheFromOutputs(prefill);
  const rowsPerCall = opts.batchSize ?? defaultRowsPerCall(promptCache, P, Math.max(...sequences.map((q) => q.length)));
  const direct = !opts.viaForward && canRunDecoderDirectly(handle.model);
  const out = sequences.map((seq) => new Array<number>(seq.length + 1).fill(NaN));
  sequences.forEach((seq, i) => (out[i][0] = rowLogProb(prefill.logits, 0, P - 1, seq[0])));
  const prompt = { cache: promptCache, row: 0 };
  // Batches that all continue the prompt share one repeated copy of its cache, sized for the widest such batch.
  const promptBatch = Math.max(0, ...calls.map((c) => (c.rows.every((r) => r.parent < 0) ? Math.min(rowsPerCall, c.rows.length) : 0)));
  const promptRows = promptBatch > 1 ? repeatedRows(promptCache, 0, promptBatch) : undefined;
  // Row of the previous call → where its cache lives; only rows the next call continues are kept (-1: the prompt).
  let parents = new Map<number, { cache: DynamicCache; row: number }>();
  for (let c = 0; c < calls.length; c++) {
    const call = calls[c];
    const L = call.to - call.from;
    const continued = new Set((calls[c + 1]?.rows ?? []).map((r) => r.parent).filter((p) => p >= 0));
    const kept = new Map<number, { cache: DynamicCache; row: number }>();
    for (let first = 0; first < call.rows.length; first += rowsPerCall) {
      const rows = call.rows.slice(first, first + rowsPerCall);
      const B = rows.length;
      const ids = new BigInt64Array(B * L).fill(BigInt(handle.endOfTurnId));
      rows.forEach((r, b) => r.tokens.forEach((id, k) => (ids[b * L + k] = BigInt(id))));
      const inputIds = new Tensor('int64', ids, [B, L]);
      const past = promptRows && rows.every((r) => r.parent < 0) ? promptRows(B) : gatherCacheRows(rows.map((r) => (r.parent < 0 ? prompt : parents.get(r.parent)!)));
      const keep = rows.map((_, b) => first + b).filter((row) => continued.has(row));
      const res = direct
        ? await runDecoder(handle.model, inputIds, P + call.from, past, keep.length > 0)
        : await forward({ input_ids: inputIds, attention_mask: new Tensor('int64', new BigInt64Array(B * (P + call.to)).fill(1n), [B, P + call.to]), past_key_values: past });
      for (const read of call.reads) {
        if (read.row < first || read.row >= first + B) continue;
        out[read.label][read.slot] = rowLogProb(res.logits, read.row - first, read.pos, read.target < 0 ? handle.endOfTurnId : read.target);
      }
      if (keep.length > 0) {
        const resCache = cacheFromOutputs(res);
        const compact = gatherCacheRows(keep.map((row) => ({ cache: resCache, row: row - first })));
        keep.forEach((row, k) => kept.set(row, { cache: compact, row: k }));
      }
    }
    parents = kept;
  }
  return out;
}

/** Decoder cache bytes one call may gather (rows × one row's prompt + label cache); 64 rows of ≤ 16 MiB each. */
const CACHE_BYTES_PER_CALL = 1 << 30;

/** Rows per decoder call: at most 64, fewer when one row's cache (prompt + longest label) is large (big models, long prompts). */
function defaultRowsPerCall(promptCache: DynamicCache, promptLength: number, maxLabelLength: number): number {
  let bytes = 0;
  for (const t of Object.values(promptCache)) if (t instanceof Tensor) bytes += (t.data as Float32Array).byteLength;
  const perRow = bytes * ((promptLength + maxLabelLength) / promptLength);
  return Math.max(1, Math.min(64, Math.floor(CACHE_BYTES_PER_CALL / perRow)));
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
  const tokenLogProbs = await scoreLabelTokens(handle, inputs, sequences, { batchSize: opts.batchSize });
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
