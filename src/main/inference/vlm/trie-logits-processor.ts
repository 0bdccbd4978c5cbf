/** LogitsProcessor that keeps greedy generation inside a label trie and records per-step log-probs. */
import { LogitsProcessor, type Tensor } from '@huggingface/transformers';
import { logSumExp, logSumExpSubset } from './log-probs';
import { walkTrie, type TrieNode } from './label-tokens';

export interface AllowedStep {
  /** token id → [log p under the full distribution, log p renormalised over the allowed set]. */
  allowed: Map<number, [number, number]>;
}

/**
 * At each step only the trie children of the generated prefix stay finite; the end-of-turn token is
 * allowed only where a complete label ends. Everything else becomes -Infinity, so greedy decoding can
 * never leave the label set. (generate() returns no scores, so the log-probs are captured here.)
 */
export class TrieLogitsProcessor extends LogitsProcessor {
  readonly steps: AllowedStep[] = [];

  constructor(
    private readonly root: TrieNode,
    private readonly endId: number,
    private readonly promptLength: number,
  ) {
    super();
  }

  override _call(inputIds: bigint[][], logits: Tensor): Tensor {
    if (inputIds.length !== 1) throw new Error('TrieLogitsProcessor supports batch size 1');
    const data = logits.data as Float32Array;
    const V = logits.dims[logits.dims.length - 1];
    const generated = inputIds[0].slice(this.promptLength).map((x) => Number(x));
    const node = walkTrie(this.root, generated);
    if (!node) throw new Error(`constrained decoding left the label trie at [${generated.join(',')}]`);
    const allowed = [...node.children.keys()];
    if (node.labelIndex !== undefined) allowed.push(this.endId);
    const full = logSumExp(data, 0, V);
    const sub = logSumExpSubset(data, 0, allowed);
    const step: AllowedStep = { allowed: new Map() };
    for (const id of allowed) step.allowed.set(id, [data[id] - full, data[id] - sub]);
    this.steps.push(step);
    // Everything but the allowed ids → -Infinity: one fill, then put the allowed values back.
    const kept = allowed.map((id) => data[id]);
    data.fill(-Infinity, 0, V);
    allowed.forEach((id, k) => (data[id] = kept[k]));
    return logits;
  }
}
