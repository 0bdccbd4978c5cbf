/** The Matrix form's prompt list: the studio default first (with its history stats), then each history prompt under a unique short name. */
import { describe, expect, it } from 'vitest';
import { matrixPromptOptions } from '../../../src/renderer/src/evals/matrix-prompt-options';
import { DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_PROMPT } from '../../../src/shared/prompt-template';
import type { PromptHistoryEntry } from '../../../src/shared/eval-views';
import type { PromptVersion } from '../../../src/shared/prompt-types';

const entry = (systemPrompt: string, userPrompt: string, runs: number, bestAccuracy: number | null): PromptHistoryEntry => ({
  systemPrompt,
  userPrompt,
  runs,
  bestAccuracy,
  bestRunId: null,
  lastUsed: '2026-01-01T00:00:00.000Z',
});

describe('matrixPromptOptions', () => {
  it('always offers the default; history prompts follow with names from their text', () => {
    const options = matrixPromptOptions([
      entry('', 'Which animal is in this photo?\n{{labels}}\nAnswer with exactly one word from the list.', 2, 0.5),
      entry(DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_PROMPT, 3, 0.75),
      entry('Be brief.', 'Cat or dog? {{labels}}', 1, null),
    ]);
    expect(options.map((o) => [o.name, o.runs, o.bestAccuracy])).toEqual([
      ['default', 3, 0.75],
      ['p1: Which animal is in this photo? … An…', 2, 0.5],
      ['p2: Cat or dog? …', 1, null],
    ]);
    expect(options[0].prompt).toEqual({ kind: 'inline', name: 'default', systemPrompt: DEFAULT_SYSTEM_PROMPT, userPrompt: DEFAULT_USER_PROMPT });
    expect(options[2].prompt).toMatchObject({ systemPrompt: 'Be brief.', userPrompt: 'Cat or dog? {{labels}}' });
    expect(new Set(options.map((o) => o.key)).size).toBe(3);
  });

  it('saved versions come first (ad-hoc ones left out), take the stats of their exact text, and hide that history entry', () => {
    const version = (id: number, promptName: string, number: number, userPrompt: string, adHoc = false): PromptVersion => ({
      id,
      promptId: id,
      promptName,
      number,
      displayName: `${promptName} v${number}`,
      adHoc,
      systemPrompt: '',
      userPrompt,
      labelDescriptions: {},
      expandedUserPrompt: userPrompt.replace('{{label_descriptions}}', 'cat: a cat'),
      note: '',
      createdAt: '2026-01-01T00:00:00.000Z',
      runCount: 0,
    });
    const options = matrixPromptOptions(
      [entry('', 'Cat or dog? {{labels}}', 4, 0.25), entry('', 'Pick one: {{labels}}', 1, 1)],
      [version(7, 'cats-dogs', 2, 'Cat or dog? {{labels}}'), version(5, 'described', 1, '{{label_descriptions}} {{labels}}'), version(9, 'unsaved', 3, 'x', true)],
    );
    expect(options.map((o) => [o.key, o.name, o.saved, o.runs, o.bestAccuracy])).toEqual([
      ['version:7', 'cats-dogs v2', true, 4, 0.25],
      ['version:5', 'described v1', true, 0, null],
      ['default', 'default', false, 0, null],
      [JSON.stringify(['', 'Pick one: {{labels}}']), 'p1: Pick one: …', false, 1, 1],
    ]);
    expect(options[0].prompt).toEqual({ kind: 'version', promptVersionId: 7 });
    expect(options[1].userPrompt).toBe('cat: a cat {{labels}}');
  });

  it('with no history only the default is offered', () => {
    expect(matrixPromptOptions([]).map((o) => [o.key, o.runs])).toEqual([['default', 0]]);
  });
});
