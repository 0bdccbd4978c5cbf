/** The New eval form's prompt link: which version a text runs as, what evals:create receives, and rerun/remember settings round trips. */
import { describe, expect, it } from 'vitest';
import type { PromptVersion } from '../../../src/shared/prompt-types';
import type { EvalRun } from '../../../src/shared/eval-types';
import { evalFormSettingsSchema, settingsFromRun } from '../../../src/shared/eval-form-settings';
import { effectiveVersionId, promptRequest } from '../../../src/renderer/src/prompts/prompt-link';

const version = (id: number, name: string, number: number, user: string, adHoc = false): PromptVersion => ({
  id,
  promptId: adHoc ? 99 : 1,
  promptName: name,
  number,
  displayName: `${name} v${number}`,
  adHoc,
  systemPrompt: 'S',
  userPrompt: user,
  labelDescriptions: {},
  expandedUserPrompt: user,
  note: '',
  createdAt: '2026-01-01T00:00:00.000Z',
  runCount: 0,
});

// Saved first, as prompts:versions lists them.
const versions = [version(2, 'cats', 2, 'B {{labels}}'), version(1, 'cats', 1, 'A {{labels}}'), version(7, 'unsaved', 1, 'A {{labels}}', true)];

describe('prompt link', () => {
  it('runs as the linked version while unedited, sends only its id', () => {
    const draft = { promptVersionId: 2, systemPrompt: 'S', userPrompt: 'B {{labels}}' };
    expect(effectiveVersionId(draft, versions)).toBe(2);
    expect(promptRequest(draft, versions)).toEqual({ promptVersionId: 2 });
  });

  it('finds the version whose text matches after an edit (saved before ad-hoc), else sends the text and keeps the link to show "edited"', () => {
    expect(effectiveVersionId({ promptVersionId: 2, systemPrompt: 'S', userPrompt: 'A {{labels}}' }, versions)).toBe(1);
    const edited = { promptVersionId: 2, systemPrompt: 'S', userPrompt: 'C {{labels}}' };
    expect(effectiveVersionId(edited, versions)).toBe(2);
    expect(promptRequest(edited, versions)).toEqual({ systemPrompt: 'S', userPrompt: 'C {{labels}}' });
    expect(promptRequest({ ...edited, promptVersionId: null }, versions)).toEqual({ systemPrompt: 'S', userPrompt: 'C {{labels}}' });
    // A different system prompt is a different text.
    expect(promptRequest({ promptVersionId: 1, systemPrompt: 'T', userPrompt: 'A {{labels}}' }, versions)).toEqual({ systemPrompt: 'T', userPrompt: 'A {{labels}}' });
  });

  it('turns a run into form settings that the remembered-settings schema accepts unchanged', () => {
    const run = {
      versionId: 3, split: 'test', modelId: 4, mode: 'scored', classMapping: null, device: 'cpu', dtype: 'q8', seed: 11, nSamples: null,
      promptVersionId: 2, systemPrompt: 'S', userPrompt: 'B {{labels}}',
      labels: ['cat', 'dog', 'fox', 'unknown'], truthLabels: ['cat', 'dog'], abstainLabel: 'unknown',
    } as unknown as EvalRun;
    const settings = settingsFromRun(run);
    expect(settings).toEqual({
      versionId: 3, split: 'test', modelId: 4, mode: 'scored', classMapping: '', device: 'cpu', dtype: 'q8', seed: '11', nSamples: '',
      promptVersionId: 2, systemPrompt: 'S', userPrompt: 'B {{labels}}', extraCandidates: 'fox\nunknown', abstainLabel: 'unknown',
    });
    expect(evalFormSettingsSchema.parse(settings)).toEqual(settings);
    // Settings remembered before open label sets existed still parse (no extra candidates, no abstain).
    const { extraCandidates: _e, abstainLabel: _a, ...older } = settings;
    expect(evalFormSettingsSchema.parse(older)).toMatchObject({ extraCandidates: '', abstainLabel: '' });
    expect(evalFormSettingsSchema.safeParse({ ...settings, device: 'tpu' }).success).toBe(false);
  });
});
