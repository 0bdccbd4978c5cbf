/** A small line-level diff (longest common subsequence), enough for prompt texts of a few hundred lines. */

export type DiffOp = 'same' | 'added' | 'removed';

export interface DiffLine {
  op: DiffOp;
  text: string;
  /** 1-based line number in the old text (same/removed), else null. */
  oldLine: number | null;
  /** 1-based line number in the new text (same/added), else null. */
  newLine: number | null;
}

/** Lines of `a` → lines of `b` as same/removed/added, removals before additions inside a changed block. */
export function diffLines(a: string, b: string): DiffLine[] {
  const x = a === '' ? [] : a.split('\n');
  const y = b === '' ? [] : b.split('\n');
  const n = x.length;
  const m = y.length;
  // lcs[i][j] = LCS length of x[i..] and y[j..]; flat array, O(n·m) — prompts are small.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[at(i, j)] = x[i] === y[j] ? lcs[at(i + 1, j + 1)] + 1 : Math.max(lcs[at(i + 1, j)], lcs[at(i, j + 1)]);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      out.push({ op: 'same', text: x[i], oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (j >= m || (i < n && lcs[at(i + 1, j)] >= lcs[at(i, j + 1)])) {
      out.push({ op: 'removed', text: x[i], oldLine: i + 1, newLine: null });
      i++;
    } else {
      out.push({ op: 'added', text: y[j], oldLine: null, newLine: j + 1 });
      j++;
    }
  }
  return out;
}

/** Counts of added and removed lines (the summary beside a diff). */
export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of lines) {
    if (l.op === 'added') added++;
    else if (l.op === 'removed') removed++;
  }
  return { added, removed };
}
