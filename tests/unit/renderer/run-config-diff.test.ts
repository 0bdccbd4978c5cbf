/** The compare view's config diff: the LCS line diff of prompts/labels and which run fields differ. */
import { describe, expect, it } from 'vitest';
import { lineDiff, runConfigDiff } from '../../../src/renderer/src/evals/run-config-diff';
import type { EvalRun } from '../../../src/shared/eval-types';

const base: EvalRun = {
  id: 1, name: 'a', datasetId: 1, versionId: 1, split: 'test', modelId: 1, mode: 'scored', systemPrompt: 'You classify.', userPrompt: 'Which?\n{{labels}}\nOne word.',
  labels: ['cat', 'dog'], seed: 7, nSamples: null, device: 'cpu', dtype: 'q8', classMapping: null, status: 'done', error: null, metrics: null,
  config: { modelName: 'tiny', modelPath: '/m', datasetName: 'pets', versionName: 'v1' }, createdAt: '', startedAt: null, finishedAt: null, plannedCount: 2, doneCount: 2, truthLabels: ['cat', 'dog'], abstainLabel: null, batchId: null, cascade: null, promptVersionId: null, promptVersionName: null,
};

describe('lineDiff', () => {
  it('keeps shared lines in order and marks removed then added lines', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc\nd')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'd' },
    ]);
    expect(lineDiff('', 'a')).toEqual([{ kind: 'added', text: 'a' }]);
    expect(lineDiff('a\nb', 'a\nb').every((l) => l.kind === 'same')).toBe(true);
  });
});

describe('runConfigDiff', () => {
  it('lists the fields that differ, with line diffs for prompts and labels only when they differ', () => {
    const other: EvalRun = { ...base, id: 2, mode: 'constrained', userPrompt: 'Which animal?\n{{labels}}\nOne word.', labels: ['cat', 'dog', 'fox'], seed: 8 };
    const fields = runConfigDiff(base, other);
    expect(fields.filter((f) => !f.same).map((f) => f.id)).toEqual(['mode', 'user-prompt', 'labels', 'seed']);
    expect(fields.find((f) => f.id === 'labels')?.lines).toEqual([
      { kind: 'same', text: 'cat' },
      { kind: 'same', text: 'dog' },
      { kind: 'added', text: 'fox' },
    ]);
    expect(fields.find((f) => f.id === 'system-prompt')?.lines).toBeUndefined();
    expect(runConfigDiff(base, { ...base, mode: 'classifier' }).find((f) => f.id === 'user-prompt')?.b).toBe('(classifier: no prompt)');
  });
});
