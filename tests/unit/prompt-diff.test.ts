/** The LCS line diff and the prompt-version diff: both sides rebuild exactly, the kept lines are a longest common subsequence. */
import { describe, expect, it } from 'vitest';
import { diffLines, diffStats, type DiffLine } from '../../src/shared/line-diff';
import { diffPromptVersions } from '../../src/shared/prompt-diff';
import { expandDescriptionsInTemplate } from '../../src/shared/prompt-descriptions';

const side = (d: DiffLine[], which: 'old' | 'new') => d.filter((l) => l.op === 'same' || l.op === (which === 'old' ? 'removed' : 'added')).map((l) => l.text).join('\n');

/** Independent LCS length by memoised recursion (not the table the diff uses). */
function lcsLength(a: string[], b: string[]): number {
  const memo = new Map<string, number>();
  const go = (i: number, j: number): number => {
    if (i === a.length || j === b.length) return 0;
    const key = `${i},${j}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const v = a[i] === b[j] ? 1 + go(i + 1, j + 1) : Math.max(go(i + 1, j), go(i, j + 1));
    memo.set(key, v);
    return v;
  };
  return go(0, 0);
}

describe('diffLines', () => {
  it('marks a changed line as removed then added, with line numbers on each side', () => {
    const d = diffLines('a\nb\nc', 'a\nB\nc\nd');
    expect(d).toEqual([
      { op: 'same', text: 'a', oldLine: 1, newLine: 1 },
      { op: 'removed', text: 'b', oldLine: 2, newLine: null },
      { op: 'added', text: 'B', oldLine: null, newLine: 2 },
      { op: 'same', text: 'c', oldLine: 3, newLine: 3 },
      { op: 'added', text: 'd', oldLine: null, newLine: 4 },
    ]);
    expect(diffStats(d)).toEqual({ added: 2, removed: 1 });
    expect(diffLines('', 'x')).toEqual([{ op: 'added', text: 'x', oldLine: null, newLine: 1 }]);
    expect(diffLines('x', '')).toEqual([{ op: 'removed', text: 'x', oldLine: 1, newLine: null }]);
    expect(diffLines('', '')).toEqual([]);
  });

  it('on 300 random texts: rebuilds both sides and keeps a longest common subsequence', () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const text = () => Array.from({ length: rand(9) }, () => 'abcd'[rand(4)]);
    for (let t = 0; t < 300; t++) {
      const a = text();
      const b = text();
      const d = diffLines(a.join('\n'), b.join('\n'));
      expect(side(d, 'old')).toBe(a.join('\n'));
      expect(side(d, 'new')).toBe(b.join('\n'));
      // An empty line array and [''] both join to '': compare kept counts only where the split is unambiguous.
      if (a.length > 0 && b.length > 0) expect(d.filter((l) => l.op === 'same')).toHaveLength(lcsLength(a, b));
    }
  });
});

describe('diffPromptVersions', () => {
  it('diffs system and user text and the expanded preview for the chosen labels', () => {
    const v1 = { systemPrompt: 'You classify images.', userPrompt: 'Which?\n{{labels}}', expandedUserPrompt: 'Which?\n{{labels}}' };
    const template = 'Which animal?\n{{label_descriptions}}\n{{labels}}';
    const v2 = { systemPrompt: 'You classify images.', userPrompt: template, expandedUserPrompt: expandDescriptionsInTemplate(template, { cat: 'feline' }) };
    const d = diffPromptVersions(v1, v2, ['cat', 'dog']);
    expect(d.identical).toBe(false);
    expect(d.system.every((l) => l.op === 'same')).toBe(true);
    expect(d.user.filter((l) => l.op !== 'same').map((l) => `${l.op}:${l.text}`)).toEqual(['removed:Which?', 'added:Which animal?', 'added:{{label_descriptions}}']);
    expect(d.preview.map((l) => `${l.op}:${l.text}`)).toEqual(['removed:Which?', 'added:Which animal?', 'added:- cat: feline', 'same:- cat', 'same:- dog']);
    expect(diffPromptVersions(v1, v1, ['cat']).identical).toBe(true);
  });
});
