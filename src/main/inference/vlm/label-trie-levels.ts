/** The label trie laid out depth by depth, so scored mode can run one batched decoder step per depth. */

/** One distinct label prefix (trie node) at some depth. */
export interface LevelNode {
  /** The prefix's last token. */
  token: number;
  /** Index of the parent prefix in the previous level (-1 at depth 1: the parent is the prompt). */
  parent: number;
  /** Labels (indices into the sequence list) that end exactly here, i.e. whose end-of-turn token is scored here. */
  ends: number[];
}

export interface TrieLevels {
  /** levels[d] = the distinct prefixes of length d + 1, each listed once. */
  levels: LevelNode[][];
  /** paths[label][k] = index in levels[k] of the label's first k + 1 tokens. */
  paths: number[][];
}

/**
 * Groups label token sequences into distinct prefixes per depth. Every prefix is forwarded once: its logits
 * give its children's token log-probs and, where a label ends, the end-of-turn log-prob — so a label that is a
 * prefix of another ("Ford" / "Ford Motor") is scored at its own node, and cost grows with the trie, not the labels.
 */
export function trieLevels(sequences: readonly (readonly number[])[]): TrieLevels {
  const levels: LevelNode[][] = [];
  const index: Map<string, number>[] = [];
  const paths = sequences.map((seq, label) => {
    if (seq.length === 0) throw new Error(`label ${label} has no tokens`);
    const path: number[] = [];
    let parent = -1;
    seq.forEach((token, d) => {
      levels[d] ??= [];
      index[d] ??= new Map();
      const key = `${parent}:${token}`;
      let at = index[d].get(key);
      if (at === undefined) {
        at = levels[d].length;
        levels[d].push({ token, parent, ends: [] });
        index[d].set(key, at);
      }
      path.push(at);
      parent = at;
    });
    levels[seq.length - 1][parent].ends.push(label);
    return path;
  });
  return { levels, paths };
}
