/** Label token sequences as the model would write them after the prompt, and the trie over them. */
import { VlmError } from './errors';
import type { VlmHandle } from './types';

export interface TrieNode {
  children: Map<number, TrieNode>;
  /** Index into the label list when a complete label ends here. */
  labelIndex?: number;
}

/** Tokenises `answerPrefix + label` without special tokens; rejects empty, duplicate or same-token labels. */
export function labelTokenSequences(handle: VlmHandle, labels: readonly string[]): number[][] {
  if (labels.length === 0) throw new VlmError('bad-labels', 'At least one label is required');
  const seen = new Map<string, string>();
  return labels.map((label) => {
    if (!label.trim()) throw new VlmError('bad-labels', 'Labels must not be empty');
    const ids = handle.tokenizer.encode(handle.answerPrefix + label, { add_special_tokens: false });
    if (ids.length === 0) throw new VlmError('bad-labels', `Label "${label}" produced no tokens`);
    if (ids.some((id) => handle.eosIds.includes(id))) {
      throw new VlmError('bad-labels', `Label "${label}" contains an end-of-turn token`);
    }
    const key = ids.join(',');
    const other = seen.get(key);
    if (other !== undefined) throw new VlmError('bad-labels', `Labels "${other}" and "${label}" tokenize identically`);
    seen.set(key, label);
    return ids;
  });
}

export function buildTrie(sequences: readonly number[][]): TrieNode {
  const root: TrieNode = { children: new Map() };
  sequences.forEach((seq, labelIndex) => {
    let node = root;
    for (const id of seq) {
      let next = node.children.get(id);
      if (!next) {
        next = { children: new Map() };
        node.children.set(id, next);
      }
      node = next;
    }
    node.labelIndex = labelIndex;
  });
  return root;
}

/** Walks `path` from the root; undefined when it leaves the trie. */
export function walkTrie(root: TrieNode, path: readonly number[]): TrieNode | undefined {
  let node: TrieNode | undefined = root;
  for (const id of path) {
    node = node.children.get(id);
    if (!node) return undefined;
  }
  return node;
}
