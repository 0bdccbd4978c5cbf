/** Matrix YAML: the common keys plus prompts/models/modes lists, with line/column, unknown-key and duplicate errors. */
import { describe, expect, it } from 'vitest';
import { parseMatrixConfig } from '../../src/main/evals/eval-matrix-config';
import { DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_PROMPT } from '../../src/shared/prompt-template';

const GOOD = `name: pets prompts
dataset: pets
dataset_version: v1
split: validation
seed: 3
n_samples: 4
labels: [cat, dog]
dtype: q8
prompts:
  - name: default
  - name: terse
    system_prompt: ""
    user_prompt: |
      Cat or dog?
      {{labels}}
models: [tiny-lfm2, ./models/smol]
modes: [scored, constrained]
`;

describe('parseMatrixConfig', () => {
  it('parses every key; omitted prompt texts take the studio defaults; "validation" is the val split', () => {
    expect(parseMatrixConfig(GOOD)).toEqual({
      name: 'pets prompts',
      dataset: 'pets',
      datasetVersion: 'v1',
      split: 'val',
      seed: 3,
      nSamples: 4,
      labels: ['cat', 'dog'],
      device: null,
      dtype: 'q8',
      prompts: [
        { kind: 'inline', name: 'default', systemPrompt: DEFAULT_SYSTEM_PROMPT, userPrompt: DEFAULT_USER_PROMPT },
        { kind: 'inline', name: 'terse', systemPrompt: '', userPrompt: 'Cat or dog?\n{{labels}}\n' },
      ],
      models: ['tiny-lfm2', './models/smol'],
      modes: ['scored', 'constrained'],
    });
  });

  it('prompt_version rows name a saved version (resolved later); with texts or a name beside it, or neither, the row is refused', () => {
    const c = parseMatrixConfig('dataset: pets\nprompts:\n  - prompt_version: "cats-dogs v2"\n  - name: inline\n  - prompt_version: cats-dogs\nmodels: [m]\nmodes: [raw]\n');
    expect(c.prompts).toEqual([
      { kind: 'version-ref', ref: 'cats-dogs v2' },
      { kind: 'inline', name: 'inline', systemPrompt: DEFAULT_SYSTEM_PROMPT, userPrompt: DEFAULT_USER_PROMPT },
      { kind: 'version-ref', ref: 'cats-dogs' },
    ]);
    expect(() => parseMatrixConfig('dataset: pets\nprompts:\n  - prompt_version: a v1\n    user_prompt: x\nmodels: [m]\nmodes: [raw]\n')).toThrow(
      /prompts\.0 at line 3, column 5: prompt_version takes the saved version's name and texts; leave out name, system_prompt and user_prompt/,
    );
    expect(() => parseMatrixConfig('dataset: pets\nprompts:\n  - system_prompt: x\nmodels: [m]\nmodes: [raw]\n')).toThrow(
      /prompts\.0 at line 3, column 5: needs a name \(with inline texts\) or a prompt_version/,
    );
    expect(() => parseMatrixConfig('dataset: pets\nprompts:\n  - prompt_version: a v1\n  - prompt_version: a v1\nmodels: [m]\nmodes: [raw]\n')).toThrow(
      /prompts\.1\.prompt_version at line 4, column 21: "a v1" is listed twice/,
    );
  });

  it('defaults: split all, seed 0, whole split, snapshot labels', () => {
    const c = parseMatrixConfig('dataset: pets\nprompts: [{name: a}]\nmodels: [m]\nmodes: [raw]\n');
    expect(c).toMatchObject({ name: null, split: 'all', seed: 0, nSamples: null, labels: null, datasetVersion: null });
  });

  it('an unknown top-level key is named with its line and column and the allowed keys', () => {
    expect(() => parseMatrixConfig(`${GOOD}lora_r: 8\n`)).toThrow(/unknown key "lora_r" at line 18, column 1 \(allowed: name, dataset, .*prompts, models, modes\)/);
  });

  it('an unknown key inside a prompt is located and lists the prompt keys', () => {
    const bad = GOOD.replace('  - name: default\n', '  - name: default\n    temperature: 0.2\n');
    expect(() => parseMatrixConfig(bad)).toThrow(/unknown key "temperature" in prompts\.0 at line 11, column 5 \(allowed: name, system_prompt, user_prompt, prompt_version\)/);
  });

  it('a bad value names its path and position', () => {
    expect(() => parseMatrixConfig(GOOD.replace('modes: [scored, constrained]', 'modes: [scored, classifier]'))).toThrow(
      /modes\.1 at line 17, column 17: Invalid option/,
    );
    expect(() => parseMatrixConfig(GOOD.replace('n_samples: 4', 'n_samples: 0'))).toThrow(/n_samples at line 6, column 12/);
  });

  it('missing or empty axes are refused', () => {
    expect(() => parseMatrixConfig('dataset: pets\nmodels: [m]\nmodes: [raw]\n')).toThrow(/prompts.*expected array/);
    expect(() => parseMatrixConfig('dataset: pets\nprompts: []\nmodels: [m]\nmodes: [raw]\n')).toThrow(/prompts at line 2, column 10: needs at least one prompt/);
  });

  it('duplicates on an axis are refused with their position', () => {
    expect(() => parseMatrixConfig(GOOD.replace('- name: terse', '- name: default'))).toThrow(/prompts\.1\.name at line 11, column 11: "default" is listed twice/);
    expect(() => parseMatrixConfig(GOOD.replace('./models/smol', 'tiny-lfm2'))).toThrow(/models\.1 at line 16, column 21: "tiny-lfm2" is listed twice/);
  });

  it('YAML syntax errors carry the line and column; non-mappings are refused', () => {
    expect(() => parseMatrixConfig('dataset: pets\nprompts: [a\n')).toThrow(/Matrix config is not valid YAML at line \d+, column \d+/);
    expect(() => parseMatrixConfig('- a\n- b\n')).toThrow(/must be a YAML mapping/);
    expect(() => parseMatrixConfig('')).toThrow(/Matrix config is empty/);
  });
});
