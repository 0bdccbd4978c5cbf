/** Constrained mode: greedy generation restricted to a label trie; the answer is always a label. */
import { LogitsProcessorList, type Tensor } from '@huggingface/transformers';
import { buildVlmInputs, type VlmImage } from './build-prompt';
import { greedyConfig } from './greedy-options';
import { buildTrie, labelTokenSequences, walkTrie } from './label-tokens';
import { TrieLogitsProcessor } from './trie-logits-processor';
import type { ConstrainedResult, PromptSpec, StepLogProb, VlmHandle } from './types';

/**
 * Greedy decoding where step t may only pick a child of the generated prefix in the label trie (or the
 * end-of-turn token once a complete label is reached). Note: greedy picks the best next token, not the
 * best whole label — a label whose first token is less likely can still have a higher total probability.
 * Use decodeScored for whole-label probabilities.
 */
export async function decodeConstrained(handle: VlmHandle, image: VlmImage, prompt: PromptSpec): Promise<ConstrainedResult> {
  const t0 = performance.now();
  const sequences = labelTokenSequences(handle, prompt.labels);
  const trie = buildTrie(sequences);
  const { inputs, promptLength } = await buildVlmInputs(handle, image, prompt);
  const processor = new TrieLogitsProcessor(trie, handle.endOfTurnId, promptLength);
  const list = new LogitsProcessorList();
  list.push(processor);
  const maxLen = Math.max(...sequences.map((s) => s.length));
  const out = (await handle.model.generate({
    ...inputs,
    ...greedyConfig(handle, maxLen + 1),
    // Only the end-of-turn id may stop generation: the trie decides when it is allowed.
    eos_token_id: [handle.endOfTurnId],
    logits_processor: list,
  })) as Tensor;
  const tokenIds = (out.tolist() as bigint[][])[0].slice(promptLength).map((x) => Number(x));
  if (tokenIds.at(-1) !== handle.endOfTurnId) {
    throw new Error(`constrained decoding ended without the end token: [${tokenIds.join(',')}]`);
  }
  const node = walkTrie(trie, tokenIds.slice(0, -1));
  if (node?.labelIndex === undefined) throw new Error(`constrained decoding produced a non-label: [${tokenIds.join(',')}]`);
  const steps: StepLogProb[] = tokenIds.map((tokenId, i) => {
    const rec = processor.steps[i]?.allowed.get(tokenId);
    if (!rec) throw new Error(`no log-prob recorded for step ${i}`);
    return { tokenId, logProb: rec[0], constrainedLogProb: rec[1] };
  });
  const total = steps.reduce((a, s) => a + s.logProb, 0);
  return {
    label: prompt.labels[node.labelIndex],
    tokenIds,
    steps,
    sequenceProb: Math.exp(total),
    ms: performance.now() - t0,
  };
}
